//! The built-in tasks, and the files that name them: experiments, champions and
//! checkpoints.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sprout_classic::pole::PoleConfig;
use sprout_classic::tmaze::TMazeConfig;
use sprout_classic::xor::Xor;
use sprout_evolve::files::parse_ron;
use sprout_evolve::{Champion, Evolution, EvolveError, Experiment, Task};
use sprout_genome::{Genome, NeatConfig};
use sprout_platformer::{PlatformerConfig, PlatformerTask};

/// The task section of an experiment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskSpec {
    /// XOR (envs/classic): `task: Xor`.
    Xor,
    /// Pole balancing (envs/classic):
    /// `task: Pole(variant: DoubleWithVelocities)`.
    Pole(PoleConfig),
    /// The platformer (envs/platformer):
    /// `task: Platformer(levels: Builtin(["1-1"]))`.
    Platformer(PlatformerConfig),
    /// The T-maze with a reward that moves during the lifetime (envs/classic):
    /// `task: TMaze()`, or `task: TMaze(lifetimes: 4)`.
    TMaze(TMazeConfig),
}

impl TaskSpec {
    /// Builds the task, validating its settings.
    pub fn build(&self) -> Result<Box<dyn Task>> {
        Ok(match self {
            TaskSpec::Xor => Box::new(Xor),
            TaskSpec::Pole(config) => Box::new(config.build()?),
            TaskSpec::Platformer(config) => Box::new(PlatformerTask::new(config.clone())?),
            TaskSpec::TMaze(config) => Box::new(config.build()?),
        })
    }
}

/// An experiment over the built-in tasks.
pub type SproutExperiment = Experiment<TaskSpec>;

/// The experiments embedded in the binary: (name, file text). The first is the
/// default of `sprout evolve`.
const BUILTIN: [(&str, &str); 18] = [
    (
        "platformer",
        include_str!("../../../configs/platformer.ron"),
    ),
    (
        "platformer-hebbian",
        include_str!("../../../configs/platformer-hebbian.ron"),
    ),
    ("mario", include_str!("../../../configs/mario.ron")),
    (
        "generalist",
        include_str!("../../../configs/generalist.ron"),
    ),
    ("xor", include_str!("../../../configs/xor.ron")),
    ("pole", include_str!("../../../configs/pole.ron")),
    ("dpv", include_str!("../../../configs/dpv.ron")),
    ("dpnv", include_str!("../../../configs/dpnv.ron")),
    (
        "dpnv-sprout",
        include_str!("../../../configs/dpnv-sprout.ron"),
    ),
    (
        "tmaze-fixed",
        include_str!("../../../configs/tmaze-fixed.ron"),
    ),
    (
        "tmaze-recurrent",
        include_str!("../../../configs/tmaze-recurrent.ron"),
    ),
    (
        "tmaze-plastic",
        include_str!("../../../configs/tmaze-plastic.ron"),
    ),
    (
        "platformer-shifting-fixed",
        include_str!("../../../configs/platformer-shifting-fixed.ron"),
    ),
    (
        "platformer-shifting-recurrent",
        include_str!("../../../configs/platformer-shifting-recurrent.ron"),
    ),
    (
        "platformer-shifting-plastic",
        include_str!("../../../configs/platformer-shifting-plastic.ron"),
    ),
    (
        "platformer-occluded-none",
        include_str!("../../../configs/platformer-occluded-none.ron"),
    ),
    (
        "platformer-occluded-hopfield",
        include_str!("../../../configs/platformer-occluded-hopfield.ron"),
    ),
    (
        "platformer-occluded-rbm",
        include_str!("../../../configs/platformer-occluded-rbm.ron"),
    ),
];

/// The embedded experiment `configs/<name>.ron`.
pub fn builtin_experiment(name: &str) -> Result<SproutExperiment> {
    let (_, text) = BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .with_context(|| format!("no built-in experiment named {name}"))?;
    Ok(SproutExperiment::parse(
        text,
        Path::new(&format!("<embedded configs/{name}.ron>")),
    )?)
}

/// Loads `path`, or the embedded default when `None`.
pub fn load_experiment(path: Option<&Path>) -> Result<SproutExperiment> {
    let (experiment, text) = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
                path: path.to_owned(),
                error: source,
            })?;
            (SproutExperiment::parse(&text, path)?, Some(text))
        }
        None => (builtin_experiment(BUILTIN[0].0)?, None),
    };
    let shown = path.map_or_else(|| PathBuf::from("<embedded>"), Path::to_path_buf);
    let task = experiment
        .task
        .build()
        .with_context(|| format!("{}: task", shown.display()))?;
    check_lifetime_inputs(&experiment, task.as_ref(), &shown, text.as_deref())?;
    Ok(experiment)
}

