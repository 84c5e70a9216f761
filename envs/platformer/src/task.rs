//! The platformer as a [`Task`] for evolution.
//!
//! Inputs: the sensor grid (plus motion inputs if enabled), without the bias.
//! Outputs: left, right, jump, run, down (pressed when > 0). Each evaluation plays
//! every level of the generation's set `episodes` times (once by default); fitness
//! is the mean of the per-episode MarI/O fitness (each raised to
//! `fitness_floor`), `solved` means every episode finished, and `steps` counts
//! simulation ticks (decisions × decision interval): one agent-step is one 60 Hz
//! tick. With `mirror_controls` or `occlusion` each episode is a variant of the
//! game (see [`crate::variation`]) drawn from the evaluation's random stream.

use std::sync::{Arc, Mutex};

use rand::{Rng, RngExt};
use sprout_task::{Agent, EvalContext, Evaluation, Task};

use crate::buttons::Buttons;
use crate::config::{ConfigError, EpisodeFitness, LevelSet, PlatformerConfig, rotating_seed};
use crate::episode::{EpisodeReport, PlaySettings};
use crate::generator::{GenerateError, generate};
use crate::level::{Level, LevelError};
use crate::variation::{EpisodeVariant, VariantState, VariedAgent};

/// A shared set of levels.
pub type Levels = Arc<[Arc<Level>]>;

