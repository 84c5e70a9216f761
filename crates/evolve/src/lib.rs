//! Sprout's evolution runner: the [`Task`] trait, parallel reproducible evaluation,
//! experiments, saves and statistics.

pub mod task;

pub use task::{Agent, EvalContext, Evaluation, Task, Verdict};
