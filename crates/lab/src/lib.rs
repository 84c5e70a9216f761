//! Sprout's laboratory: the built-in tasks and everything a run keeps on disk.
//!
//! - [`tasks`]: the task section of experiment files ([`TaskSpec`]) and the
//!   experiments embedded in the binary (`configs/*.ron`).
//! - [`saves`]: `champion.ron` and checkpoints, with a format version; checkpoints
//!   are zstd-compressed RON (`gen-NNNNNN.ron.zst`), and plain-RON checkpoints of
//!   older runs still load. Every loader checks what it read and names the file.
//! - [`run`]: a run directory (champion, stats, plot, rotated checkpoints) and the
//!   loop that evolves into it until done, solved or stopped.
//! - [`guard`]: the memory a population needs, estimated before it is allocated.
//! - [`hostile`]: one entry point per kind of file Sprout reads, for fuzzing; none
//!   may panic, hang or allocate beyond the guard, whatever the bytes.

pub mod error;
pub mod guard;
pub mod hostile;
pub mod run;
pub mod saves;
pub mod tasks;

pub use error::LabError;
pub use run::{Ending, PreparedRun, RunDir, RunRequest};
pub use saves::{ChampionFile, Checkpoint, SavedGenome};
pub use tasks::{SproutExperiment, TaskSpec};
