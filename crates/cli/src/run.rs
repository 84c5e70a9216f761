//! `sprout evolve`: a headless run with progress, saves and checkpoints.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};
use sprout_evolve::files::write_ron;
use sprout_evolve::plot::plot_fitness;
use sprout_evolve::stats::to_csv;
use sprout_evolve::{Evolution, GenerationStats, Task};

use crate::progress::Progress;
use crate::spec::{
    ChampionFile, Checkpoint, SproutExperiment, load_checkpoint, resolve_checkpoint,
};

/// How many checkpoint files a run directory keeps.
const CHECKPOINTS_KEPT: usize = 5;

/// What `evolve` was asked to do.
pub struct RunRequest {
    /// The experiment (ignored when resuming: the checkpoint's is used).
    pub experiment: SproutExperiment,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--generations`: the total, on resume as well.
    pub generations: Option<u64>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--resume`.
    pub resume: Option<PathBuf>,
}

/// A run's output directory and its files.
pub struct RunDir {
    /// The directory.
    pub path: PathBuf,
}

impl RunDir {
    fn champion(&self) -> PathBuf {
        self.path.join("champion.ron")
    }

    fn checkpoint(&self, generation: u64) -> PathBuf {
        self.path
            .join("checkpoints")
            .join(format!("gen-{generation:06}.ron"))
    }

    /// Writes stats.csv, champion.ron and fitness.png.
    pub fn write_results(
        &self,
        experiment: &SproutExperiment,
        evolution: &Evolution,
    ) -> Result<()> {
        sprout_evolve::files::write_atomic(
            &self.path.join("stats.csv"),
            to_csv(&evolution.history).as_bytes(),
        )?;
        if let Some(champion) = evolution.champion(experiment.champion) {
            let file = ChampionFile {
                experiment: experiment.clone(),
                seed: evolution.seed,
                champion: champion.clone(),
            };
            write_ron(&self.champion(), &file)?;
        }
        if !evolution.history.is_empty() {
            let title = format!("{} (seed {})", experiment.name, evolution.seed);
            plot_fitness(&evolution.history, &title, &self.path.join("fitness.png"))?;
        }
        Ok(())
    }

    /// Writes a checkpoint and keeps only the newest few.
    pub fn write_checkpoint(
        &self,
        experiment: &SproutExperiment,
        evolution: &Evolution,
    ) -> Result<PathBuf> {
        let path = self.checkpoint(evolution.generation());
        let checkpoint = Checkpoint {
            experiment: experiment.clone(),
            evolution: evolution.clone(),
        };
        write_ron(&path, &checkpoint)?;
        self.prune_checkpoints();
        Ok(path)
    }

