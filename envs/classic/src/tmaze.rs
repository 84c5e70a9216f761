//! The T-maze with a reward that moves during the lifetime (as in PyTorch-NEAT's
//! `t_maze` and Soltoggio et al. 2008): a task where lifetime learning matters.
//!
//! A lifetime is `trials` trials. In each, the agent starts at the foot of a
//! corridor, walks it to a junction, turns left or right, walks that arm to its
//! end and finds a reward there: `high_reward` on one side, `low_reward` on the
//! other. The walking is automatic; the agent's only choice is the turn, read from
//! its output at the junction. The high-reward side is drawn at random at the
//! start of the lifetime and flips once, at a trial drawn uniformly from
//! `flip_mean ± flip_range`, so an agent must find the good side, then notice
//! that it moved and switch.
//!
//! Observations are `[at_start, at_junction, at_end, reward]` (the agent adds the
//! bias): 1 at the start, junction and end steps respectively, and the reward
//! value during the end steps (0 elsewhere). The agent is reset once per
//! lifetime, never between trials, so whatever it learned or remembers carries
//! over from trial to trial. Fitness is the number of trials that reached the
//! high reward, averaged over `lifetimes` lifetimes (0 to `trials`), whose start
//! sides alternate by default (see [`TMazeConfig::alternate_sides`]).
//!
//! A memoryless policy always turns the same way and scores about half the
//! trials; switching after every low reward scores about `trials − 1.5`.

use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};
use sprout_task::{Agent, EvalContext, Evaluation, Task};

/// Observation values per step (without the bias).
pub const INPUTS: usize = 4;

/// The `task` section of a T-maze experiment: `task: TMaze()` takes every
/// default. Unknown fields are rejected; [`TMazeConfig::validate`] names the
/// first field out of range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TMazeConfig {
    /// Trials per lifetime. Default 100.
    pub trials: u32,
    /// The high-reward side flips at the start of trial `flip_mean ± flip_range`
    /// (0-based, uniform, inclusive). Default 50.
    pub flip_mean: u32,
    /// See `flip_mean`. Default 15. The flip always falls inside the lifetime:
    /// `flip_range ≤ flip_mean` and `flip_mean + flip_range < trials`.
    pub flip_range: u32,
    /// Empty corridor steps between the start and the junction. Default 1.
    pub corridor_length: u32,
    /// Empty steps along an arm between the junction and its end. Default 1.
    pub arm_length: u32,
    /// Steps at the end of an arm, each showing the reward. Default 1 (at least 1).
    pub reward_steps: u32,
    /// The reward on the good side. Default 1.0.
    pub high_reward: f64,
    /// The reward on the other side. Default 0.2 (must be below `high_reward`).
    pub low_reward: f64,
    /// At the junction the agent turns right when its output is above this, and
    /// left otherwise (NaN included). Default 0.0: the sign of a tanh output.
    pub turn_threshold: f64,
    /// Lifetimes per evaluation, each with its own flip trial; the fitness is
    /// their mean. Default 4.
    pub lifetimes: u32,
    /// When true, the good side at the start alternates from lifetime to lifetime
    /// of an evaluation, from a random first one, so both start sides count
    /// equally (the agent is reset in between and cannot tell); when false, each
    /// lifetime draws its start side. Alternating removes most of the luck from
    /// an evaluation: a policy that only works from one side cannot score well by
    /// drawing that side every time. Default true.
    pub alternate_sides: bool,
    /// An evaluation counts as solved when its fitness reaches this. Default 95.0.
    pub success_trials: f64,
}

impl Default for TMazeConfig {
    fn default() -> Self {
        Self {
            trials: 100,
            flip_mean: 50,
            flip_range: 15,
            corridor_length: 1,
            arm_length: 1,
            reward_steps: 1,
            high_reward: 1.0,
            low_reward: 0.2,
            turn_threshold: 0.0,
            lifetimes: 4,
            alternate_sides: true,
            success_trials: 95.0,
        }
    }
}

