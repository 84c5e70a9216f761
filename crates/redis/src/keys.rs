//! Where things live in Redis. Every key starts with `sprout:`.
//!
//! | key | type | what |
//! |---|---|---|
//! | `sprout:tasks` | stream, group `eval` | chunks of genomes to evaluate, from every master |
//! | `sprout:dead` | stream | messages refused (unparsable, too large, another protocol or experiment) |
//! | `sprout:worker:<name>` | string, expires | a live worker's thread count (its heartbeat) |
//! | `sprout:run:<run>:experiment` | string | the run's experiment (RON), which workers build the task from |
//! | `sprout:run:<run>:generation` | string | the generation the master is evaluating; other chunks are stale |
//! | `sprout:run:<run>:results:<gen>` | stream | one entry per evaluated chunk |
//!
//! `<run>` is [`run_id`]: a hash of the experiment's NEAT settings, task and seed,
//! so a master that resumes the same run finds the results its predecessor left.

use sprout_evolve::{Experiment, TaskDescription};

use crate::message::fnv1a;

/// The stream of chunks to evaluate.
pub const TASKS: &str = "sprout:tasks";
/// The consumer group of workers on [`TASKS`].
pub const GROUP: &str = "eval";
/// The dead-letter stream.
pub const DEAD: &str = "sprout:dead";
/// Results and run keys expire after a day, so an abandoned run leaves nothing.
pub const RUN_TTL_SECS: u64 = 24 * 60 * 60;

/// The heartbeat key of worker `name`.
pub fn worker(name: &str) -> String {
    format!("sprout:worker:{name}")
}

/// The experiment of run `run`.
pub fn experiment(run: &str) -> String {
    format!("sprout:run:{run}:experiment")
}

/// The generation run `run` is evaluating.
pub fn current(run: &str) -> String {
    format!("sprout:run:{run}:generation")
}

/// The results of generation `generation` of run `run`.
pub fn results(run: &str, generation: u64) -> String {
    format!("sprout:run:{run}:results:{generation}")
}

/// The identity of a run: what determines its evaluations (NEAT settings, task,
/// seed), hashed; not its name, generation budget or checkpoint interval.
pub fn run_id<T: TaskDescription>(experiment: &Experiment<T>) -> String {
    let neat = ron::to_string(&experiment.neat).unwrap_or_default();
    let task = ron::to_string(&experiment.task).unwrap_or_default();
    let text = format!("{neat}\n{task}\n{}", experiment.seed);
    format!("{:016x}", fnv1a(text.as_bytes()))
}
