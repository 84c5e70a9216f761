//! A task of your own evaluated on many machines: your binary is both the master and the workers, through `sprout_redis::serve::<YourSettings>`.
//!
//! The task asks a network for the larger of two inputs (`sprout-evolve`'s
//! `custom_task` example defines it). Run a worker on each machine and the master on one:
//!
//! ```text
//! cargo run --release -p sprout-redis --example custom_worker -- worker redis://HOST:6379
//! cargo run --release -p sprout-redis --example custom_worker -- master redis://HOST:6379
//! ```
//!
//! With only a URL (`-- redis://127.0.0.1:6379`) it does both in one process and
//! checks that the run equals the local one, bit for bit; `cargo test -p
//! sprout-redis` runs that against a real redis-server (`tests/custom_worker.rs`).

use std::error::Error;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sprout_evolve::{ChampionChoice, Experiment, Run, RunRequest};
use sprout_genome::NeatConfig;
use sprout_redis::{FarmOptions, RedisEvaluator, WorkerOptions, serve};

// The task of `sprout-evolve`'s custom-task example: `impl Task for Max` and its
// settings `MaxSettings` (`task: (cases: 20)`), which implement `TaskDescription`.
#[allow(dead_code)]
#[path = "../../evolve/examples/custom_task.rs"]
mod custom_task;
use custom_task::MaxSettings;

fn experiment() -> Experiment<MaxSettings> {
    Experiment {
        name: "max".into(),
        seed: 7,
        generations: 15,
        stop_when_solved: false,
        checkpoint_every: 5,
        champion: ChampionChoice::BestEver,
        neat: NeatConfig {
            population_size: 60,
            add_connection_prob: 0.2,
            ..NeatConfig::default()
        },
        task: MaxSettings::new(20),
    }
}

/// Serves this task's evaluations until `stop`.
pub fn worker(url: &str, stop: &AtomicBool) -> Result<(), Box<dyn Error>> {
    let options = WorkerOptions {
        farm: FarmOptions::new(url),
        threads: 1,
        name: None,
    };
    let summary = serve::<MaxSettings>(&options, stop)?;
    println!("worker: {} genomes evaluated", summary.genomes);
    Ok(())
}

/// Evolves the experiment into `dir`, its genomes evaluated by the workers on
/// `url`.
pub fn master(url: &str, dir: &Path) -> Result<(), Box<dyn Error>> {
    let mut run = Run::prepare(RunRequest::new(experiment(), dir))?;
    let evaluator = RedisEvaluator::new(&FarmOptions::new(url), &run.experiment, None, 0)?;
    run.evolve_with(&evaluator, &AtomicBool::new(false), |_, _| {})?;
    Ok(())
}

/// A master and a worker thread in one process, then the same run locally;
/// asserts they are the same run.
pub fn both(url: &str, dir: &Path) -> Result<(), Box<dyn Error>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let url_owned = url.to_string();
    let thread = std::thread::spawn(move || worker(&url_owned, &flag).map_err(|e| e.to_string()));
    master(url, &dir.join("farm"))?;
    stop.store(true, Ordering::SeqCst);
    thread.join().map_err(|_| "the worker panicked")??;

    let mut local = Run::prepare(RunRequest::new(experiment(), dir.join("local")))?;
    local.evolve(&AtomicBool::new(false), |_, _| {})?;
    for file in ["stats.csv", "champion.ron"] {
        let read = |run: &str| std::fs::read_to_string(dir.join(run).join(file));
        let (farm, local) = (read("farm")?, read("local")?);
        let strip = |text: &str| {
            text.lines()
                .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head).to_string())
                .collect::<Vec<_>>()
        };
        let same = if file == "stats.csv" {
            strip(&farm) == strip(&local)
        } else {
            farm == local
        };
        assert!(same, "{file} differs between the farmed and the local run");
    }
    println!("farmed run = local run: same stats.csv, same champion.ron");
    Ok(())
}

/// `[worker|master] URL`.
pub fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::env::temp_dir().join(format!("sprout-custom-worker-{}", std::process::id()));
    let result = match args.as_slice() {
        [role, url] if role == "worker" => worker(url, &AtomicBool::new(false)),
        [role, url] if role == "master" => master(url, &dir),
        [url] => both(url, &dir),
        _ => Err("usage: custom_worker [worker|master] redis://host:port".into()),
    };
    let _ = std::fs::remove_dir_all(&dir);
    result
}
