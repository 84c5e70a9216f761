//! What the window is playing: one episode at a time of a pilot (a network or the
//! keyboard) on a list of levels, advanced one 60 Hz tick per call, exactly as
//! evaluation plays it. After an episode ends the final state stays up for a
//! moment, then the next level starts.
//!
//! A network plays the experiment's variations too: with `mirror_controls` every
//! other episode has left and right swapped, with `occlusion` the network's
//! grid loses cells as in evaluation (drawn from a fixed seed and the episode's
//! number, so a replay shows the same episodes every time).

use std::sync::Arc;

use sprout_evolve::{Agent, NetworkAgent};
use sprout_genome::{Genome, NeatConfig};
use sprout_network::Network;
use sprout_platformer::enemies::MAX_ACTIVE;
use sprout_platformer::{
    Buttons, EndCause, Enemy, Episode, Level, PlaySettings, VariantState, Variations, VariedAgent,
    World,
};

/// Ticks the final state of an episode stays on screen.
pub const END_PAUSE_TICKS: u32 = 60;

/// Ticks a stomped enemy stays on screen, squashed.
pub const SQUASH_TICKS: u32 = 30;

/// Seed of the hidden cells of shown episodes (with the episode's number).
const VARIANT_SEED: u64 = 0;

/// Who presses the buttons.
#[derive(Debug)]
pub enum Pilot {
    /// A compiled genome, exactly as evaluation runs it.
    Network {
        /// The genome.
        genome: Box<Genome>,
        /// Its compiled network and lifetime state.
        agent: Box<NetworkAgent>,
        /// The link weights every episode starts from, in link order.
        start_weights: Vec<f64>,
    },
    /// A person at the keyboard.
    Keyboard,
}

/// One pilot playing a sequence of levels.
#[derive(Debug)]
pub struct Show {
    play: PlaySettings,
    /// The variations a network plays (none for the keyboard).
    variations: Variations,
    /// This episode's variant, unless it is the plain game.
    variant: Option<VariantState>,
    levels: Vec<Arc<Level>>,
    level: usize,
    pilot: Pilot,
    episode: Episode,
    observation: Vec<f64>,
    buttons: Buttons,
    ended_for: u32,
    episodes: u64,
    /// Enemies stomped within the last [`SQUASH_TICKS`], with the ticks they
    /// stay on screen.
    squashed: Vec<(Enemy, u32)>,
}

impl Show {
    /// `genome` (compiled as `neat` says) playing `levels` in turn, with the
    /// experiment's `variations` from episode to episode.
    ///
    /// # Panics
    /// If `levels` is empty.
    pub fn of_genome(
        play: PlaySettings,
        variations: Variations,
        levels: Vec<Arc<Level>>,
        genome: &Genome,
        neat: &NeatConfig,
    ) -> Self {
        let agent = NetworkAgent::new(genome, neat);
        let start_weights = agent.network().links().map(|(_, _, w)| w).collect();
        let pilot = Pilot::Network {
            genome: Box::new(genome.clone()),
            agent: Box::new(agent),
            start_weights,
        };
        Self::start(play, variations, levels, pilot)
    }

    /// The keyboard playing `levels` in turn.
    ///
    /// # Panics
    /// If `levels` is empty.
    pub fn keyboard(play: PlaySettings, levels: Vec<Arc<Level>>) -> Self {
        Self::start(play, Variations::default(), levels, Pilot::Keyboard)
    }

    fn start(
        play: PlaySettings,
        variations: Variations,
        levels: Vec<Arc<Level>>,
        mut pilot: Pilot,
    ) -> Self {
        assert!(!levels.is_empty(), "a show needs a level");
        if let Pilot::Network { agent, .. } = &mut pilot {
            agent.reset();
        }
        let episode = Episode::new(levels[0].clone(), play.rules);
        let mut show = Show {
            play,
            variations,
            variant: None,
            levels,
            level: 0,
            pilot,
            episode,
            observation: vec![0.0; play.sensors.len()],
            buttons: Buttons::NONE,
            ended_for: 0,
            episodes: 0,
            squashed: Vec::new(),
        };
        show.draw_variant();
        show.observe();
        show
    }

