//! Episodes: MarI/O's fitness and stall timeout around a [`World`], and running an
//! [`Agent`] through a level.
//!
//! Units follow MarI/O, whose frames are our 60 Hz ticks and whose x is in pixels:
//!
//! - **Fitness** = rightmost x reached (the player's left edge, whole px from the
//!   level's left edge) − `frame_penalty` × ticks (default ½ px per tick, MarI/O's
//!   `frames/2`) + `finish_bonus` (default 1000) when the goal is reached.
//! - **Stall timeout**: a budget of `stall_frames` ticks (default 20) is restored
//!   whenever the rightmost whole-pixel x grows, and drops by one every tick; the
//!   run ends as [`EndCause::Stalled`] when `budget + ticks/4 ≤ 0` (evaluated
//!   exactly as `4·budget + ticks ≤ 0`), so the allowed pause grows with elapsed time.
//! - A hard limit of `max_ticks` ends it as [`EndCause::TimeUp`]; death and the
//!   goal end it at once.
//! - **Progress** = (rightmost − start x) / (finish x − start x) in \[0, 1\], 1 when
//!   finished.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sprout_task::Agent;

use crate::buttons::Buttons;
use crate::level::Level;
use crate::sensors::SensorSpec;
use crate::units::PX;
use crate::world::{DeathCause, Status, World, finish_x};

/// Why an episode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndCause {
    /// The goal was reached.
    Finished,
    /// The player died.
    Died(DeathCause),
    /// No new rightmost x for too long (MarI/O's timeout).
    Stalled,
    /// The hard tick limit was hit.
    TimeUp,
}

/// Fitness and ending rules of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRules {
    /// Ticks of stall budget restored by each new rightmost x (MarI/O: 20).
    pub stall_frames: u32,
    /// Hard limit on ticks.
    pub max_ticks: u32,
    /// Fitness lost per tick, in px (MarI/O: 0.5).
    pub frame_penalty: f64,
    /// Fitness added for reaching the goal (MarI/O: 1000).
    pub finish_bonus: f64,
}

impl Default for EpisodeRules {
    fn default() -> Self {
        EpisodeRules {
            stall_frames: 20,
            max_ticks: 6000,
            frame_penalty: 0.5,
            finish_bonus: 1000.0,
        }
    }
}

/// One episode in progress: a world plus the fitness bookkeeping. A viewer can
/// step it once per tick exactly as the evaluation does.
#[derive(Debug, Clone)]
pub struct Episode {
    world: World,
    rules: EpisodeRules,
    start_px: i32,
    finish_px: i32,
    rightmost_px: i32,
    budget: i64,
    end: Option<EndCause>,
}

/// The outcome of one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeReport {
    /// Level name.
    pub level: String,
    /// MarI/O fitness (see the module docs); not floored.
    pub fitness: f64,
    /// Rightmost progress in \[0, 1\].
    pub progress: f64,
    /// Whether the goal was reached.
    pub finished: bool,
    /// Why it ended.
    pub cause: EndCause,
    /// Ticks simulated.
    pub ticks: u32,
    /// Rightmost x reached, whole px.
    pub rightmost_px: i32,
    /// Enemies stomped.
    pub stomps: u32,
    /// The buttons held in every tick, when recording was asked for.
    pub buttons: Option<Vec<Buttons>>,
}

impl Episode {
    /// Starts an episode on `level`.
    pub fn new(level: Arc<Level>, rules: EpisodeRules) -> Self {
        let world = World::new(level);
        let start_px = world.player().x.div_euclid(PX);
        let finish_px = finish_x(world.level()).div_euclid(PX);
        Episode {
            world,
            rules,
            start_px,
            finish_px,
            rightmost_px: start_px,
            budget: i64::from(rules.stall_frames),
            end: None,
        }
    }

    /// Advances one tick; returns the end cause once the episode is over (and keeps
    /// returning it without stepping).
    pub fn step(&mut self, buttons: Buttons) -> Option<EndCause> {
        if self.end.is_some() {
            return self.end;
        }
        let status = self.world.step(buttons);
        let x = self.world.player().x.div_euclid(PX);
        if x > self.rightmost_px {
            self.rightmost_px = x;
            self.budget = i64::from(self.rules.stall_frames);
        }
        self.budget -= 1;
        let ticks = self.world.tick();
        self.end = match status {
            Status::Finished => Some(EndCause::Finished),
            Status::Dead(cause) => Some(EndCause::Died(cause)),
            Status::Playing if 4 * self.budget + i64::from(ticks) <= 0 => Some(EndCause::Stalled),
            Status::Playing if ticks >= self.rules.max_ticks => Some(EndCause::TimeUp),
            Status::Playing => None,
        };
        self.end
    }

    /// The world.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The end cause, once over.
    pub fn end(&self) -> Option<EndCause> {
        self.end
    }

