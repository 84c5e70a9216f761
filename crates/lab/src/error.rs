//! Errors of the lab: loading and writing a run's files, building tasks.

use std::path::PathBuf;

use sprout_evolve::EvolveError;

/// Everything that can go wrong with a run's files and tasks. Each message names
/// the file (and field or line where there is one).
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// Reading, parsing or validating a file, or running, failed.
    #[error(transparent)]
    Evolve(#[from] EvolveError),
    /// An experiment's task section does not build a task.
    #[error("{source_name}: {message}")]
    Task {
        /// The experiment file (or `<embedded configs/NAME.ron>`).
        source_name: String,
        /// What the task rejected.
        message: String,
    },
    /// No experiment of that name is embedded.
    #[error("no built-in experiment named {0}")]
    UnknownBuiltin(String),
    /// A file written by a newer (or unknown) format of Sprout.
    #[error(
        "{path}: file format version {found}, but this Sprout reads versions {oldest} to {newest}; it was written by a newer Sprout (upgrade to read it)"
    )]
    Format {
        /// The file.
        path: PathBuf,
        /// The version the file declares.
        found: u32,
        /// The oldest version this build reads.
        oldest: u32,
        /// The newest version this build reads (and writes).
        newest: u32,
    },
    /// A compressed checkpoint does not decompress.
    #[error("{path}: not a valid zstd-compressed checkpoint: {message}")]
    Compressed {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// A file holds more data than can be loaded.
    #[error(
        "{path}: holds more than {limit} bytes of text, more than a checkpoint of this machine's memory could need"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A file's text is not UTF-8.
    #[error("{path}: not a text file (invalid UTF-8 at byte {at})")]
    NotText {
        /// The file.
        path: PathBuf,
        /// Offset of the first invalid byte.
        at: usize,
    },
    /// A checkpoint with no evaluated generation has no champion.
    #[error("{path}: the checkpoint holds no evaluated generation yet")]
    NoChampion {
        /// The file.
        path: PathBuf,
    },
    /// A run directory without checkpoints.
    #[error("{dir}: no checkpoint (gen-*.ron.zst or gen-*.ron) found")]
    NoCheckpoint {
        /// The directory searched.
        dir: PathBuf,
    },
    /// The population (or the task) would not fit in memory.
    #[error(
        "{path}{}: {field}: {what} needs about {} of memory, but {} is available; lower it",
        line.map(|l| format!(":{l}")).unwrap_or_default(),
        crate::guard::human_bytes(*estimate),
        crate::guard::human_bytes(*available)
    )]
    OutOfMemory {
        /// The experiment file.
        path: PathBuf,
        /// The line that sets the field, when known.
        line: Option<usize>,
        /// The field (`neat.population_size`).
        field: String,
        /// What was estimated (`a population of 2000000000 genomes`).
        what: String,
        /// Estimated bytes.
        estimate: u64,
        /// Bytes available to this process.
        available: u64,
    },
    /// The output directory cannot be written.
    #[error("{path}: cannot write the run's output here: {error}")]
    Unwritable {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// A checkpoint write failed; the run stops with the older checkpoints intact.
    #[error(
        "{path}: cannot write the checkpoint of generation {generation} ({error}); the run stopped, and the previous checkpoints are intact"
    )]
    CheckpointWrite {
        /// The checkpoint that could not be written.
        path: PathBuf,
        /// The generation it would have held.
        generation: u64,
        /// What failed.
        error: Box<EvolveError>,
    },
    /// A resumed run cannot take a new seed.
    #[error("--seed cannot change the seed of a resumed run")]
    SeedOnResume,
}