/// Checks that the lifetime modules' input ranges fit the task's observations.
pub fn check_lifetime_inputs(
    experiment: &SproutExperiment,
    task: &dyn Task,
    path: &Path,
    text: Option<&str>,
) -> Result<(), EvolveError> {
    experiment
        .neat
        .check_lifetime_inputs(task.inputs())
        .map_err(|e| {
            let field = format!("neat.{}", e.field);
            EvolveError::Invalid {
                path: path.to_owned(),
                line: text.and_then(|t| sprout_evolve::files::line_of_field(t, &field)),
                field,
                message: e.message,
            }
        })
}

/// `champion.ron`: a genome with everything needed to rebuild and rerun it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChampionFile {
    /// The experiment that evolved it (task and NEAT settings).
    pub experiment: SproutExperiment,
    /// The run seed; with the generation and genome id it fixes the evaluation's
    /// random stream.
    pub seed: u64,
    /// The genome and its recorded evaluation.
    pub champion: Champion,
}

/// A checkpoint: the experiment and the complete run state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The experiment being run.
    pub experiment: SproutExperiment,
    /// The run state.
    pub evolution: Evolution,
}

/// A saved genome: from a champion file, or the best of a checkpoint.
pub struct SavedGenome {
    /// The file it came from.
    pub path: PathBuf,
    /// The experiment it belongs to.
    pub experiment: SproutExperiment,
    /// The run seed.
    pub seed: u64,
    /// The genome with its recorded evaluation.
    pub champion: Champion,
}

/// Loads a champion file or a checkpoint (its champion), checking the genome.
pub fn load_saved_genome(path: &Path) -> Result<SavedGenome> {
    let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
        path: path.to_owned(),
        error: source,
    })?;
    let saved = if looks_like_checkpoint(&text) {
        let checkpoint = parse_checkpoint(&text, path)?;
        let Some(champion) = checkpoint
            .evolution
            .champion(checkpoint.experiment.champion)
            .cloned()
        else {
            bail!(
                "{}: the checkpoint holds no evaluated generation yet",
                path.display()
            );
        };
        SavedGenome {
            path: path.to_owned(),
            seed: checkpoint.evolution.seed,
            experiment: checkpoint.experiment,
            champion,
        }
    } else {
        let file: ChampionFile = parse_ron(&text, path)?;
        validate_experiment(&file.experiment, path)?;
        SavedGenome {
            path: path.to_owned(),
            experiment: file.experiment,
            seed: file.seed,
            champion: file.champion,
        }
    };
    check_genome(&saved.champion.genome, &saved.experiment.neat, path)?;
    Ok(saved)
}

fn looks_like_checkpoint(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start().starts_with("evolution:"))
}

/// Loads and checks a checkpoint file.
pub fn load_checkpoint(path: &Path) -> Result<Checkpoint> {
    let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
        path: path.to_owned(),
        error: source,
    })?;
    parse_checkpoint(&text, path)
}

fn parse_checkpoint(text: &str, path: &Path) -> Result<Checkpoint> {
    let checkpoint: Checkpoint = parse_ron(text, path)?;
    validate_experiment(&checkpoint.experiment, path)?;
    let neat = &checkpoint.experiment.neat;
    let population = &checkpoint.evolution.population;
    if population.genomes.len() != neat.population_size {
        bail!(
            "{}: the checkpoint holds {} genomes but its experiment sets population_size {}",
            path.display(),
            population.genomes.len(),
            neat.population_size
        );
    }
    for genome in &population.genomes {
        check_genome(genome, neat, path)?;
    }
    Ok(checkpoint)
}

/// Checks a loaded genome's invariants and module genes against its
/// experiment; the error names the file and genome.
fn check_genome(genome: &Genome, neat: &NeatConfig, path: &Path) -> Result<(), EvolveError> {
    genome
        .check_for(neat)
        .map_err(|problem| EvolveError::CorruptGenome {
            path: path.to_owned(),
            genome: genome.id,
            problem,
        })
}

fn validate_experiment(experiment: &SproutExperiment, path: &Path) -> Result<()> {
    experiment
        .validate()
        .map_err(|(field, message)| EvolveError::Invalid {
            path: path.to_owned(),
            line: None,
            field,
            message,
        })?;
    let task = experiment
        .task
        .build()
        .with_context(|| format!("{}: task", path.display()))?;
    check_lifetime_inputs(experiment, task.as_ref(), path, None)?;
    Ok(())
}

/// The newest checkpoint in a run directory, or the file itself.
pub fn resolve_checkpoint(path: &Path) -> Result<PathBuf> {
    if path.is_file() {
        return Ok(path.to_owned());
    }
    let dir = path.join("checkpoints");
    let entries = std::fs::read_dir(&dir).map_err(|source| EvolveError::Io {
        path: dir.clone(),
        error: source,
    })?;
    let mut newest: Option<PathBuf> = None;
    for entry in entries {
        let p = entry.with_context(|| dir.display().to_string())?.path();
        let is_checkpoint = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("gen-") && n.ends_with(".ron"));
        if is_checkpoint && newest.as_ref().is_none_or(|n| p > *n) {
            newest = Some(p);
        }
    }
    newest.with_context(|| format!("{}: no checkpoint (gen-*.ron) found", dir.display()))
}