    /// Rightmost x so far, whole px.
    pub fn rightmost_px(&self) -> i32 {
        self.rightmost_px
    }

    /// Fitness so far.
    pub fn fitness(&self) -> f64 {
        let finished = self.end == Some(EndCause::Finished);
        f64::from(self.rightmost_px) - self.rules.frame_penalty * f64::from(self.world.tick())
            + if finished {
                self.rules.finish_bonus
            } else {
                0.0
            }
    }

    /// Progress so far in \[0, 1\].
    pub fn progress(&self) -> f64 {
        if self.end == Some(EndCause::Finished) {
            return 1.0;
        }
        let span = f64::from(self.finish_px - self.start_px);
        (f64::from(self.rightmost_px - self.start_px) / span).clamp(0.0, 1.0)
    }

    /// The report, once the episode is over.
    pub fn report(&self, buttons: Option<Vec<Buttons>>) -> Option<EpisodeReport> {
        let cause = self.end?;
        Some(EpisodeReport {
            level: self.world.level().name().to_string(),
            fitness: self.fitness(),
            progress: self.progress(),
            finished: cause == EndCause::Finished,
            cause,
            ticks: self.world.tick(),
            rightmost_px: self.rightmost_px,
            stomps: self.world.stomps(),
            buttons,
        })
    }
}

/// How an agent plays: what it sees, how often it decides, and the episode rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlaySettings {
    /// The observation.
    pub sensors: SensorSpec,
    /// Ticks between decisions; buttons stay held in between (MarI/O: 5).
    pub decision_interval: u32,
    /// Fitness and ending rules.
    pub rules: EpisodeRules,
}

impl Default for PlaySettings {
    fn default() -> Self {
        PlaySettings {
            sensors: SensorSpec::default(),
            decision_interval: 5,
            rules: EpisodeRules::default(),
        }
    }
}

impl PlaySettings {
    /// Plays one episode: resets the agent, then asks it for buttons at ticks 0,
    /// N, 2N, … and holds them in between. `observation` is scratch space reused
    /// across calls (resized to the sensor length). With `record`, the report
    /// carries the buttons of every tick, which [`PlaySettings::replay`] turns back
    /// into the identical episode.
    pub fn play(
        &self,
        level: &Arc<Level>,
        agent: &mut dyn Agent,
        observation: &mut Vec<f64>,
        record: bool,
    ) -> EpisodeReport {
        agent.reset();
        observation.resize(self.sensors.len(), 0.0);
        let mut episode = Episode::new(level.clone(), self.rules);
        let mut trace = record.then(Vec::new);
        let mut buttons = Buttons::NONE;
        loop {
            let end = self.step_agent(&mut episode, agent, observation, &mut buttons);
            if let Some(trace) = trace.as_mut() {
                trace.push(buttons);
            }
            if end.is_some() {
                break;
            }
        }
        finished_report(&episode, trace)
    }

    /// One tick of an agent playing: at ticks 0, N, 2N, … the agent sees the world
    /// and `buttons` becomes its choice; then the episode steps with `buttons`
    /// held. This is the loop body of [`PlaySettings::play`], for callers (such as
    /// a viewer) that advance one tick per frame; they call `agent.reset()` and
    /// size `observation` to [`SensorSpec::len`] first.
    pub fn step_agent(
        &self,
        episode: &mut Episode,
        agent: &mut dyn Agent,
        observation: &mut [f64],
        buttons: &mut Buttons,
    ) -> Option<EndCause> {
        if episode.end().is_none()
            && episode
                .world()
                .tick()
                .is_multiple_of(self.decision_interval.max(1))
        {
            self.sensors.observe(episode.world(), observation);
            *buttons = Buttons::from_outputs(agent.act(observation));
        }
        episode.step(*buttons)
    }

    /// Replays recorded per-tick buttons (then nothing held, should they run out
    /// before the episode ends).
    pub fn replay(&self, level: &Arc<Level>, buttons: &[Buttons]) -> EpisodeReport {
        let mut episode = Episode::new(level.clone(), self.rules);
        let mut held = buttons
            .iter()
            .copied()
            .chain(std::iter::repeat(Buttons::NONE));
        while episode.step(held.next().unwrap_or_default()).is_none() {}
        finished_report(&episode, None)
    }
}