/// A T-maze config field out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("task.{field}: {message}")]
pub struct TMazeError {
    /// The offending field, as spelled in the config file.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

fn err(field: &'static str, message: String) -> TMazeError {
    TMazeError { field, message }
}

impl TMazeConfig {
    /// Checks every field's range. The error names the first offending field.
    pub fn validate(&self) -> Result<(), TMazeError> {
        if self.trials == 0 {
            return Err(err("trials", "0 must be at least 1".to_owned()));
        }
        if self.flip_range > self.flip_mean {
            return Err(err(
                "flip_range",
                format!(
                    "{} exceeds flip_mean {}: the flip could come before the first trial",
                    self.flip_range, self.flip_mean
                ),
            ));
        }
        if u64::from(self.flip_mean) + u64::from(self.flip_range) >= u64::from(self.trials) {
            return Err(err(
                "flip_mean",
                format!(
                    "{} + flip_range {} must be below trials {}: the flip must happen",
                    self.flip_mean, self.flip_range, self.trials
                ),
            ));
        }
        if self.reward_steps == 0 {
            return Err(err("reward_steps", "0 must be at least 1".to_owned()));
        }
        if self.lifetimes == 0 {
            return Err(err("lifetimes", "0 must be at least 1".to_owned()));
        }
        for (field, v) in [
            ("high_reward", self.high_reward),
            ("low_reward", self.low_reward),
            ("turn_threshold", self.turn_threshold),
        ] {
            if !v.is_finite() {
                return Err(err(field, format!("{v} must be finite")));
            }
        }
        if self.low_reward >= self.high_reward {
            return Err(err(
                "low_reward",
                format!(
                    "{} must be below high_reward {}",
                    self.low_reward, self.high_reward
                ),
            ));
        }
        if !(0.0..=f64::from(self.trials)).contains(&self.success_trials) {
            return Err(err(
                "success_trials",
                format!("{} must be within 0 and trials", self.success_trials),
            ));
        }
        Ok(())
    }

    /// Validates the config and builds the task.
    pub fn build(&self) -> Result<TMaze, TMazeError> {
        self.validate()?;
        Ok(TMaze {
            config: self.clone(),
        })
    }

    /// Agent decisions in one trial.
    pub fn steps_per_trial(&self) -> u64 {
        u64::from(2 + self.corridor_length + self.arm_length + self.reward_steps)
    }
}

/// The T-maze task (name `tmaze`, 4 inputs, 1 output). Build it with
/// [`TMazeConfig::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct TMaze {
    config: TMazeConfig,
}

impl TMaze {
    /// The settings.
    pub fn config(&self) -> &TMazeConfig {
        &self.config
    }

    /// One lifetime: resets the agent once, then runs every trial. Returns the
    /// number of trials that reached the high reward. The flip trial is drawn
    /// from `rng`.
    pub fn lifetime<R: Rng + ?Sized>(
        &self,
        agent: &mut dyn Agent,
        right_is_high_at_start: bool,
        rng: &mut R,
    ) -> u32 {
        let c = &self.config;
        agent.reset();
        let flip = rng.random_range(c.flip_mean - c.flip_range..=c.flip_mean + c.flip_range);
        let empty = [0.0; INPUTS];
        let mut high_trials = 0;
        for trial in 0..c.trials {
            let right_is_high = right_is_high_at_start != (trial >= flip);
            agent.act(&[1.0, 0.0, 0.0, 0.0]);
            for _ in 0..c.corridor_length {
                agent.act(&empty);
            }
            let turned_right = agent.act(&[0.0, 1.0, 0.0, 0.0])[0] > c.turn_threshold;
            for _ in 0..c.arm_length {
                agent.act(&empty);
            }
            let high = turned_right == right_is_high;
            let reward = if high { c.high_reward } else { c.low_reward };
            for _ in 0..c.reward_steps {
                agent.act(&[0.0, 0.0, 1.0, reward]);
            }
            high_trials += u32::from(high);
        }
        high_trials
    }
}

impl Task for TMaze {
    fn name(&self) -> &str {
        "tmaze"
    }

    fn inputs(&self) -> usize {
        INPUTS
    }

