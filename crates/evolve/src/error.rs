//! Errors of the evolution runner and its files.

use std::path::PathBuf;

/// Everything that can go wrong reading or writing experiment files, or running.
#[derive(Debug, thiserror::Error)]
pub enum EvolveError {
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
}
