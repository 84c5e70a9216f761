//! Sprout's evolution runner.
//!
//! - [`Task`] and [`Agent`]: the seam between evolution and the problems it
//!   solves. A task scores an agent; it never sees genomes or networks.
//! - [`Evolution`]: a run's complete state. [`Evolution::step`] evaluates a
//!   generation (through an [`Evaluator`]: [`Local`] is rayon on this machine)
//!   and breeds the next; [`Evolution::run_until`] is the one evolve-until-done
//!   loop.
//! - [`Experiment`]: the RON experiment file (run settings, NEAT parameters, task).
//! - [`lifetime`]: the lifetime-learning modules of `neat.lifetime`
//!   (sprout-plasticity's Hebbian, Hopfield, RBM and pruning modules) run around
//!   each [`NetworkAgent`] while it plays, and Lamarckian write-back
//!   ([`evaluate_learned`]).
//! - [`Run`]: a run of any task with its directory: `champion.ron`, `stats.csv`,
//!   `fitness.png`, rotated checkpoints, resume, a graceful stop
//!   ([`run`]); the files it keeps ([`saves`]: champion files and zstd
//!   checkpoints with a format version, loaders that check what they read); the
//!   memory a population needs, checked before it is allocated ([`guard`]).
//!   Experiments name their task through [`TaskDescription`], which a task of your
//!   own implements too.
//! - [`files`], [`stats`], `plot` (feature `plot`): atomic writes and RON with line-numbered
//!   errors, `stats.csv`, and `fitness.png`.
//!
//! # Reproducibility
//!
//! A run is a pure function of (experiment, seed). Each evaluation draws from its
//! own RNG seeded by (run seed, generation, genome id); results are collected in
//! genome order and summed sequentially; selection, speciation, crossover and
//! innovation numbering run on one thread from the population's master RNG. So
//! the thread count never changes a result, and a checkpoint (the serialized
//! [`Evolution`]) resumes bit-identically.

pub mod agent;
pub mod error;
pub mod evaluator;
pub mod evolution;
pub mod experiment;
pub mod files;
pub mod guard;
pub mod lifetime;
#[cfg(feature = "plot")]
pub mod plot;
pub mod run;
pub mod saves;
pub mod seed;
pub mod stats;

pub use agent::{NetworkAgent, evaluate_agent, evaluate_learned};
pub use error::EvolveError;
pub use evaluator::{Evaluator, Local};
pub use evolution::{Budget, Champion, ChampionChoice, Ending, Evolution, evaluate};
pub use experiment::{Experiment, ExperimentSource, TaskDescription};
pub use run::{Run, RunDir, RunRequest, Start};
pub use saves::{ChampionFile, Checkpoint, SavedGenome};
pub use sprout_task::{Agent, EvalContext, Evaluation, Task, Verdict};
pub use stats::{GenerationStats, PhaseSeconds};