    /// The variant of the episode starting now.
    fn draw_variant(&mut self) {
        let variant = self.variations.episode(self.episodes, VARIANT_SEED);
        let side = self.play.sensors.side();
        self.variant = (!variant.is_plain())
            .then(|| VariantState::new(&variant, side * side, self.play.sensors.len()));
    }

    fn observe(&mut self) {
        self.play
            .sensors
            .observe(self.episode.world(), &mut self.observation);
    }

    /// Advances one tick. `keys` are the buttons held on the keyboard (ignored
    /// when a network plays).
    pub fn step(&mut self, keys: Buttons) {
        for (_, left) in &mut self.squashed {
            *left -= 1;
        }
        self.squashed.retain(|&(_, left)| left > 0);
        if self.episode.end().is_some() {
            self.ended_for += 1;
            if self.ended_for >= END_PAUSE_TICKS {
                self.next_episode();
            }
            return;
        }
        // The simulation removes a stomped enemy at once; remember where it
        // was so the window can show it squashed for a moment.
        let stomps = self.world().stomps();
        let mut before = [Enemy::default(); MAX_ACTIVE];
        let alive = self.world().enemies();
        before[..alive.len()].copy_from_slice(alive);
        let before = &before[..alive.len()];
        self.advance(keys);
        let world = self.episode.world();
        if world.stomps() > stomps {
            let now = world.enemies();
            self.squashed.extend(
                before
                    .iter()
                    .filter(|e| e.kind.stompable() && !now.iter().any(|n| n.spawn == e.spawn))
                    .map(|&e| (e, SQUASH_TICKS)),
            );
        }
    }

    /// One tick of the pilot and the simulation.
    fn advance(&mut self, keys: Buttons) {
        match &mut self.pilot {
            Pilot::Network { agent, .. } => {
                let agent: &mut dyn Agent = agent.as_mut();
                let (episode, observation, buttons) =
                    (&mut self.episode, &mut self.observation, &mut self.buttons);
                match &mut self.variant {
                    Some(state) => {
                        let mut varied = VariedAgent::new(agent, state);
                        self.play
                            .step_agent(episode, &mut varied, observation, buttons);
                    }
                    None => {
                        self.play.step_agent(episode, agent, observation, buttons);
                    }
                }
            }
            Pilot::Keyboard => {
                self.buttons = keys;
                self.episode.step(keys);
                self.observe();
            }
        }
    }

    /// Restarts on the next level of the list (the same level if there is one).
    pub fn next_episode(&mut self) {
        self.level = (self.level + 1) % self.levels.len();
        self.restart();
    }

    /// Restarts the current level.
    pub fn restart(&mut self) {
        self.episode = Episode::new(self.levels[self.level].clone(), self.play.rules);
        if let Pilot::Network { agent, .. } = &mut self.pilot {
            agent.reset();
        }
        self.buttons = Buttons::NONE;
        self.ended_for = 0;
        self.episodes += 1;
        self.squashed.clear();
        self.draw_variant();
        self.observe();
    }

    /// The simulation as it stands.
    pub fn world(&self) -> &World {
        self.episode.world()
    }

    /// The episode (fitness, progress, end).
    pub fn episode(&self) -> &Episode {
        &self.episode
    }

    /// How the episode ended, if it has.
    pub fn end(&self) -> Option<EndCause> {
        self.episode.end()
    }

    /// Enemies stomped in the last [`SQUASH_TICKS`] ticks, as they stood
    /// when stomped.
    pub fn squashed(&self) -> impl Iterator<Item = &Enemy> {
        self.squashed.iter().map(|(e, _)| e)
    }

    /// The latest observation, before any occlusion.
    pub fn observation(&self) -> &[f64] {
        &self.observation
    }

    /// The grid cells hidden from the network at its last decision.
    pub fn hidden_cells(&self) -> &[usize] {
        self.variant.as_ref().map_or(&[], |v| v.hidden_cells())
    }

    /// Whether left and right are swapped in this episode.
    pub fn mirrored(&self) -> bool {
        self.variant.as_ref().is_some_and(|v| v.mirrored())
    }

    /// The buttons held this tick.
    pub fn buttons(&self) -> Buttons {
        self.buttons
    }

    /// The play settings (sensors, decision interval, rules).
    pub fn play_settings(&self) -> &PlaySettings {
        &self.play
    }

