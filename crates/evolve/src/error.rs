//! Errors of the evolution runner and its files.

use std::path::PathBuf;

/// Everything that can go wrong reading or writing experiment files, or running.
#[derive(Debug, thiserror::Error)]
pub enum EvolveError {
    /// The evaluation back end failed (distributed evaluation that lost its
    /// server, or a chunk of genomes that kept failing).
    #[error("evaluation: {0}")]
    Evaluator(String),
    /// A file could not be read or written.
    // The OS error is part of the message, not a `source`, so that error chains
    // printed with `{:#}` do not repeat it.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
    /// A file is not valid RON for what it should hold (malformed, truncated, an
    /// unknown or missing field).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A value parsed but is out of range or inconsistent.
    #[error("{path}{}: {field}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line that sets the field, when it can be found.
        line: Option<usize>,
        /// The field, as spelled in the file (`neat.add_node_prob`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The task returned a fitness that is NaN or infinite.
    #[error(
        "task `{task}` returned a non-finite fitness ({fitness}) for genome {genome} in generation {generation}"
    )]
    NonFiniteFitness {
        /// The task's name.
        task: String,
        /// The genome.
        genome: u64,
        /// The generation.
        generation: u64,
        /// The value returned.
        fitness: f64,
    },
    /// A saved genome or checkpoint breaks a genome invariant.
    #[error("{path}: genome {genome}: {problem}")]
    CorruptGenome {
        /// The file.
        path: PathBuf,
        /// The offending genome's id.
        genome: u64,
        /// The broken invariant.
        problem: sprout_genome::GenomeError,
    },
    /// A saved genome does not fit the task it is replayed on.
    #[error("{path}: the genome has {got} {what}, but task `{task}` needs {want}")]
    ShapeMismatch {
        /// The file.
        path: PathBuf,
        /// Task name.
        task: String,
        /// "inputs" or "outputs".
        what: &'static str,
        /// The genome's count.
        got: usize,
        /// The task's count.
        want: usize,
    },
    /// An experiment's task section does not build a task.
    #[error("{source_name}: {message}")]
    TaskBuild {
        /// The experiment file (or `<embedded configs/NAME.ron>`).
        source_name: String,
        /// What the task rejected.
        message: String,
    },
    /// A file written by a newer (or unknown) format of Sprout.
    #[error(
        "{path}: file format version {found}, but this Sprout reads versions {oldest} to {newest}{}",
        if found > newest { " (the file was written by a newer Sprout)" } else { "" }
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
