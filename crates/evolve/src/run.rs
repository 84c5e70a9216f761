//! A run directory and the loop that evolves into it.
//!
//! ```text
//! <run dir>/champion.ron              the champion, replayable (ChampionFile)
//!          /stats.csv                 one row per generation
//!          /fitness.png               best and mean fitness
//!          /checkpoints/gen-NNNNNN.ron.zst   the newest few checkpoints
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::error::EvolveError;
use crate::evaluator::{Evaluator, Local};
use crate::evolution::{Budget, Ending, Evolution};
use crate::experiment::{Experiment, ExperimentSource, TaskDescription};
use crate::files::write_atomic;
use crate::guard;
use crate::saves;
use crate::stats::{GenerationStats, to_csv};
use sprout_task::Task;

/// How many checkpoint files a run directory keeps.
pub const CHECKPOINTS_KEPT: usize = 5;

/// How a run begins.
#[derive(Debug, Clone)]
pub enum Start<T> {
    /// A new run of this experiment.
    New(Box<ExperimentSource<T>>),
    /// Continue from a run directory (its newest checkpoint) or a checkpoint
    /// file; the checkpoint's experiment is used.
    Resume(PathBuf),
}

/// What a run was asked to do.
#[derive(Debug, Clone)]
pub struct RunRequest<T> {
    /// A new run, or a resumed one.
    pub start: Start<T>,
    /// Overrides the experiment's seed (refused on resume: a run keeps its seed).
    pub seed: Option<u64>,
    /// Total generations, also when resuming (default: the experiment's).
    pub generations: Option<u64>,
    /// The run directory (default `saves/<name>-<seed>/`, or the resumed
    /// checkpoint's run directory).
    pub out: Option<PathBuf>,
}

impl<T> RunRequest<T> {
    /// A new run of `experiment` into `out`, with the experiment's seed and
    /// generations.
    pub fn new(experiment: Experiment<T>, out: impl Into<PathBuf>) -> Self {
        Self {
            start: Start::New(Box::new(experiment.into())),
            seed: None,
            generations: None,
            out: Some(out.into()),
        }
    }

    /// Continues the run in `dir` (or the checkpoint file `dir`) up to
    /// `generations` in total.
    pub fn resume(dir: impl Into<PathBuf>, generations: Option<u64>) -> Self {
        Self {
            start: Start::Resume(dir.into()),
            seed: None,
            generations,
            out: None,
        }
    }
}

/// A run's output directory and its files.
pub struct RunDir {
    /// The directory.
    pub path: PathBuf,
}

impl RunDir {
    /// `champion.ron`.
    pub fn champion(&self) -> PathBuf {
        self.path.join("champion.ron")
    }

    /// `checkpoints/`.
    pub fn checkpoints(&self) -> PathBuf {
        self.path.join("checkpoints")
    }

    /// The checkpoint file of `generation`.
    pub fn checkpoint(&self, generation: u64) -> PathBuf {
        self.checkpoints()
            .join(format!("gen-{generation:06}.ron.zst"))
    }

    /// Fails fast when the run could not save: creates the directory and its
    /// `checkpoints/`, writes a probe file and removes it. Temporary files that a
    /// killed run left behind are removed too.
    pub fn probe(&self) -> Result<(), EvolveError> {
        let unwritable = |error| EvolveError::Unwritable {
            path: self.path.clone(),
            error,
        };
        let checkpoints = self.checkpoints();
        std::fs::create_dir_all(&checkpoints).map_err(unwritable)?;
        let probe = checkpoints.join(format!(".probe-{}", std::process::id()));
        std::fs::write(&probe, b"sprout").map_err(unwritable)?;
        std::fs::remove_file(&probe).map_err(unwritable)?;
        for dir in [&self.path, &checkpoints] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                if entry.file_name().to_string_lossy().starts_with(".tmp-") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }

    /// Writes stats.csv, champion.ron and (with the `plot` feature) fitness.png.
    pub fn write_results<T: Serialize>(
        &self,
        experiment: &Experiment<T>,
        evolution: &Evolution,
    ) -> Result<(), EvolveError> {
        write_atomic(
            &self.path.join("stats.csv"),
            to_csv(&evolution.history).as_bytes(),
        )?;
        if let Some(champion) = evolution.champion(experiment.champion) {
            saves::write_champion(&self.champion(), experiment, evolution.seed, champion)?;
        }
        #[cfg(feature = "plot")]
        if !evolution.history.is_empty() {
            let title = format!("{} (seed {})", experiment.name, evolution.seed);
            let png = self.path.join("fitness.png");
            crate::plot::plot_fitness(&evolution.history, &title, &png)?;
        }
        Ok(())
    }

    /// Writes a checkpoint and keeps only the newest few. A failed write leaves
    /// the older checkpoints as they were.
    pub fn write_checkpoint<T: Serialize>(
        &self,
        experiment: &Experiment<T>,
        evolution: &Evolution,
    ) -> Result<PathBuf, EvolveError> {
        let generation = evolution.generation();
        let path = self.checkpoint(generation);
        saves::write_checkpoint(&path, experiment, evolution).map_err(|error| {
            EvolveError::CheckpointWrite {
                path: path.clone(),
                generation,
                error: Box::new(error),
            }
        })?;
        self.prune_checkpoints();
        Ok(path)
    }

