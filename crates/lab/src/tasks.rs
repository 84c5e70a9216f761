//! The built-in tasks, and the experiments embedded in the binary.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sprout_classic::pole::PoleConfig;
use sprout_classic::tmaze::TMazeConfig;
use sprout_classic::xor::Xor;
use sprout_evolve::{Experiment, ExperimentSource, Task, TaskDescription};
use sprout_platformer::{PlatformerConfig, PlatformerTask};

use crate::error::LabError;

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

impl TaskDescription for TaskSpec {
    fn build(&self) -> Result<Box<dyn Task>, Box<dyn std::error::Error + Send + Sync>> {
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
const BUILTIN: [(&str, &str); 24] = [
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
    (
        "platformer-dark-none",
        include_str!("../../../configs/platformer-dark-none.ron"),
    ),
    (
        "platformer-dark-recurrent",
        include_str!("../../../configs/platformer-dark-recurrent.ron"),
    ),
    (
        "platformer-dark-hopfield",
        include_str!("../../../configs/platformer-dark-hopfield.ron"),
    ),
    (
        "platformer-permuted-none",
        include_str!("../../../configs/platformer-permuted-none.ron"),
    ),
    (
        "platformer-permuted-recurrent",
        include_str!("../../../configs/platformer-permuted-recurrent.ron"),
    ),
    (
        "platformer-permuted-rbm",
        include_str!("../../../configs/platformer-permuted-rbm.ron"),
    ),
];

/// The names of the embedded experiments, the default first.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// The embedded experiment `configs/<name>.ron`.
pub fn builtin_experiment(name: &str) -> Result<SproutExperiment, LabError> {
    let (_, text) = BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| LabError::UnknownBuiltin(name.to_owned()))?;
    Ok(SproutExperiment::parse(
        text,
        Path::new(&format!("<embedded configs/{name}.ron>")),
    )?)
}

/// A built-in experiment with the file it came from.
pub type SproutSource = ExperimentSource<TaskSpec>;

/// Reads `path`, or the embedded default when `None`, and checks that its task
/// builds and fits its lifetime modules.
pub fn read_experiment(path: Option<&Path>) -> Result<SproutSource, LabError> {
    match path {
        Some(path) => Ok(ExperimentSource::read(path)?),
        None => {
            let experiment = builtin_experiment(BUILTIN[0].0)?;
            let path = PathBuf::from("<embedded>");
            experiment.check(&path, None)?;
            Ok(ExperimentSource {
                experiment,
                path,
                text: None,
            })
        }
    }
}

/// [`read_experiment`], keeping only the experiment.
pub fn load_experiment(path: Option<&Path>) -> Result<SproutExperiment, LabError> {
    read_experiment(path).map(|source| source.experiment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_experiment_parses_and_builds() {
        for name in builtin_names() {
            let experiment = builtin_experiment(name).unwrap();
            experiment.check(Path::new(name), None).unwrap();
        }
    }

    #[test]
    fn an_unknown_builtin_is_named() {
        let e = builtin_experiment("nope").unwrap_err();
        assert_eq!(e.to_string(), "no built-in experiment named nope");
    }
}
