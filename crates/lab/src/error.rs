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
}
