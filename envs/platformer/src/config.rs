//! The platformer task's configuration, as it appears in experiment RON files.
//!
//! Every field has a default, so a file names only what it changes; unknown fields
//! are rejected. A full example:
//!
//! ```ron
//! (
//!     levels: Builtin(["1-1"]),
//!     sensor_radius: 6,
//!     motion_inputs: false,
//!     decision_interval: 5,
//!     stall_frames: 20,
//!     max_ticks: 6000,
//!     frame_penalty: 0.5,
//!     finish_bonus: 1000.0,
//!     fitness_floor: 0.0,
//!     episodes: 1,
//!     mirror_controls: false,
//!     occlusion: None,
//!     darkness: None,
//!     permute_grid: false,
//!     episode_fitness: Mean,
//! )
//! ```
//!
//! Other level sets: `Files(["my/level.ron"])`,
//! `Generated(seeds: [1, 2, 3], difficulties: [0, 2], length: 150)` and, for
//! generalist training, `Rotating(seed: 7, count: 6, difficulties: [0, 2, 4],
//! length: 150, every: 1)`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::episode::{EpisodeRules, PlaySettings};
use crate::generator::{MAX_DIFFICULTY, MAX_LENGTH, MIN_LENGTH, mix};
use crate::level::Level;
use crate::sensors::SensorSpec;
use crate::variation::{Darkness, Occlusion};

/// Which levels each genome plays. Its fitness is the mean over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum LevelSet {
    /// Built-in hand-made levels by name (`"1-1"`, `"1-2"`, `"1-3"`).
    Builtin(Vec<String>),
    /// Level files in the RON level format (paths as given, relative to the working
    /// directory).
    Files(Vec<PathBuf>),
    /// Generated levels: one per (seed, difficulty) pair.
    Generated {
        /// Generator seeds.
        seeds: Vec<u64>,
        /// Difficulties, 0..=10.
        difficulties: Vec<u32>,
        /// Length in tiles.
        length: u32,
    },
    /// Generated levels that change with the generation, for generalists: in
    /// generation `g` the set is `count` levels of epoch `g / every`; level `i` has
    /// seed [`rotating_seed`]`(seed, epoch, i)` and difficulty
    /// `difficulties[i % difficulties.len()]`. Every genome of a generation plays
    /// the same set.
    Rotating {
        /// Base seed of the rotation.
        seed: u64,
        /// Levels per generation.
        count: u32,
        /// Difficulties, 0..=10, cycled over the set.
        difficulties: Vec<u32>,
        /// Length in tiles.
        length: u32,
        /// Generations per epoch (the set changes every `every` generations).
        every: u32,
    },
}

/// The seed of level `index` of a rotating set in `epoch`.
pub fn rotating_seed(seed: u64, epoch: u64, index: u32) -> u64 {
    mix(&[seed, epoch, u64::from(index)])
}

