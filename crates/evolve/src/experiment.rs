//! Experiment files: the run's settings, the NEAT parameters and the task.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sprout_genome::NeatConfig;

use crate::error::EvolveError;
use crate::evolution::ChampionChoice;
use crate::files::{line_of_field, parse_ron};
use sprout_task::Task;

/// The task section of an experiment file, for any task: it is saved with every
/// champion and checkpoint (so it serializes), and it builds the task it
/// describes. Sprout's built-in tasks are one enum of these (`sprout-lab`); a task
/// of your own implements it on its own settings type (see
/// `examples/custom_task.rs`).
pub trait TaskDescription:
    Serialize + DeserializeOwned + Clone + std::fmt::Debug + PartialEq
{
    /// Builds the task, validating its settings.
    fn build(&self) -> Result<Box<dyn Task>, Box<dyn std::error::Error + Send + Sync>>;
}

/// An experiment with where it came from, so later checks can name the file
/// and point at lines.
#[derive(Debug, Clone)]
pub struct ExperimentSource<T> {
    /// The experiment.
    pub experiment: Experiment<T>,
    /// The file, or a name such as `<embedded>`.
    pub path: std::path::PathBuf,
    /// The file's text, when there is one.
    pub text: Option<String>,
}

impl<T> From<Experiment<T>> for ExperimentSource<T> {
    /// An experiment built in code: errors name it `<experiment NAME>`.
    fn from(experiment: Experiment<T>) -> Self {
        Self {
            path: format!("<experiment {}>", experiment.name).into(),
            experiment,
            text: None,
        }
    }
}

impl<T: TaskDescription> ExperimentSource<T> {
    /// Reads, parses and checks an experiment file ([`Experiment::check`]).
    pub fn read(path: &Path) -> Result<Self, EvolveError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
            path: path.to_owned(),
            error: source,
        })?;
        let experiment = Experiment::parse(&text, path)?;
        experiment.check(path, Some(&text))?;
        Ok(Self {
            experiment,
            path: path.to_owned(),
            text: Some(text),
        })
    }
}

/// An experiment: everything that, with a seed, determines a run. `T` is the task
/// description; the CLI's is an enum over the built-in tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment<T> {
    /// Short name, used for the output directory (`saves/<name>-<seed>/`).
    pub name: String,
    /// Run seed; `--seed` overrides it. Default 0.
    #[serde(default)]
    pub seed: u64,
    /// Total generations of a run; `--generations` overrides it. Default 100.
    #[serde(default = "default_generations")]
    pub generations: u64,
    /// Stop as soon as a generation's champion passes the task's success check.
    /// Default true.
    #[serde(default = "default_true")]
    pub stop_when_solved: bool,
    /// Write a checkpoint every this many generations (0: only at the end and on
    /// Ctrl-C). Default 10.
    #[serde(default = "default_checkpoint_every")]
    pub checkpoint_every: u64,
    /// The genome saved as `champion.ron` when none solved the task: `BestEver`
    /// (default) or `LatestGeneration` (for tasks whose conditions rotate).
    #[serde(default)]
    pub champion: ChampionChoice,
    /// NEAT parameters; unset fields take their defaults.
    #[serde(default)]
    pub neat: NeatConfig,
    /// The task.
    pub task: T,
}

fn default_generations() -> u64 {
    100
}

fn default_true() -> bool {
    true
}

fn default_checkpoint_every() -> u64 {
    10
}

impl<T: DeserializeOwned> Experiment<T> {
    /// Parses an experiment from RON text and validates the run and NEAT
    /// settings. `path` names the source in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, EvolveError> {
        let experiment: Self = parse_ron(text, path)?;
        experiment
            .validate()
            .map_err(|(field, message)| EvolveError::Invalid {
                path: path.to_owned(),
                line: line_of_field(text, &field),
                field,
                message,
            })?;
        Ok(experiment)
    }

    /// Reads and validates an experiment file.
    pub fn load(path: &Path) -> Result<Self, EvolveError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
            path: path.to_owned(),
            error: source,
        })?;
        Self::parse(&text, path)
    }
}

impl<T: TaskDescription> Experiment<T> {
    /// Checks what parsing cannot, and returns the task: it builds, and the
    /// lifetime modules' input ranges fit its observations. `path` names the file
    /// in errors, and `text`, when known, points them at a line.
    pub fn check(&self, path: &Path, text: Option<&str>) -> Result<Box<dyn Task>, EvolveError> {
        let task = self.task.build().map_err(|e| EvolveError::TaskBuild {
            source_name: format!("{}: task", path.display()),
            message: e.to_string(),
        })?;
        self.neat
            .check_lifetime_inputs(task.inputs())
            .map_err(|e| {
                let field = format!("neat.{}", e.field);
                EvolveError::Invalid {
                    path: path.to_owned(),
                    line: text.and_then(|t| line_of_field(t, &field)),
                    field,
                    message: e.message,
                }
            })?;
        Ok(task)
    }
}

impl<T> Experiment<T> {
    /// Checks the run and NEAT settings; the error is (field path, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.name.trim().is_empty() || self.name.contains(['/', '\\']) {
            return Err((
                "name".into(),
                "must be a non-empty name without slashes".into(),
            ));
        }
        if self.generations == 0 {
            return Err(("generations".into(), "must be at least 1".into()));
        }
        self.neat
            .validate()
            .map_err(|e| (format!("neat.{}", e.field), e.message))
    }
}