/// Why a task could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// A field is out of range.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A level file or name failed to load.
    #[error(transparent)]
    Level(#[from] LevelError),
    /// A generated level could not be made.
    #[error("platformer.levels: {0}")]
    Generate(#[from] GenerateError),
}

/// The platformer task.
#[derive(Debug)]
pub struct PlatformerTask {
    config: PlatformerConfig,
    play: PlaySettings,
    source: Source,
}

/// Where a task's levels come from.
#[derive(Debug)]
enum Source {
    /// One set for every generation.
    Fixed(Levels),
    /// A generated set per epoch, built on first use.
    Rotating {
        seed: u64,
        count: u32,
        difficulties: Vec<u32>,
        length: u32,
        every: u32,
        /// The most recently used sets by epoch (at most two).
        cache: Mutex<Vec<(u64, Levels)>>,
    },
}

impl PlatformerTask {
    /// Validates the config and loads or generates its levels.
    pub fn new(config: PlatformerConfig) -> Result<Self, TaskError> {
        config.validate()?;
        let source = match &config.levels {
            LevelSet::Builtin(names) => Source::Fixed(
                names
                    .iter()
                    .map(|n| Level::builtin(n).map(Arc::new))
                    .collect::<Result<_, _>>()?,
            ),
            LevelSet::Files(paths) => Source::Fixed(
                paths
                    .iter()
                    .map(|p| Level::load(p).map(Arc::new))
                    .collect::<Result<_, _>>()?,
            ),
            LevelSet::Generated {
                seeds,
                difficulties,
                length,
            } => {
                let mut levels = Vec::new();
                for &seed in seeds {
                    for &d in difficulties {
                        levels.push(Arc::new(generate(seed, d, *length)?));
                    }
                }
                Source::Fixed(levels.into())
            }
            LevelSet::Rotating {
                seed,
                count,
                difficulties,
                length,
                every,
            } => Source::Rotating {
                seed: *seed,
                count: *count,
                difficulties: difficulties.clone(),
                length: *length,
                every: *every,
                cache: Mutex::new(Vec::new()),
            },
        };
        Ok(PlatformerTask {
            play: config.play_settings(),
            config,
            source,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &PlatformerConfig {
        &self.config
    }

    /// Sensor, decision and episode settings.
    pub fn play_settings(&self) -> &PlaySettings {
        &self.play
    }

    /// The levels every genome of `generation` plays.
    pub fn levels(&self, generation: u64) -> Levels {
        match &self.source {
            Source::Fixed(levels) => levels.clone(),
            Source::Rotating {
                seed,
                count,
                difficulties,
                length,
                every,
                cache,
            } => {
                let epoch = generation / u64::from(*every);
                // A poisoned lock only means another thread panicked while
                // generating; the cache holds complete sets only.
                let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, levels)) = cache.iter().find(|(e, _)| *e == epoch) {
                    return levels.clone();
                }
                let levels: Levels = (0..*count)
                    .map(|i| {
                        let d = difficulties[i as usize % difficulties.len()];
                        let level = generate(rotating_seed(*seed, epoch, i), d, *length)
                            .expect("validate() checked the difficulties and the length");
                        Arc::new(level)
                    })
                    .collect();
                if cache.len() == 2 {
                    cache.remove(0);
                }
                cache.push((epoch, levels.clone()));
                levels
            }
        }
    }

    /// Plays one episode on `level` and reports it in detail (with the per-tick
    /// buttons when `record` is set), for replays, watching and generalization
    /// tests.
    pub fn play(&self, level: &Arc<Level>, agent: &mut dyn Agent, record: bool) -> EpisodeReport {
        self.play.play(level, agent, &mut Vec::new(), record)
    }

    /// Plays one episode of `variant` on `level` (the plain game when the
    /// variant is plain).
    pub fn play_variant(
        &self,
        level: &Arc<Level>,
        agent: &mut dyn Agent,
        variant: &EpisodeVariant,
        record: bool,
    ) -> EpisodeReport {
        self.play_into(level, agent, variant, &mut Vec::new(), record)
    }

    fn play_into(
        &self,
        level: &Arc<Level>,
        agent: &mut dyn Agent,
        variant: &EpisodeVariant,
        observation: &mut Vec<f64>,
        record: bool,
    ) -> EpisodeReport {
        if variant.is_plain() {
            return self.play.play(level, agent, observation, record);
        }
        let side = self.play.sensors.side();
        let mut state = VariantState::new(variant, side * side, self.play.sensors.len());
        let mut varied = VariedAgent::new(agent, &mut state);
        self.play.play(level, &mut varied, observation, record)
    }

    /// The variants of one level's episodes in an evaluation, drawn from `rng`
    /// (nothing is drawn for the plain game).
    pub fn draw_variants<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<EpisodeVariant> {
        let first_mirrored = self.config.mirror_controls && rng.random_bool(0.5);
        (0..self.config.episodes)
            .map(|e| EpisodeVariant {
                mirrored: self.config.mirror_controls && (first_mirrored ^ (e % 2 == 1)),
                occlusion: self.config.occlusion.map(|o| (o, rng.next_u64())),
                darkness: self.config.darkness,
                permutation: self.config.permute_grid.then(|| rng.next_u64()),
            })
            .collect()
    }
}

impl Task for PlatformerTask {
    fn name(&self) -> &str {
        "platformer"
    }

    fn inputs(&self) -> usize {
        self.play.sensors.len()
    }

    fn outputs(&self) -> usize {
        Buttons::OUTPUTS
    }

    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        let levels = self.levels(ctx.generation);
        let mut observation = Vec::with_capacity(self.play.sensors.len());
        let (mut total, mut worst, mut solved, mut steps) = (0.0, f64::INFINITY, true, 0u64);
        for level in levels.iter() {
            for variant in self.draw_variants(&mut ctx.rng) {
                let report = self.play_into(level, agent, &variant, &mut observation, false);
                let fitness = report.fitness.max(self.config.fitness_floor);
                total += fitness;
                worst = worst.min(fitness);
                solved &= report.finished;
                steps += u64::from(report.ticks);
            }
        }
        let episodes = levels.len() * self.config.episodes as usize;
        let fitness = match self.config.episode_fitness {
            EpisodeFitness::Mean => total / episodes as f64,
            EpisodeFitness::Worst => worst,
        };
        Evaluation {
            fitness,
            solved,
            steps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    /// Holds right and run, and taps jump whenever the cell ahead at foot height
    /// is solid or an enemy, or the ground ahead is missing.
    struct Hopper {
        radius: usize,
        outputs: [f64; 5],
    }

    impl Agent for Hopper {
        fn reset(&mut self) {}
        fn act(&mut self, obs: &[f64]) -> &[f64] {
            let side = 2 * self.radius + 1;
            let at = |dc: usize, dr: usize| obs[(self.radius + dr) * side + self.radius + dc];
            let blocked = at(1, 0) != 0.0 || at(2, 0) != 0.0 || at(1, 1) != 1.0 || at(2, 1) != 1.0;
            self.outputs = [
                -1.0,
                1.0,
                if blocked && self.outputs[2] < 0.0 {
                    1.0
                } else {
                    -1.0
                },
                1.0,
                -1.0,
            ];
            &self.outputs
        }
    }

    fn ctx(generation: u64) -> EvalContext {
        EvalContext {
            generation,
            rng: Xoshiro256PlusPlus::seed_from_u64(0),
        }
    }

    #[test]
    fn evaluation_averages_levels_and_counts_ticks() {
        let config = PlatformerConfig {
            levels: LevelSet::Builtin(vec!["1-1".into(), "1-2".into()]),
            ..PlatformerConfig::default()
        };
        let task = PlatformerTask::new(config).unwrap();
        assert_eq!(
            (task.name(), task.inputs(), task.outputs()),
            ("platformer", 169, 5)
        );
        let mut agent = Hopper {
            radius: 6,
            outputs: [-1.0; 5],
        };
        let eval = task.evaluate(&mut agent, &mut ctx(0));
        let reports: Vec<_> = task
            .levels(0)
            .iter()
            .map(|l| task.play(l, &mut agent, false))
            .collect();
        let mean = reports.iter().map(|r| r.fitness.max(0.0)).sum::<f64>() / 2.0;
        assert_eq!(eval.fitness, mean);
        assert_eq!(
            eval.steps,
            reports.iter().map(|r| u64::from(r.ticks)).sum::<u64>()
        );
        assert_eq!(eval.solved, reports.iter().all(|r| r.finished));
        assert!(eval.fitness > 0.0);
    }

    #[test]
    fn rotating_sets_change_with_the_epoch_and_are_shared_within_it() {
        let config = PlatformerConfig {
            levels: LevelSet::Rotating {
                seed: 3,
                count: 2,
                difficulties: vec![0, 4],
                length: 60,
                every: 2,
            },
            ..PlatformerConfig::default()
        };
        let task = PlatformerTask::new(config.clone()).unwrap();
        let (g0, g1, g2) = (task.levels(0), task.levels(1), task.levels(2));
        assert!(Arc::ptr_eq(&g0, &g1), "same epoch, same set");
        assert_ne!(g0[0].name(), g2[0].name());
        assert!(g0[1].name().contains("-d4-"));
        // A fresh task builds the identical set.
        let again = PlatformerTask::new(config).unwrap().levels(2);
        assert_eq!(*again[0], *g2[0]);
    }

    #[test]
    fn missing_level_files_fail_with_the_path() {
        let config = PlatformerConfig {
            levels: LevelSet::Files(vec!["/nonexistent/x.ron".into()]),
            ..PlatformerConfig::default()
        };
        let msg = PlatformerTask::new(config).unwrap_err().to_string();
        assert!(msg.contains("/nonexistent/x.ron"), "{msg}");
    }

    #[test]
    fn the_plain_game_draws_nothing_from_the_random_stream() {
        let task = PlatformerTask::new(PlatformerConfig::default()).unwrap();
        let mut agent = Hopper {
            radius: 6,
            outputs: [-1.0; 5],
        };
        let mut context = ctx(0);
        let eval = task.evaluate(&mut agent, &mut context);
        assert_eq!(context.rng, ctx(0).rng, "no random draw");
        let level = &task.levels(0)[0];
        let report = task.play(level, &mut agent, false);
        assert_eq!(eval.fitness, report.fitness.max(0.0));
        assert!(report.progress > 0.1, "{report:?}");
    }

    #[test]
    fn mirrored_controls_alternate_from_episode_to_episode() {
        let config = PlatformerConfig {
            episodes: 4,
            mirror_controls: true,
            ..PlatformerConfig::default()
        };
        let task = PlatformerTask::new(config).unwrap();
        let variants = task.draw_variants(&mut ctx(0).rng);
        let mirrored: Vec<bool> = variants.iter().map(|v| v.mirrored).collect();
        assert_eq!(mirrored.iter().filter(|&&m| m).count(), 2);
        assert!(mirrored.windows(2).all(|w| w[0] != w[1]), "{mirrored:?}");
        // Both first sides occur over a few evaluations.
        let firsts: Vec<bool> = (0..16)
            .map(|seed| {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
                task.draw_variants(&mut rng)[0].mirrored
            })
            .collect();
        assert!(firsts.contains(&true) && firsts.contains(&false));

        // A policy that always runs right gets somewhere in the plain episodes
        // and walks into the level's left wall in the mirrored ones.
        let mut agent = Hopper {
            radius: 6,
            outputs: [-1.0; 5],
        };
        let level = &task.levels(0)[0];
        let plain = task.play(level, &mut agent, false);
        let mirror = EpisodeVariant {
            mirrored: true,
            ..EpisodeVariant::default()
        };
        let swapped = task.play_variant(level, &mut agent, &mirror, false);
        assert!(plain.progress > 0.1, "{plain:?}");
        assert_eq!(swapped.progress, 0.0, "{swapped:?}");
        let eval = task.evaluate(&mut agent, &mut ctx(3));
        let mean = (plain.fitness.max(0.0) + swapped.fitness.max(0.0)) / 2.0;
        assert_eq!(eval.fitness, mean);
        assert!(!eval.solved);
        assert_eq!(
            eval.steps,
            2 * u64::from(plain.ticks + swapped.ticks),
            "four episodes"
        );

        // Scored by its worst episode, it gets the mirrored episodes' fitness.
        let worst = PlatformerTask::new(PlatformerConfig {
            episode_fitness: EpisodeFitness::Worst,
            ..task.config().clone()
        })
        .unwrap();
        let eval = worst.evaluate(&mut agent, &mut ctx(3));
        assert_eq!(eval.fitness, swapped.fitness.max(0.0));
        assert!(eval.fitness < mean);
    }

    #[test]
    fn occluded_evaluations_repeat_exactly_and_differ_from_the_plain_game() {
        let config = PlatformerConfig {
            occlusion: Some(crate::Occlusion {
                fraction: 0.3,
                probability: 1.0,
                ..crate::Occlusion::default()
            }),
            ..PlatformerConfig::default()
        };
        let task = PlatformerTask::new(config).unwrap();
        let hopper = || Hopper {
            radius: 6,
            outputs: [-1.0; 5],
        };
        let a = task.evaluate(&mut hopper(), &mut ctx(1));
        let b = task.evaluate(&mut hopper(), &mut ctx(1));
        assert_eq!(a, b);
        let plain = PlatformerTask::new(PlatformerConfig::default())
            .unwrap()
            .evaluate(&mut hopper(), &mut ctx(1));
        // The hopper reads the cells ahead of it: hiding them changes its run.
        assert_ne!(a, plain);
    }

    #[test]
    fn motion_inputs_add_three() {
        let config = PlatformerConfig {
            motion_inputs: true,
            sensor_radius: 4,
            ..PlatformerConfig::default()
        };
        assert_eq!(PlatformerTask::new(config).unwrap().inputs(), 81 + 3);
    }
}