    fn outputs(&self) -> usize {
        1
    }

    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        let c = &self.config;
        let first_side = ctx.rng.random_bool(0.5);
        let mut total = 0;
        for i in 0..c.lifetimes {
            let right = if c.alternate_sides {
                first_side != (i % 2 == 1)
            } else if i == 0 {
                first_side
            } else {
                ctx.rng.random_bool(0.5)
            };
            total += self.lifetime(agent, right, &mut ctx.rng);
        }
        let fitness = f64::from(total) / f64::from(c.lifetimes);
        Evaluation {
            fitness,
            solved: fitness >= c.success_trials,
            steps: u64::from(c.lifetimes) * u64::from(c.trials) * c.steps_per_trial(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    /// Turns the way it last found the high reward: after a low reward it
    /// switches sides. Keeps a log of what it saw.
    #[derive(Default)]
    struct Switcher {
        right: bool,
        resets: usize,
        log: Vec<[f64; INPUTS]>,
        output: [f64; 1],
    }

    impl Agent for Switcher {
        fn reset(&mut self) {
            self.resets += 1;
            self.right = false;
        }

        fn act(&mut self, observation: &[f64]) -> &[f64] {
            let arrived = self.log.last().is_none_or(|last| last[2] == 0.0);
            if observation[2] == 1.0 && observation[3] < 1.0 && arrived {
                self.right = !self.right;
            }
            self.log.push(observation.try_into().unwrap());
            self.output = [if self.right { 1.0 } else { -1.0 }];
            &self.output
        }
    }

    /// Always turns the same way.
    struct Constant([f64; 1]);

    impl Agent for Constant {
        fn reset(&mut self) {}
        fn act(&mut self, _observation: &[f64]) -> &[f64] {
            &self.0
        }
    }

    fn context(seed: u64) -> EvalContext {
        EvalContext {
            generation: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    fn mean_score(task: &TMaze, agent: &mut dyn Agent, lifetimes: u32) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        (0..lifetimes)
            .map(|i| f64::from(task.lifetime(agent, i % 2 == 0, &mut rng)))
            .sum::<f64>()
            / f64::from(lifetimes)
    }

    #[test]
    fn a_memoryless_policy_scores_about_half() {
        let task = TMazeConfig::default().build().unwrap();
        for output in [-1.0, 1.0] {
            let mean = mean_score(&task, &mut Constant([output]), 2_000);
            assert!((45.0..=55.0).contains(&mean), "{output}: {mean}");
        }
    }

    #[test]
    fn switching_after_a_low_reward_scores_near_the_maximum() {
        let task = TMazeConfig::default().build().unwrap();
        let mean = mean_score(&task, &mut Switcher::default(), 2_000);
        // One miss at the flip, and one half the time on the first trial.
        assert!((mean - 98.5).abs() < 0.1, "{mean}");
    }

    #[test]
    fn the_agent_is_reset_once_per_lifetime_and_sees_the_documented_steps() {
        let config = TMazeConfig {
            corridor_length: 2,
            arm_length: 1,
            reward_steps: 2,
            lifetimes: 3,
            ..TMazeConfig::default()
        };
        let task = config.build().unwrap();
        let mut agent = Switcher::default();
        let e = task.evaluate(&mut agent, &mut context(1));
        assert_eq!(agent.resets, 3);
        assert_eq!(e.steps, 3 * 100 * 7);
        assert_eq!(agent.log.len() as u64, e.steps);
        let trial = &agent.log[..7];
        assert_eq!(trial[0], [1.0, 0.0, 0.0, 0.0]);
        assert_eq!(trial[1], [0.0; 4]);
        assert_eq!(trial[2], [0.0; 4]);
        assert_eq!(trial[3], [0.0, 1.0, 0.0, 0.0]);
        assert_eq!(trial[4], [0.0; 4]);
        assert_eq!(trial[5][..3], [0.0, 0.0, 1.0]);
        assert_eq!(trial[5], trial[6], "the reward shows for both end steps");
        assert!(trial[5][3] == 1.0 || trial[5][3] == 0.2);
        assert!(e.fitness > 95.0 && e.solved);
    }

    #[test]
    fn the_good_side_flips_once_inside_the_window() {
        // Always turning right scores the trials before the flip (right was good
        // first) or those from the flip on (right became good): 35 to 65 either way.
        let task = TMazeConfig::default().build().unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let scores: Vec<u32> = (0..500)
            .map(|i| task.lifetime(&mut Constant([1.0]), i % 3 == 0, &mut rng))
            .collect();
        assert!(scores.iter().all(|s| (35..=65).contains(s)), "{scores:?}");
        for s in 35..=65 {
            assert!(scores.contains(&s), "the flip never fell to give {s}");
        }
    }

    /// Turns right until its first low reward, then left for good.
    #[derive(Default)]
    struct OneSwitch {
        left: bool,
        output: [f64; 1],
    }

    impl Agent for OneSwitch {
        fn reset(&mut self) {
            self.left = false;
        }
        fn act(&mut self, observation: &[f64]) -> &[f64] {
            self.left |= observation[3] > 0.0 && observation[3] < 1.0;
            self.output = [if self.left { -1.0 } else { 1.0 }];
            &self.output
        }
    }

    #[test]
    fn alternating_sides_deny_a_one_sided_policy_its_lucky_draws() {
        // OneSwitch scores 99 from a right start but about 50 from a left one.
        let scores = |alternate_sides| {
            let task = TMazeConfig {
                alternate_sides,
                lifetimes: 2,
                ..TMazeConfig::default()
            }
            .build()
            .unwrap();
            (0..200)
                .map(|seed| {
                    task.evaluate(&mut OneSwitch::default(), &mut context(seed))
                        .fitness
                })
                .collect::<Vec<f64>>()
        };
        assert!(scores(true).iter().all(|&f| (65.0..=85.0).contains(&f)));
        assert!(scores(false).contains(&99.0));
    }

    #[test]
    fn evaluations_repeat_from_the_same_seed() {
        let task = TMazeConfig::default().build().unwrap();
        let run = |seed| {
            let mut agent = Switcher::default();
            let e = task.evaluate(&mut agent, &mut context(seed));
            (e.fitness, agent.log)
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5).1, run(6).1);
    }

    #[test]
    fn a_config_may_name_nothing_and_rejects_unknown_fields() {
        let c: TMazeConfig = ron::from_str("()").unwrap();
        assert_eq!(c, TMazeConfig::default());
        let c: TMazeConfig =
            ron::from_str("(trials: 60, flip_mean: 30, lifetimes: 2, success_trials: 55.0)")
                .unwrap();
        assert_eq!((c.trials, c.flip_mean, c.lifetimes), (60, 30, 2));
        c.validate().unwrap();
        let e = ron::from_str::<TMazeConfig>("(trails: 60)").unwrap_err();
        assert!(e.to_string().contains("trails"), "{e}");
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let d = TMazeConfig::default();
        let cases = [
            (
                TMazeConfig {
                    trials: 0,
                    ..d.clone()
                },
                "trials",
            ),
            (
                TMazeConfig {
                    flip_range: 51,
                    ..d.clone()
                },
                "flip_range",
            ),
            (
                TMazeConfig {
                    flip_mean: 90,
                    ..d.clone()
                },
                "flip_mean",
            ),
            (
                TMazeConfig {
                    reward_steps: 0,
                    ..d.clone()
                },
                "reward_steps",
            ),
            (
                TMazeConfig {
                    lifetimes: 0,
                    ..d.clone()
                },
                "lifetimes",
            ),
            (
                TMazeConfig {
                    high_reward: f64::NAN,
                    ..d.clone()
                },
                "high_reward",
            ),
            (
                TMazeConfig {
                    low_reward: 1.0,
                    ..d.clone()
                },
                "low_reward",
            ),
            (
                TMazeConfig {
                    success_trials: 101.0,
                    ..d.clone()
                },
                "success_trials",
            ),
        ];
        for (config, field) in cases {
            let e = config.build().unwrap_err();
            assert_eq!(e.field, field);
            assert!(e.to_string().starts_with(&format!("task.{field}: ")), "{e}");
        }
    }
}
