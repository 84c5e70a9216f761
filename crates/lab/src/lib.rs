//! Sprout's laboratory: the built-in tasks and experiments, and the checks of
//! every file Sprout reads.
//!
//! - [`tasks`]: the task section of experiment files ([`TaskSpec`], the built-in
//!   tasks as one [`sprout_evolve::TaskDescription`]) and the experiments embedded
//!   in the binary (`configs/*.ron`).
//! - [`bench`]: the benchmark protocols, each returning a serializable report.
//! - [`prune`]: pruning a saved genome by saliency without retraining, against
//!   the magnitude and random baselines (`sprout prune`).
//! - [`interval`]: 95% confidence intervals of a median, a mean and a success
//!   rate, for benchmark reports.
//! - [`significance`]: Welch's t-test and the Mann–Whitney U test (statrs) for
//!   benchmark comparisons.
//! - [`hostile`]: one entry point per kind of file Sprout reads, for fuzzing; none
//!   may panic, hang or allocate beyond the memory guard, whatever the bytes.
//!
//! Runs, their directories and files are `sprout_evolve::Run` and
//! `sprout_evolve::saves`, generic over the task; this crate gives them the
//! built-in tasks.

pub mod bench;
pub mod error;
pub mod hostile;
pub mod inspect;
pub mod interval;
pub mod prune;
pub mod significance;
pub mod tasks;

pub use error::LabError;
pub use tasks::{SproutExperiment, SproutSource, TaskSpec};

/// A run of a built-in experiment.
pub type SproutRun = sprout_evolve::Run<TaskSpec>;
/// A champion file or checkpoint champion of a built-in experiment.
pub type SavedGenome = sprout_evolve::SavedGenome<TaskSpec>;

/// Loads a champion file, or a checkpoint's champion, of a built-in experiment
/// ([`sprout_evolve::saves::load_saved_genome`]).
pub fn load_saved_genome(
    path: &std::path::Path,
) -> Result<SavedGenome, sprout_evolve::EvolveError> {
    sprout_evolve::saves::load_saved_genome(path)
}

/// What a run of a built-in experiment was asked to do.
pub type SproutRequest = sprout_evolve::RunRequest<TaskSpec>;