/// The report of an episode that has ended.
fn finished_report(episode: &Episode, buttons: Option<Vec<Buttons>>) -> EpisodeReport {
    episode
        .report(buttons)
        .expect("the loop only stops once the episode has ended")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{flat, level};

    /// A scripted agent: fixed outputs; a positive jump output is pressed for
    /// five decisions out of every eight, so the agent keeps hopping.
    struct Script {
        outputs: [f64; 5],
        hop: bool,
        resets: u32,
        decisions: u32,
    }

    impl Script {
        fn new(outputs: [f64; 5]) -> Self {
            Script {
                outputs,
                hop: outputs[2] > 0.0,
                resets: 0,
                decisions: 0,
            }
        }
    }

    impl Agent for Script {
        fn reset(&mut self) {
            self.resets += 1;
        }
        fn act(&mut self, _observation: &[f64]) -> &[f64] {
            if self.hop {
                self.outputs[2] = if self.decisions % 8 < 5 { 1.0 } else { -1.0 };
            }
            self.decisions += 1;
            &self.outputs
        }
    }

    const RUNNER: [f64; 5] = [-1.0, 1.0, 1.0, 1.0, -1.0];
    const IDLE: [f64; 5] = [-1.0; 5];

    #[test]
    fn standing_still_stalls_after_mario_budget() {
        let settings = PlaySettings::default();
        let report = settings.play(&flat(40), &mut Script::new(IDLE), &mut Vec::new(), false);
        assert_eq!(report.cause, EndCause::Stalled);
        // budget 20 − t + t/4 ≤ 0 first holds at t = 27.
        assert_eq!(report.ticks, 27);
        assert_eq!(report.rightmost_px, 34);
        assert_eq!(report.fitness, 34.0 - 13.5);
        assert_eq!(report.progress, 0.0);
    }

    #[test]
    fn stall_allowance_grows_with_elapsed_time() {
        let rules = EpisodeRules::default();
        let mut episode = Episode::new(flat(200), rules);
        for _ in 0..200 {
            episode.step(Buttons::RIGHT);
        }
        let moving_until = episode.world().tick();
        // Stop: the player coasts a little, then stands.
        let mut ticks = 0;
        while episode.step(Buttons::NONE).is_none() {
            ticks += 1;
        }
        assert_eq!(episode.end(), Some(EndCause::Stalled));
        assert!(ticks > 20 + moving_until / 4, "paused {ticks} ticks");
    }

    #[test]
    fn finishing_scores_the_bonus_and_full_progress() {
        let settings = PlaySettings::default();
        let report = settings.play(&flat(30), &mut Script::new(RUNNER), &mut Vec::new(), false);
        assert_eq!(report.cause, EndCause::Finished);
        assert!(report.finished);
        assert_eq!(report.progress, 1.0);
        let expected = f64::from(report.rightmost_px) - 0.5 * f64::from(report.ticks) + 1000.0;
        assert_eq!(report.fitness, expected);
    }

    #[test]
    fn a_pit_ends_the_episode() {
        let rows = [
            "....................",
            "..M................G",
            "XXXXXXXX......XXXXXX",
            "XXXXXXXX......XXXXXX",
        ];
        let settings = PlaySettings::default();
        let mut agent = Script::new([-1.0, 1.0, -1.0, 1.0, -1.0]);
        let report = settings.play(&level(&rows), &mut agent, &mut Vec::new(), false);
        assert_eq!(report.cause, EndCause::Died(DeathCause::Pit));
        assert!(!report.finished && report.progress > 0.2 && report.progress < 0.6);
        assert_eq!(agent.resets, 1);
    }

    #[test]
    fn hard_limit_ends_the_episode() {
        let mut settings = PlaySettings::default();
        settings.rules.max_ticks = 50;
        let report = settings.play(&flat(200), &mut Script::new(RUNNER), &mut Vec::new(), false);
        assert_eq!((report.cause, report.ticks), (EndCause::TimeUp, 50));
    }

    #[test]
    fn agent_decides_every_interval() {
        let mut settings = PlaySettings::default();
        settings.rules.max_ticks = 100;
        for interval in [1, 5, 7] {
            settings.decision_interval = interval;
            let mut agent = Script::new(RUNNER);
            settings.play(&flat(400), &mut agent, &mut Vec::new(), false);
            assert_eq!(agent.decisions, 100u32.div_ceil(interval));
        }
    }

    #[test]
    fn recorded_buttons_replay_to_the_identical_trajectory() {
        let level = Level::builtin("1-1").map(Arc::new).unwrap();
        let settings = PlaySettings::default();
        let report = settings.play(&level, &mut Script::new(RUNNER), &mut Vec::new(), true);
        let buttons = report.buttons.clone().unwrap();
        assert_eq!(buttons.len(), report.ticks as usize);
        assert!(
            report.ticks > 100,
            "long enough to mean something: {report:?}"
        );
        let again = settings.replay(&level, &buttons);
        assert_eq!(
            again,
            EpisodeReport {
                buttons: None,
                ..report
            }
        );
        // And tick by tick, every body matches.
        let (mut a, mut b) = (World::new(level.clone()), World::new(level));
        for &held in &buttons {
            a.step(held);
            b.step(held);
            assert_eq!(a.player(), b.player());
            assert_eq!(a.enemies(), b.enemies());
        }
    }
}