    fn prune_checkpoints(&self) {
        let Ok(files) = saves::list_checkpoints(&self.checkpoints()) else {
            return;
        };
        let excess = files.len().saturating_sub(CHECKPOINTS_KEPT);
        for old in &files[..excess] {
            let _ = std::fs::remove_file(old);
        }
    }
}

/// A run ready to go: its experiment, state, task and directory.
pub struct Run<T> {
    /// The experiment.
    pub experiment: Experiment<T>,
    /// The state (fresh, or loaded from a checkpoint).
    pub evolution: Evolution,
    /// The task.
    pub task: Box<dyn Task>,
    /// Where outputs go.
    pub dir: RunDir,
    /// Total generations to reach.
    pub generations: u64,
    /// Warnings to show before the run starts (memory above half of what is
    /// available).
    pub warnings: Vec<String>,
}

impl<T: TaskDescription> Run<T> {
    /// Builds a fresh run, or loads the one to resume. Everything that can fail
    /// before the first generation fails here: the experiment or checkpoint, the
    /// task, the memory the population needs, and the output directory.
    pub fn prepare(request: RunRequest<T>) -> Result<Self, EvolveError> {
        let mut warnings = Vec::new();
        // A resumed run brings its state; a new one is built once the output
        // directory has passed its probe.
        let (experiment, resumed, dir, task) = match request.start {
            Start::Resume(resume) => {
                if request.seed.is_some() {
                    return Err(EvolveError::SeedOnResume);
                }
                let path = saves::resolve_checkpoint(&resume)?;
                let checkpoint = saves::load_checkpoint::<T>(&path)?;
                let task = checkpoint.experiment.check(&path, None)?;
                // A checkpoint lives in <run dir>/checkpoints/.
                let run_dir = path
                    .parent()
                    .and_then(Path::parent)
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                let dir = request.out.clone().unwrap_or(run_dir);
                (checkpoint.experiment, Some(checkpoint.evolution), dir, task)
            }
            Start::New(source) => {
                let ExperimentSource {
                    mut experiment,
                    path,
                    text,
                } = *source;
                if let Some(seed) = request.seed {
                    experiment.seed = seed;
                }
                let task = experiment.check(&path, text.as_deref())?;
                let inputs = experiment.neat.genome_inputs(task.inputs());
                let outputs = experiment.neat.genome_outputs(task.outputs());
                warnings.extend(guard::check_population(
                    &experiment.neat,
                    inputs,
                    outputs,
                    &path,
                    text.as_deref(),
                )?);
                let dir = request.out.clone().unwrap_or_else(|| {
                    PathBuf::from("saves").join(format!("{}-{}", experiment.name, experiment.seed))
                });
                (experiment, None, dir, task)
            }
        };
        let dir = RunDir { path: dir };
        dir.probe()?;
        let evolution = resumed
            .unwrap_or_else(|| Evolution::new(&experiment.neat, task.as_ref(), experiment.seed));
        let generations = request.generations.unwrap_or(experiment.generations);
        Ok(Run {
            experiment,
            evolution,
            task,
            dir,
            generations,
            warnings,
        })
    }

    /// Runs generations until done, solved or `stop` is raised (checked between
    /// generations), checkpointing as configured and at the end. `on_generation`
    /// sees each generation's statistics. Evaluation runs on this machine
    /// ([`Local`]); see [`Run::evolve_with`] for another back end.
    pub fn evolve(
        &mut self,
        stop: &AtomicBool,
        on_generation: impl FnMut(&GenerationStats, &Evolution),
    ) -> Result<Ending, EvolveError> {
        self.evolve_with(&Local, stop, on_generation)
    }

    /// [`Run::evolve`] with genomes scored by `evaluator` (for example on the
    /// workers of a Redis server). When the evaluator fails, the state after the
    /// last whole generation is checkpointed before the error is returned, so
    /// the run resumes from there.
    pub fn evolve_with(
        &mut self,
        evaluator: &dyn Evaluator,
        stop: &AtomicBool,
        mut on_generation: impl FnMut(&GenerationStats, &Evolution),
    ) -> Result<Ending, EvolveError> {
        let Run {
            experiment,
            evolution,
            task,
            dir,
            generations,
            ..
        } = self;
        let every = experiment.checkpoint_every;
        let budget = Budget {
            generations: *generations,
            stop_when_solved: experiment.stop_when_solved,
        };
        let ending = evolution.run_until(
            &experiment.neat,
            task.as_ref(),
            evaluator,
            budget,
            stop,
            |stats, evolution| {
                on_generation(stats, evolution);
                if every > 0 && evolution.generation() % every == 0 {
                    dir.write_checkpoint(experiment, evolution)?;
                    dir.write_results(experiment, evolution)?;
                }
                Ok(())
            },
        );
        let ending = match ending {
            Err(EvolveError::Evaluator(message)) => {
                dir.write_checkpoint(experiment, evolution)?;
                dir.write_results(experiment, evolution)?;
                return Err(EvolveError::Evaluator(format!(
                    "{message}; generation {} was checkpointed in {}",
                    evolution.generation(),
                    dir.checkpoint(evolution.generation()).display()
                )));
            }
            other => other?,
        };
        dir.write_checkpoint(experiment, evolution)?;
        dir.write_results(experiment, evolution)?;
        Ok(ending)
    }
}
