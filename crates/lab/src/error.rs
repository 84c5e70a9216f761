//! Errors of the lab.

use sprout_evolve::EvolveError;

/// What can go wrong with the built-in experiments and tasks.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// Reading, parsing, validating or running failed.
    #[error(transparent)]
    Evolve(#[from] EvolveError),
    /// No experiment of that name is embedded.
    #[error("no built-in experiment named {0}")]
    UnknownBuiltin(String),
    /// A pruning or learning computation failed.
    #[error(transparent)]
    Plasticity(#[from] sprout_plasticity::PlasticityError),
    /// A benchmark was asked for something it cannot do.
    #[error("{0}")]
    Request(String),
    /// An experiment's task does not build.
    #[error("task: {0}")]
    Task(String),
    /// A platformer benchmark was given another task's genome.
    #[error("{}: not a platformer champion", .0.display())]
    NotPlatformer(std::path::PathBuf),
    /// A level could not be generated.
    #[error("generating level {seed} at difficulty {difficulty}: {message}")]
    Generate {
        /// The level seed.
        seed: u64,
        /// The difficulty.
        difficulty: u32,
        /// What the generator said.
        message: String,
    },
}