    fn prune_checkpoints(&self) {
        let Ok(entries) = std::fs::read_dir(self.path.join("checkpoints")) else {
            return;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        files.sort();
        let excess = files.len().saturating_sub(CHECKPOINTS_KEPT);
        for old in &files[..excess] {
            let _ = std::fs::remove_file(old);
        }
    }
}

/// A run ready to go: its experiment, state, task and directory.
pub struct PreparedRun {
    /// The experiment.
    pub experiment: SproutExperiment,
    /// The state (fresh, or loaded from a checkpoint).
    pub evolution: Evolution,
    /// The task.
    pub task: Box<dyn Task>,
    /// Where outputs go.
    pub dir: RunDir,
    /// Total generations to reach.
    pub generations: u64,
}

/// Builds a fresh run, or loads the one to resume.
pub fn prepare(request: RunRequest) -> Result<PreparedRun> {
    let (experiment, evolution, default_dir) = match &request.resume {
        Some(resume) => {
            if request.seed.is_some() {
                bail!("--seed cannot change the seed of a resumed run");
            }
            let path = resolve_checkpoint(resume)?;
            let checkpoint = load_checkpoint(&path)?;
            // A checkpoint lives in <run dir>/checkpoints/.
            let run_dir = path
                .parent()
                .and_then(Path::parent)
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            (checkpoint.experiment, checkpoint.evolution, run_dir)
        }
        None => {
            let mut experiment = request.experiment;
            if let Some(seed) = request.seed {
                experiment.seed = seed;
            }
            let task = experiment.task.build()?;
            let evolution = Evolution::new(
                &experiment.neat,
                experiment.neat.genome_inputs(task.inputs()),
                task.outputs(),
                experiment.seed,
            );
            let dir =
                PathBuf::from("saves").join(format!("{}-{}", experiment.name, experiment.seed));
            (experiment, evolution, dir)
        }
    };
    let task = experiment.task.build()?;
    let generations = request.generations.unwrap_or(experiment.generations);
    let dir = RunDir {
        path: request.out.unwrap_or(default_dir),
    };
    Ok(PreparedRun {
        experiment,
        evolution,
        task,
        dir,
        generations,
    })
}

/// How a run ended.
pub enum Ending {
    /// All generations ran.
    Finished,
    /// A champion passed the success check.
    Solved,
    /// Ctrl-C.
    Interrupted,
}

/// Runs generations until done, solved or interrupted, checkpointing as
/// configured. `on_generation` sees each generation's statistics.
pub fn run(
    prepared: &mut PreparedRun,
    interrupted: &AtomicBool,
    mut on_generation: impl FnMut(&GenerationStats, &Evolution),
) -> Result<Ending> {
    let PreparedRun {
        experiment,
        evolution,
        task,
        dir,
        generations,
    } = prepared;
    let every = experiment.checkpoint_every;
    let ending = loop {
        if experiment.stop_when_solved && evolution.solved() {
            break Ending::Solved;
        }
        if evolution.generation() >= *generations {
            break Ending::Finished;
        }
        if interrupted.load(Ordering::SeqCst) {
            break Ending::Interrupted;
        }
        let stats = evolution.step(&experiment.neat, task.as_ref())?.clone();
        on_generation(&stats, evolution);
        if every > 0 && evolution.generation() % every == 0 {
            dir.write_checkpoint(experiment, evolution)?;
            dir.write_results(experiment, evolution)?;
        }
    };
    dir.write_checkpoint(experiment, evolution)?;
    dir.write_results(experiment, evolution)?;
    Ok(ending)
}

/// `sprout evolve`.
pub fn evolve(request: RunRequest) -> Result<()> {
    let mut prepared = prepare(request)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    // A second Ctrl-C while saving would lose nothing either: saves are atomic.
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))?;

    let start = prepared.evolution.generation();
    let progress = Progress::new(prepared.generations, start);
    println!(
        "evolving `{}` (task {}, seed {}, population {}) into {}",
        prepared.experiment.name,
        prepared.task.name(),
        prepared.evolution.seed,
        prepared.experiment.neat.population_size,
        prepared.dir.path.display()
    );
    let ending = run(&mut prepared, &interrupted, |stats, _| {
        progress.update(stats)
    })?;
    progress.finish();
    print_ending(&prepared, &ending, "evolve");
    if matches!(ending, Ending::Interrupted) {
        std::process::exit(130);
    }
    Ok(())
}

/// Prints how a run ended and where its files are. `command` is the one that
/// resumes it (`evolve` or `watch`).
pub fn print_ending(prepared: &PreparedRun, ending: &Ending, command: &str) {
    let evolution = &prepared.evolution;
    let dir = prepared.dir.path.display();
    match ending {
        Ending::Solved => {
            let s = evolution.solution.as_ref().expect("solved");
            println!(
                "solved in generation {} after {} evaluations (fitness {}, {} hidden nodes, {} enabled connections)",
                s.generation,
                evolution.evaluations,
                s.evaluation.fitness,
                s.genome.hidden_count(),
                s.genome.enabled_count()
            );
        }
        Ending::Finished => {
            let best = evolution
                .best
                .as_ref()
                .map_or(f64::NAN, |b| b.evaluation.fitness);
            println!(
                "finished {} generations, {} evaluations; best fitness {best}",
                evolution.generation(),
                evolution.evaluations
            );
        }
        Ending::Interrupted => {
            println!(
                "stopped after generation {}; checkpoint saved. Continue with:\n  sprout {command} --resume {dir}",
                evolution.generation()
            );
        }
    }
    println!("saved {dir}/champion.ron, stats.csv, fitness.png and checkpoints/");
}
