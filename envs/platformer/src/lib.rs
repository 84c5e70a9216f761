//! Sprout's platformer: a MarI/O-style side-scroller that is headless,
//! deterministic and fast.
//!
//! - [`units`]: fixed-point sub-pixels (positions are `i32`, 256 per pixel), 60
//!   ticks per simulated second.
//! - [`tiles`], [`level`]: the tile grid and RON level files (built-in or from disk),
//!   validated on load.
//! - [`physics`], [`enemies`], [`world`]: the simulation. A renderer reads
//!   [`World::level`], [`World::player`], [`World::enemies`], [`World::tick`] and
//!   [`World::status`], and calls [`World::step`] (or [`Episode::step`]) once per
//!   60 Hz tick.
//! - [`buttons`], [`sensors`]: the five-button controller and MarI/O's tile-grid
//!   observation.
//! - [`episode`]: MarI/O's fitness, stall timeout and episode reports; playing an
//!   agent, recording and replaying button sequences.
//! - [`generator`], [`solver`]: seeded Mario-AI-style levels, guaranteed completable
//!   by a beam search over the real simulation.
//! - [`config`], [`task`]: [`PlatformerConfig`] for experiment files and
//!   [`PlatformerTask`], the [`sprout_task::Task`].
//! - [`variation`]: episodes that differ from one another for lifetime-learning
//!   experiments (mirrored controls, occluded sensor cells).

pub mod buttons;
pub mod config;
pub mod enemies;
pub mod episode;
pub mod generator;
pub mod level;
pub mod physics;
pub mod sensors;
pub mod solver;
pub mod task;
pub mod tiles;
pub mod units;
pub mod variation;
pub mod world;

#[cfg(test)]
mod testutil;

pub use buttons::Buttons;
pub use config::{ConfigError, EpisodeFitness, LevelSet, PlatformerConfig};
pub use enemies::{Enemy, EnemyKind};
pub use episode::{EndCause, Episode, EpisodeReport, EpisodeRules, PlaySettings};
pub use generator::{GenerateError, generate};
pub use level::{Level, LevelError, LevelProblem, Spawn};
pub use physics::{Player, Pose};
pub use sensors::SensorSpec;
pub use task::{PlatformerTask, TaskError};
pub use tiles::Tile;
pub use variation::{Darkness, EpisodeVariant, Occlusion, VariantState, Variations, VariedAgent};
pub use world::{DeathCause, Status, World};
