//! A task of your own gets everything the built-in ones get: a run directory with checkpoints, a graceful stop, a bit-identical resume and a replayable champion.
//!
//! The task here asks a network for the larger of two inputs. A task is one
//! `impl Task` (its input and output counts, and a function that scores an
//! agent); to run it as a [`Run`], its settings type implements
//! [`TaskDescription`] (serializable, so champions and checkpoints carry it, and
//! able to build the task). The example evolves it straight through, then again
//! with a stop after generation 25 and a resume from the checkpoint, checks that
//! both runs end with the same statistics and the same champion file, and replays
//! the champion. Run it with `cargo run --release -p sprout-evolve --example custom_task`;
//! `cargo test -p sprout-evolve` runs it too (`tests/custom_task.rs`).

use std::error::Error;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use rand::RngExt;
use serde::{Deserialize, Serialize};
use sprout_evolve::saves::load_saved_genome;
use sprout_evolve::{
    Agent, ChampionChoice, Ending, EvalContext, Evaluation, Experiment, Run, RunRequest, Task,
    TaskDescription,
};
use sprout_genome::NeatConfig;

/// Output max(a, b) for random a, b in [0, 1].
struct Max {
    cases: u32,
}

impl Task for Max {
    fn name(&self) -> &str {
        "max"
    }

    fn inputs(&self) -> usize {
        2
    }

    fn outputs(&self) -> usize {
        1
    }

    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        // Draw cases from ctx.rng only: that keeps runs reproducible on any
        // number of threads.
        let mut error = 0.0;
        for _ in 0..self.cases {
            let (a, b): (f64, f64) = (ctx.rng.random(), ctx.rng.random());
            agent.reset();
            error += (agent.act(&[a, b])[0] - a.max(b)).abs();
        }
        Evaluation {
            fitness: f64::from(self.cases) - error,
            solved: error < 0.05 * f64::from(self.cases),
            steps: u64::from(self.cases),
        }
    }
}

/// The task section of this task's experiments: `task: (cases: 20)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxSettings {
    cases: u32,
}

impl MaxSettings {
    /// `cases` random pairs per evaluation.
    pub fn new(cases: u32) -> Self {
        Self { cases }
    }
}

impl TaskDescription for MaxSettings {
    fn build(&self) -> Result<Box<dyn Task>, Box<dyn Error + Send + Sync>> {
        if self.cases == 0 {
            return Err("task.cases: must be at least 1".into());
        }
        Ok(Box::new(Max { cases: self.cases }))
    }
}

fn experiment() -> Experiment<MaxSettings> {
    Experiment {
        name: "max".into(),
        seed: 1,
        generations: 60,
        stop_when_solved: false,
        checkpoint_every: 10,
        champion: ChampionChoice::BestEver,
        neat: NeatConfig {
            population_size: 100,
            add_connection_prob: 0.2,
            ..NeatConfig::default()
        },
        task: MaxSettings::new(20),
    }
}

/// stats.csv without its wall-clock column.
fn stats(dir: &Path) -> Result<String, Box<dyn Error>> {
    let text = std::fs::read_to_string(dir.join("stats.csv"))?;
    Ok(text
        .lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head))
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Evolves, stops, resumes and replays in `dir`.
pub fn run_in(dir: &Path) -> Result<(), Box<dyn Error>> {
    let never = AtomicBool::new(false);

    // Straight through: 60 generations into dir/straight.
    let mut straight = Run::prepare(RunRequest::new(experiment(), dir.join("straight")))?;
    assert_eq!(straight.evolve(&never, |_, _| {})?, Ending::Finished);

    // The same run, stopped after generation 25 as Ctrl-C or SIGTERM would stop
    // it: the flag is checked between generations, and a checkpoint is written.
    let stop = AtomicBool::new(false);
    let mut first = Run::prepare(RunRequest::new(experiment(), dir.join("split")))?;
    let ending = first.evolve(&stop, |stats, _| {
        if stats.generation == 24 {
            stop.store(true, Ordering::SeqCst);
        }
    })?;
    assert_eq!(ending, Ending::Interrupted);
    let checkpoint = first.dir.checkpoint(25);
    println!("stopped after generation 25: {}", checkpoint.display());

    // Resumed from the run directory's newest checkpoint, in a new Run.
    let mut resumed = Run::<MaxSettings>::prepare(RunRequest::resume(dir.join("split"), None))?;
    assert_eq!(resumed.evolution.generation(), 25);
    assert_eq!(resumed.evolve(&never, |_, _| {})?, Ending::Finished);

    assert_eq!(stats(&dir.join("straight"))?, stats(&dir.join("split"))?);
    let champion = std::fs::read_to_string(dir.join("straight/champion.ron"))?;
    assert_eq!(
        champion,
        std::fs::read_to_string(dir.join("split/champion.ron"))?
    );
    println!("resumed run = uninterrupted run: same stats.csv, same champion.ron");

    // The champion file replays with its recorded fitness, bit for bit.
    let saved = load_saved_genome::<MaxSettings>(&dir.join("split/champion.ron"))?;
    let task = saved.experiment.check(&saved.path, None)?;
    let replayed = saved.replay(task.as_ref());
    let recorded = saved.champion.evaluation;
    assert_eq!(replayed.fitness.to_bits(), recorded.fitness.to_bits());
    println!(
        "champion genome {} (generation {}): recorded fitness {}, replayed {} ({} hidden nodes)",
        saved.champion.genome.id,
        saved.champion.generation,
        recorded.fitness,
        replayed.fitness,
        saved.champion.genome.hidden_count()
    );
    Ok(())
}

/// Runs the example in a fresh temporary directory.
pub fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("sprout-custom-task-{}", std::process::id()));
    let result = run_in(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}