/// The platformer task's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlatformerConfig {
    /// Levels each genome plays; fitness is the mean over them and the evaluation
    /// counts as solved only if every level is finished. Default `Builtin(["1-1"])`.
    pub levels: LevelSet,
    /// Radius of the tile grid the network sees: (2·r+1)² inputs. Default 6
    /// (13×13 = 169 inputs, as MarI/O).
    pub sensor_radius: u32,
    /// Also feed horizontal velocity, vertical velocity and on-ground (3 more
    /// inputs). Default false.
    pub motion_inputs: bool,
    /// Ticks (1/60 s) between network decisions; buttons stay held in between.
    /// Default 5 (MarI/O).
    pub decision_interval: u32,
    /// Stall budget in ticks, restored whenever the rightmost x grows; the episode
    /// ends when budget + ticks/4 ≤ 0. Default 20 (MarI/O).
    pub stall_frames: u32,
    /// Hard limit on an episode, in ticks. Default 6000 (100 simulated seconds).
    pub max_ticks: u32,
    /// Fitness lost per tick, in pixels. Default 0.5 (MarI/O's frames/2).
    pub frame_penalty: f64,
    /// Fitness added for finishing a level. Default 1000 (MarI/O).
    pub finish_bonus: f64,
    /// Each level's fitness is raised to at least this before averaging, because
    /// NEAT's offspring shares need non-negative fitness; MarI/O's raw fitness can
    /// dip below zero for a slow creeper. Use a large negative value to keep raw
    /// fitness. Default 0.
    pub fitness_floor: f64,
    /// Episodes per level in one evaluation (the agent is reset before each);
    /// the fitness is the mean over all of them, and the evaluation is solved
    /// only if every one finished. Default 1.
    pub episodes: u32,
    /// Controls that change from episode to episode: the left and right buttons
    /// are swapped in every other episode of a level, starting from a random
    /// one (drawn from the evaluation's random stream), so an agent must find
    /// out during each episode which way its buttons push. Default false (no
    /// swap and no random draw: the plain game).
    pub mirror_controls: bool,
    /// Hidden sensor cells: in some observations part of the grid reads a
    /// marker value instead (see [`Occlusion`]). Default none.
    pub occlusion: Option<Occlusion>,
    /// A dark level: only a lantern around the player and regular flashes show
    /// the grid (see [`Darkness`]). Not with `occlusion`. Default none.
    pub darkness: Option<Darkness>,
    /// Sensors whose coding changes from episode to episode: the grid's cells
    /// come in an order shuffled anew for each episode (a permutation drawn
    /// from the evaluation's random stream, fixed for the episode), so no
    /// fixed mapping from an input to a place around the player exists. The
    /// motion inputs stay in place. Default false.
    pub permute_grid: bool,
    /// How an evaluation's episodes make its fitness. Default `Mean`.
    pub episode_fitness: EpisodeFitness,
}

/// How the episodes of one evaluation combine into its fitness (each
/// episode's fitness raised to `fitness_floor` first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EpisodeFitness {
    /// Their mean.
    #[default]
    Mean,
    /// The lowest: a genome scores what it does under its worst variant (with
    /// `mirror_controls`, the mapping it handles worse), so doing well under
    /// one only cannot carry it.
    Worst,
}

impl Default for PlatformerConfig {
    fn default() -> Self {
        let play = PlaySettings::default();
        PlatformerConfig {
            levels: LevelSet::Builtin(vec!["1-1".to_string()]),
            sensor_radius: play.sensors.radius,
            motion_inputs: play.sensors.extras,
            decision_interval: play.decision_interval,
            stall_frames: play.rules.stall_frames,
            max_ticks: play.rules.max_ticks,
            frame_penalty: play.rules.frame_penalty,
            finish_bonus: play.rules.finish_bonus,
            fitness_floor: 0.0,
            episodes: 1,
            mirror_controls: false,
            occlusion: None,
            darkness: None,
            permute_grid: false,
            episode_fitness: EpisodeFitness::Mean,
        }
    }
}

/// A configuration value out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("platformer.{field}: {message}")]
pub struct ConfigError {
    /// The offending field (`levels` for anything inside the level set).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field,
        message: message.into(),
    }
}

impl PlatformerConfig {
    /// The episode-to-episode variations this experiment asks for.
    pub fn variations(&self) -> crate::Variations {
        crate::Variations {
            mirror_controls: self.mirror_controls,
            occlusion: self.occlusion,
            darkness: self.darkness,
            permute_grid: self.permute_grid,
        }
    }