    /// The network and its genome, when a network plays.
    pub fn network(&self) -> Option<(&Genome, &Network)> {
        match &self.pilot {
            Pilot::Network { genome, agent, .. } => Some((genome.as_ref(), agent.network())),
            Pilot::Keyboard => None,
        }
    }

    /// For a network that learns while it plays (plasticity genes or a Hebbian
    /// or pruning module), the mean |w − w₀| over its links: how far lifetime
    /// learning has moved the weights since the episode began (`None` for fixed
    /// weights and for the keyboard).
    pub fn weight_drift(&self) -> Option<f64> {
        let Pilot::Network {
            agent,
            start_weights,
            ..
        } = &self.pilot
        else {
            return None;
        };
        if !agent.learns() {
            return None;
        }
        let network = agent.network();
        let sum: f64 = network
            .links()
            .zip(start_weights)
            .map(|((_, _, w), w0)| (w - w0).abs())
            .sum();
        Some(sum / start_weights.len().max(1) as f64)
    }

    /// Episodes started after the first.
    pub fn episodes(&self) -> u64 {
        self.episodes
    }

    /// The level being played.
    pub fn level(&self) -> &Arc<Level> {
        &self.levels[self.level]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_genome::Population;

    fn settings() -> PlaySettings {
        PlaySettings::default()
    }

    #[test]
    fn a_network_show_plays_exactly_as_evaluation() {
        let play = settings();
        let level = Arc::new(Level::builtin("1-1").expect("built in"));
        let neat = NeatConfig::default();
        let genome = Population::new(&neat, play.sensors.len(), 5, 7).genomes[0].clone();
        let mut agent = NetworkAgent::new(&genome, &neat);
        let report = play.play(&level, &mut agent, &mut Vec::new(), false);

        let mut show = Show::of_genome(play, Variations::default(), vec![level], &genome, &neat);
        let mut ticks = 0;
        while show.end().is_none() {
            show.step(Buttons::NONE);
            ticks += 1;
        }
        assert_eq!(ticks, report.ticks);
        assert_eq!(show.episode().fitness().to_bits(), report.fitness.to_bits());
    }

    #[test]
    fn a_network_show_plays_the_experiment_s_variants_as_evaluation_does() {
        use sprout_platformer::{Occlusion, PlatformerConfig, PlatformerTask};
        let task = PlatformerTask::new(PlatformerConfig {
            mirror_controls: true,
            occlusion: Some(Occlusion {
                probability: 1.0,
                ..Occlusion::default()
            }),
            ..PlatformerConfig::default()
        })
        .unwrap();
        let variations = task.config().variations();
        let play = *task.play_settings();
        let level = Arc::new(Level::builtin("1-1").expect("built in"));
        // Tanh outputs: a button whose output is 0 is not pressed.
        let neat = NeatConfig {
            initial_connection: sprout_genome::InitialConnection::Full,
            output_activation: sprout_genome::Activation::Tanh,
            ..Default::default()
        };
        // Holds the right button: output 1 (after left), fed by the bias alone.
        let mut genome = Population::new(&neat, play.sensors.len(), 5, 3).genomes[0].clone();
        let (bias, right) = (genome.bias_id(), genome.output_ids().start + 1);
        for c in &mut genome.conns {
            c.weight = if (c.source, c.target) == (bias, right) {
                1.0
            } else {
                0.0
            };
        }
        let mut show = Show::of_genome(play, variations, vec![level.clone()], &genome, &neat);
        let mut fitness = Vec::new();
        for k in 0..2 {
            let variant = variations.episode(k, VARIANT_SEED);
            let mut agent = NetworkAgent::new(&genome, &neat);
            let report = task.play_variant(&level, &mut agent, &variant, false);
            assert_eq!(show.mirrored(), k == 1);
            let mut ticks = 0;
            while show.end().is_none() {
                show.step(Buttons::NONE);
                assert!(
                    !show.hidden_cells().is_empty(),
                    "every decision is occluded"
                );
                ticks += 1;
            }
            assert_eq!(ticks, report.ticks, "episode {k}");
            assert_eq!(show.episode().fitness().to_bits(), report.fitness.to_bits());
            fitness.push(report.fitness);
            for _ in 0..END_PAUSE_TICKS {
                show.step(Buttons::NONE);
            }
        }
        assert!(
            fitness[0] > fitness[1],
            "right runs left when mirrored: {fitness:?}"
        );
    }

    #[test]
    fn plastic_weights_drift_during_play_and_return_at_restart() {
        let play = settings();
        let level = Arc::new(Level::builtin("1-1").expect("built in"));
        let neat = NeatConfig {
            plasticity: Some(Default::default()),
            initial_connection: sprout_genome::InitialConnection::Full,
            ..Default::default()
        };
        let genome = Population::new(&neat, play.sensors.len(), 5, 3).genomes[0].clone();
        let mut show = Show::of_genome(
            play,
            Variations::default(),
            vec![level.clone()],
            &genome,
            &neat,
        );
        assert_eq!(show.weight_drift(), Some(0.0));
        for _ in 0..30 {
            show.step(Buttons::NONE);
        }
        let drift = show.weight_drift().expect("a plastic network");
        assert!(drift > 0.0, "weights moved during play");
        show.restart();
        assert_eq!(
            show.weight_drift(),
            Some(0.0),
            "a new episode starts from the genome"
        );

        let fixed = NeatConfig::default();
        let show = Show::of_genome(
            play,
            Variations::default(),
            vec![level.clone()],
            &genome,
            &fixed,
        );
        assert_eq!(show.weight_drift(), None);

        // A Hebbian lifetime module moves the weights as well.
        let hebbian = NeatConfig {
            lifetime: vec![sprout_genome::LifetimeModuleSpec::Hebbian(
                sprout_genome::HebbianSpec::default(),
            )],
            ..fixed
        };
        let mut show = Show::of_genome(play, Variations::default(), vec![level], &genome, &hebbian);
        for _ in 0..30 {
            show.step(Buttons::NONE);
        }
        assert!(show.weight_drift().expect("a learning network") > 0.0);
    }

    #[test]
    fn after_an_episode_the_next_level_starts() {
        let one = Arc::new(Level::builtin("1-1").expect("built in"));
        let two = Arc::new(Level::builtin("1-2").expect("built in"));
        let mut show = Show::keyboard(settings(), vec![one, two]);
        // Standing still stalls the episode out.
        while show.end().is_none() {
            show.step(Buttons::NONE);
        }
        for _ in 0..END_PAUSE_TICKS {
            show.step(Buttons::NONE);
        }
        assert_eq!(show.level().name(), "1-2");
        assert_eq!(show.world().tick(), 0);
        assert_eq!(show.episodes(), 1);
    }

    #[test]
    fn the_keyboard_moves_the_player() {
        let level = Arc::new(Level::builtin("1-1").expect("built in"));
        let mut show = Show::keyboard(settings(), vec![level]);
        let x0 = show.world().player().x;
        for _ in 0..30 {
            show.step(Buttons::RIGHT);
        }
        assert!(show.world().player().x > x0);
        assert_eq!(show.buttons(), Buttons::RIGHT);
    }

    #[test]
    fn a_stomped_walker_stays_on_screen_squashed_for_a_moment() {
        // The player starts right above a walker and lands on it.
        let rows: Vec<String> = ["......G.", "..M...G.", "......G.", "..E...G.", "XXXXXXXX"]
            .iter()
            .map(|r| r.to_string())
            .collect();
        let level = Arc::new(Level::from_rows("stomp", &rows).unwrap());
        let mut show = Show::keyboard(settings(), vec![level]);
        let mut stomped_at = None;
        for tick in 0..60 {
            show.step(Buttons::NONE);
            if show.world().stomps() > 0 && stomped_at.is_none() {
                stomped_at = Some(tick);
                assert!(
                    show.world().enemies().is_empty(),
                    "the simulation removed it"
                );
                let squashed: Vec<&Enemy> = show.squashed().collect();
                assert_eq!(squashed.len(), 1, "the window still shows it");
                assert_eq!(squashed[0].spawn, 0);
            }
        }
        let at = stomped_at.expect("the player lands on the walker");
        assert!(at + SQUASH_TICKS as usize <= 60);
        assert_eq!(show.squashed().count(), 0, "gone after SQUASH_TICKS");
    }
}