    /// Checks every field. The error names the first offending field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_levels()?;
        if !(1..=16).contains(&self.sensor_radius) {
            return Err(err(
                "sensor_radius",
                format!("{} is not in 1..=16", self.sensor_radius),
            ));
        }
        if !(1..=60).contains(&self.decision_interval) {
            return Err(err(
                "decision_interval",
                format!("{} is not in 1..=60 ticks", self.decision_interval),
            ));
        }
        if self.stall_frames == 0 {
            return Err(err("stall_frames", "must be at least 1"));
        }
        if !(1..=1_000_000).contains(&self.max_ticks) {
            return Err(err(
                "max_ticks",
                format!("{} is not in 1..=1000000", self.max_ticks),
            ));
        }
        for (field, value) in [
            ("frame_penalty", self.frame_penalty),
            ("finish_bonus", self.finish_bonus),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(err(field, format!("{value} is not a finite number ≥ 0")));
            }
        }
        if !self.fitness_floor.is_finite() {
            return Err(err("fitness_floor", "must be finite"));
        }
        if !(1..=1000).contains(&self.episodes) {
            return Err(err(
                "episodes",
                format!("{} is not in 1..=1000", self.episodes),
            ));
        }
        if let Some(occlusion) = &self.occlusion {
            occlusion
                .validate()
                .map_err(|(field, message)| err(field, message))?;
        }
        if let Some(darkness) = &self.darkness {
            if self.occlusion.is_some() {
                return Err(err(
                    "darkness",
                    "cannot be combined with occlusion (both hide grid cells)",
                ));
            }
            darkness
                .validate(self.sensor_radius)
                .map_err(|(field, message)| err(field, message))?;
        }
        Ok(())
    }

    fn validate_levels(&self) -> Result<(), ConfigError> {
        let check_generated = |difficulties: &[u32], length: u32| {
            if difficulties.is_empty() {
                return Err(err("levels", "difficulties is empty"));
            }
            if let Some(d) = difficulties.iter().find(|&&d| d > MAX_DIFFICULTY) {
                return Err(err(
                    "levels",
                    format!("difficulty {d} is not in 0..={MAX_DIFFICULTY}"),
                ));
            }
            if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
                return Err(err(
                    "levels",
                    format!("length {length} is not in {MIN_LENGTH}..={MAX_LENGTH} tiles"),
                ));
            }
            Ok(())
        };
        match &self.levels {
            LevelSet::Builtin(names) => {
                if names.is_empty() {
                    return Err(err("levels", "Builtin lists no level"));
                }
                if let Some(name) = names
                    .iter()
                    .find(|n| Level::builtin_names().all(|b| b != *n))
                {
                    let known: Vec<_> = Level::builtin_names().collect();
                    return Err(err(
                        "levels",
                        format!(
                            "no built-in level {name:?} (built-in: {})",
                            known.join(", ")
                        ),
                    ));
                }
                Ok(())
            }
            LevelSet::Files(paths) if paths.is_empty() => Err(err("levels", "Files lists no file")),
            LevelSet::Files(_) => Ok(()),
            LevelSet::Generated {
                seeds,
                difficulties,
                length,
            } => {
                if seeds.is_empty() {
                    return Err(err("levels", "seeds is empty"));
                }
                check_generated(difficulties, *length)
            }
            LevelSet::Rotating {
                count,
                difficulties,
                length,
                every,
                ..
            } => {
                if *count == 0 {
                    return Err(err("levels", "count must be at least 1"));
                }
                if *every == 0 {
                    return Err(err("levels", "every must be at least 1"));
                }
                check_generated(difficulties, *length)
            }
        }
    }

    /// The length, in tiles, of generated levels that stand in for this
    /// experiment's (its own generated length, or 150 for hand-made levels).
    pub fn generated_length(&self) -> u32 {
        match &self.levels {
            LevelSet::Generated { length, .. } | LevelSet::Rotating { length, .. } => *length,
            LevelSet::Builtin(_) | LevelSet::Files(_) => 150,
        }
    }

    /// The sensor, decision and episode settings these fields describe.
    pub fn play_settings(&self) -> PlaySettings {
        PlaySettings {
            sensors: SensorSpec {
                radius: self.sensor_radius,
                extras: self.motion_inputs,
            },
            decision_interval: self.decision_interval,
            rules: EpisodeRules {
                stall_frames: self.stall_frames,
                max_ticks: self.max_ticks,
                frame_penalty: self.frame_penalty,
                finish_bonus: self.finish_bonus,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_length_follows_the_experiment_or_defaults_to_150() {
        assert_eq!(PlatformerConfig::default().generated_length(), 150);
        let config = PlatformerConfig {
            levels: LevelSet::Generated {
                seeds: vec![1],
                difficulties: vec![2],
                length: 200,
            },
            ..Default::default()
        };
        assert_eq!(config.generated_length(), 200);
    }

    #[test]
    fn documented_example_parses_to_the_defaults() {
        let text = "(
            levels: Builtin([\"1-1\"]),
            sensor_radius: 6,
            motion_inputs: false,
            decision_interval: 5,
            stall_frames: 20,
            max_ticks: 6000,
            frame_penalty: 0.5,
            finish_bonus: 1000.0,
            fitness_floor: 0.0,
            episodes: 1,
            mirror_controls: false,
            occlusion: None,
            darkness: None,
            permute_grid: false,
            episode_fitness: Mean,
        )";
        let config: PlatformerConfig = ron::from_str(text).unwrap();
        assert_eq!(config, PlatformerConfig::default());
        config.validate().unwrap();
        assert_eq!(config.play_settings(), PlaySettings::default());
    }

    #[test]
    fn level_sets_parse_and_omitted_fields_default() {
        let config: PlatformerConfig = ron::from_str(
            "(levels: Rotating(seed: 7, count: 6, difficulties: [0, 2, 4], length: 150, every: 1))",
        )
        .unwrap();
        assert!(matches!(config.levels, LevelSet::Rotating { count: 6, .. }));
        assert_eq!(config.sensor_radius, 6);
        config.validate().unwrap();
        let config: PlatformerConfig =
            ron::from_str("(levels: Generated(seeds: [1, 2], difficulties: [3], length: 90))")
                .unwrap();
        config.validate().unwrap();
    }

    #[test]
    fn unknown_fields_are_rejected_at_both_levels() {
        assert!(ron::from_str::<PlatformerConfig>("(sensor_radiu: 3)").is_err());
        let text = "(levels: Generated(seeds: [1], difficulties: [3], length: 90, speed: 2))";
        assert!(ron::from_str::<PlatformerConfig>(text).is_err());
    }

    fn field_of(edit: impl FnOnce(&mut PlatformerConfig)) -> &'static str {
        let mut config = PlatformerConfig::default();
        edit(&mut config);
        config.validate().unwrap_err().field
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        assert_eq!(field_of(|c| c.sensor_radius = 0), "sensor_radius");
        assert_eq!(field_of(|c| c.decision_interval = 0), "decision_interval");
        assert_eq!(field_of(|c| c.stall_frames = 0), "stall_frames");
        assert_eq!(field_of(|c| c.max_ticks = 0), "max_ticks");
        assert_eq!(field_of(|c| c.frame_penalty = f64::NAN), "frame_penalty");
        assert_eq!(field_of(|c| c.finish_bonus = -1.0), "finish_bonus");
        assert_eq!(
            field_of(|c| c.fitness_floor = f64::NEG_INFINITY),
            "fitness_floor"
        );
        assert_eq!(field_of(|c| c.levels = LevelSet::Builtin(vec![])), "levels");
        assert_eq!(field_of(|c| c.episodes = 0), "episodes");
        assert_eq!(
            field_of(|c| {
                c.occlusion = Some(Occlusion {
                    value: f64::NAN,
                    ..Occlusion::default()
                })
            }),
            "occlusion.value"
        );
        let dark = |edit: fn(&mut Darkness)| {
            move |c: &mut PlatformerConfig| {
                let mut darkness = Darkness::default();
                edit(&mut darkness);
                c.darkness = Some(darkness);
            }
        };
        assert_eq!(field_of(dark(|d| d.period = 1)), "darkness.period");
        assert_eq!(field_of(dark(|d| d.lit = 6)), "darkness.lit");
        assert_eq!(field_of(dark(|d| d.lit = 0)), "darkness.lit");
        // The default sensor radius is 6: a lantern of 6 lights everything.
        assert_eq!(field_of(dark(|d| d.lantern = Some(6))), "darkness.lantern");
        assert_eq!(
            field_of(dark(|d| d.value = f64::INFINITY)),
            "darkness.value"
        );
        assert_eq!(
            field_of(|c| {
                c.darkness = Some(Darkness::default());
                c.occlusion = Some(Occlusion::default());
            }),
            "darkness"
        );
        let generated = |difficulty, length| LevelSet::Generated {
            seeds: vec![1],
            difficulties: vec![difficulty],
            length,
        };
        assert_eq!(field_of(|c| c.levels = generated(11, 100)), "levels");
        assert_eq!(field_of(|c| c.levels = generated(1, 5)), "levels");
    }

    #[test]
    fn unknown_builtin_names_are_listed() {
        let config = PlatformerConfig {
            levels: LevelSet::Builtin(vec!["8-4".into()]),
            ..PlatformerConfig::default()
        };
        let msg = config.validate().unwrap_err().to_string();
        assert!(
            msg.starts_with("platformer.levels: no built-in level \"8-4\""),
            "{msg}"
        );
    }
}
