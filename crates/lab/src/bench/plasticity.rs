//! `sprout bench plasticity`: does lifetime learning help where it should?
//!
//! Three sections, each a set of arms that evolve on the same budget (same
//! population, same generations, same task, same seeds) and differ only in their
//! networks. Each run's champion (the fittest genome seen) is then scored on
//! episodes it never saw, and the arms are compared with Welch's t-test and the
//! Mann–Whitney U test.
//!
//! - `tmaze`: the T-maze with a moving reward (configs/tmaze-*.ron): fixed
//!   feed-forward, fixed recurrent, and feed-forward networks with evolved,
//!   neuromodulated Hebbian plasticity.
//! - `platformer`: level 1-1 with left and right swapped in one of every two
//!   episodes (configs/platformer-shifting-*.ron): fixed feed-forward, fixed
//!   recurrent, and feed-forward networks with one shared neuromodulated
//!   Hebbian rule whose coefficients are genes (a `Hebbian` lifetime module with
//!   `evolve: true`).
//! - `occluded`: level 1-1 where half the observations lose half their grid
//!   cells (configs/platformer-occluded-*.ron): feed-forward networks with no
//!   lifetime module, with a Hopfield memory that completes the hidden cells,
//!   and with online RBM features.
//! - `memory`: generated levels in the dark, lit by a flash every six
//!   decisions (configs/platformer-dark-*.ron): feed-forward
//!   networks with no module, fixed recurrent networks, and feed-forward
//!   networks with a Hopfield memory of the flashes. The module is compared
//!   with no module (`p_value`, `mannwhitney_p`, `effect` with its interval)
//!   and with the recurrent networks (`vs_recurrent_…`).
//! - `features`: generated levels whose grid cells come in an order shuffled
//!   for each episode (configs/platformer-permuted-*.ron): no module, fixed
//!   recurrent, and online RBM features; compared as `memory` is.
//!
//! `--section` runs some of them only. With `--keep-runs DIR`, each run's
//! champion is kept in DIR (a replayable champion file) and a later bench with
//! the same settings scores the kept champion instead of evolving it again, so
//! an hours-long bench can stop and resume, and grow by more seeds.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;
use serde_with::with_prefix;
use sprout_classic::tmaze::TMazeConfig;
use sprout_evolve::saves::{load_saved_genome, write_champion};
use sprout_evolve::seed::evaluation_seed;
use sprout_evolve::{Budget, EvalContext, Evolution, NetworkAgent, Task, TaskDescription};
use sprout_genome::Genome;
use sprout_platformer::{Level, LevelSet, PlatformerConfig, PlatformerTask};

use crate::error::LabError;
use crate::interval::{difference_ci95, rate_ci95};
use crate::significance::{Summary, mann_whitney_u, welch_t_test};
use crate::tasks::{SproutExperiment, TaskSpec, builtin_experiment};

/// Unseen T-maze lifetimes each champion is scored on.
pub const TEST_LIFETIMES: u32 = 20;

/// Unseen platformer episodes each champion is scored on (per level).
pub const TEST_EPISODES: u32 = 10;

/// One comparison of a section: an arm against another.
struct Comparison {
    arm: usize,
    against: usize,
}

/// How a section's arms are compared, and so the shape of its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Plastic against fixed feed-forward and fixed recurrent: [`PlasticVsFixed`].
    PlasticVsFixed,
    /// Two modules against none: [`ModulesVsNone`].
    ModulesVsNone,
    /// A module against none and against fixed recurrent networks:
    /// [`ModuleVsBaselines`].
    ModuleVsBaselines,
}

/// A section: a task, its arms and what to compare.
struct Section {
    /// JSON key.
    key: &'static str,
    /// Its report's shape.
    kind: Kind,
    /// Printed title.
    title: &'static str,
    /// (JSON key prefix, embedded experiment, label) of each arm.
    arms: [(&'static str, &'static str, &'static str); 3],
    comparisons: [Comparison; 2],
}

/// The third arm (plastic, or the module) against the first (fixed
/// feed-forward, or no module: the headline `p_value`) and against the second
/// (fixed recurrent).
const THIRD_AGAINST_BASELINES: [Comparison; 2] = [
    Comparison { arm: 2, against: 0 },
    Comparison { arm: 2, against: 1 },
];

const SECTIONS: [Section; 5] = [
    Section {
        key: "tmaze",
        kind: Kind::PlasticVsFixed,
        title: "T-maze with a moving reward",
        arms: [
            ("fixed", "tmaze-fixed", "fixed feed-forward"),
            ("recurrent", "tmaze-recurrent", "fixed recurrent"),
            ("plastic", "tmaze-plastic", "plastic feed-forward"),
        ],
        comparisons: THIRD_AGAINST_BASELINES,
    },
    Section {
        key: "platformer",
        kind: Kind::PlasticVsFixed,
        title: "platformer 1-1, left and right swapped every other episode",
        arms: [
            ("fixed", "platformer-shifting-fixed", "fixed feed-forward"),
            (
                "recurrent",
                "platformer-shifting-recurrent",
                "fixed recurrent",
            ),
            (
                "plastic",
                "platformer-shifting-plastic",
                "plastic feed-forward",
            ),
        ],
        comparisons: THIRD_AGAINST_BASELINES,
    },
    Section {
        key: "occluded",
        kind: Kind::ModulesVsNone,
        title: "platformer 1-1, half the observations lose half their grid cells",
        arms: [
            ("none", "platformer-occluded-none", "no module"),
            (
                "hopfield",
                "platformer-occluded-hopfield",
                "Hopfield memory",
            ),
            ("rbm", "platformer-occluded-rbm", "RBM features"),
        ],
        comparisons: [
            Comparison { arm: 1, against: 0 },
            Comparison { arm: 2, against: 0 },
        ],
    },
    Section {
        key: "memory",
        kind: Kind::ModuleVsBaselines,
        title: "generated levels in the dark, a flash every six decisions",
        arms: [
            ("none", "platformer-dark-none", "no module"),
            ("recurrent", "platformer-dark-recurrent", "fixed recurrent"),
            ("module", "platformer-dark-hopfield", "Hopfield memory"),
        ],
        comparisons: THIRD_AGAINST_BASELINES,
    },
    Section {
        key: "features",
        kind: Kind::ModuleVsBaselines,
        title: "generated levels, the grid's cells shuffled in every episode",
        arms: [
            ("none", "platformer-permuted-none", "no module"),
            (
                "recurrent",
                "platformer-permuted-recurrent",
                "fixed recurrent",
            ),
            ("module", "platformer-permuted-rbm", "RBM features"),
        ],
        comparisons: THIRD_AGAINST_BASELINES,
    },
];

/// What `bench plasticity` runs.
#[derive(Debug, Clone)]
pub struct PlasticityRequest {
    /// Runs per arm, with seeds `seed..seed+runs`.
    pub runs: u64,
    /// First seed.
    pub seed: u64,
    /// Generations per run, overriding each section's (shared) budget.
    pub generations: Option<u64>,
    /// Keys of the sections to run (all when empty).
    pub sections: Vec<String>,
    /// Where each run's champion is kept and looked for (`--keep-runs`).
    pub keep_runs: Option<PathBuf>,
}

/// A champion's test result: its score, and for the platformer its mean
/// progress overall and in the mirrored episodes, and whether it cleared the
/// level in every test episode under both mappings.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    score: f64,
    progress: Option<f64>,
    mirrored_progress: Option<f64>,
    /// Shifting controls only.
    cleared_both: Option<bool>,
}

/// One arm's champions' test results.
struct Arm {
    key: &'static str,
    label: &'static str,
    scores: Vec<Score>,
}

/// Runs the sections `request` asks for. `on_section` sees each section's
/// report as soon as it is done (a section can take an hour).
pub fn plasticity(
    request: &PlasticityRequest,
    mut on_section: impl FnMut(&dyn fmt::Display),
) -> Result<PlasticityReport, LabError> {
    if request.runs == 0 {
        return Err(LabError::Request("--runs must be at least 1".into()));
    }
    if request.generations == Some(0) {
        return Err(LabError::Request("--generations must be at least 1".into()));
    }
    let keys: Vec<&str> = SECTIONS.iter().map(|s| s.key).collect();
    if let Some(unknown) = request
        .sections
        .iter()
        .find(|s| !keys.contains(&s.as_str()))
    {
        return Err(LabError::Request(format!(
            "--section {unknown}: no such section (they are {})",
            keys.join(", ")
        )));
    }
    let started = Instant::now();
    let mut report = PlasticityReport::default();
    let chosen = SECTIONS
        .iter()
        .filter(|s| request.sections.is_empty() || request.sections.iter().any(|k| k == s.key));
    for section in chosen {
        let section_started = Instant::now();
        let experiments = section
            .arms
            .iter()
            .map(|(_, name, _)| builtin_experiment(name))
            .collect::<Result<Vec<_>, _>>()?;
        check_same_budget(section, &experiments)?;
        let generations = request.generations.unwrap_or(experiments[0].generations);
        let seeds = request.seed..request.seed + request.runs;
        let mut arms = Vec::with_capacity(section.arms.len());
        for ((key, _, label), experiment) in section.arms.iter().zip(&experiments) {
            let scores = seeds
                .clone()
                .into_par_iter()
                .map(|seed| {
                    champion_score(experiment, seed, generations, request.keep_runs.as_deref())
                })
                .collect::<Result<Vec<Score>, LabError>>()?;
            arms.push(Arm { key, label, scores });
        }
        let header = header(section, &experiments[0], generations, request);
        let (arms, tests) = summarise(section, &arms);
        let wall_seconds = section_started.elapsed().as_secs_f64();
        let population = experiments[0].neat.population_size;
        let parts = (request, generations, population, wall_seconds, header);
        match section.kind {
            Kind::PlasticVsFixed => {
                let section_report =
                    SectionReport::new(parts, PlasticVsFixed::from_parts(arms, tests));
                on_section(&section_report);
                if section.key == "tmaze" {
                    report.tmaze = Some(section_report);
                } else {
                    report.platformer = Some(section_report);
                }
            }
            Kind::ModulesVsNone => {
                let section_report =
                    SectionReport::new(parts, ModulesVsNone::from_parts(arms, tests));
                on_section(&section_report);
                report.occluded = Some(section_report);
            }
            Kind::ModuleVsBaselines => {
                let section_report =
                    SectionReport::new(parts, ModuleVsBaselines::from_parts(arms, tests));
                on_section(&section_report);
                if section.key == "memory" {
                    report.memory = Some(section_report);
                } else {
                    report.features = Some(section_report);
                }
            }
        }
    }
    report.wall_seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The arms must differ only in their networks: same population, generations and
/// task.
fn check_same_budget(section: &Section, experiments: &[SproutExperiment]) -> Result<(), LabError> {
    let first = &experiments[0];
    for (other, (_, name, _)) in experiments.iter().zip(&section.arms).skip(1) {
        if other.neat.population_size != first.neat.population_size
            || other.generations != first.generations
            || other.task != first.task
        {
            return Err(LabError::Request(format!(
                "configs/{name}.ron: population_size, generations and task must match configs/{}.ron",
                section.arms[0].1
            )));
        }
    }
    Ok(())
}

/// Evolves one run for `generations` generations and scores its champion (the
/// fittest genome seen) on unseen lifetimes or episodes. With `keep`, the
/// champion is read from there when an earlier bench kept it, and kept there
/// when this one evolves it.
fn champion_score(
    experiment: &SproutExperiment,
    seed: u64,
    generations: u64,
    keep: Option<&Path>,
) -> Result<Score, LabError> {
    // The experiment as this run ran it, as its champion file records it.
    let run = SproutExperiment {
        seed,
        generations,
        stop_when_solved: false,
        ..experiment.clone()
    };
    let kept = keep.map(|dir| dir.join(format!("{}-{seed}-g{generations}.ron", run.name)));
    let genome = match &kept {
        Some(path) if path.exists() => kept_champion(path, &run)?,
        _ => {
            let champion = evolve_champion(&run)?;
            if let Some(path) = &kept {
                write_champion(path, &run, seed, &champion)?;
            }
            champion.genome
        }
    };
    match &run.task {
        TaskSpec::TMaze(config) => Ok(Score {
            score: tmaze_score(config, &genome, &run, seed)?,
            ..Score::default()
        }),
        TaskSpec::Platformer(config) => platformer_score(config, &genome, &run, seed),
        _ => Err(LabError::Request(
            "the plasticity benchmark runs the T-maze and the platformer".into(),
        )),
    }
}

/// Runs `run` to the end of its budget and returns the fittest genome seen.
fn evolve_champion(run: &SproutExperiment) -> Result<sprout_evolve::Champion, LabError> {
    let task = run
        .task
        .build()
        .map_err(|e| LabError::Task(e.to_string()))?;
    let mut evolution = Evolution::new(&run.neat, task.as_ref(), run.seed);
    let budget = Budget {
        generations: run.generations,
        stop_when_solved: false,
    };
    evolution.run(&run.neat, task.as_ref(), budget)?;
    Ok(evolution.best.expect("at least one generation ran"))
}

/// The genome of a kept champion file, which must come from exactly `run`: a
/// champion evolved under other settings would silently mix two experiments
/// into one comparison.
fn kept_champion(path: &Path, run: &SproutExperiment) -> Result<Genome, LabError> {
    let saved = load_saved_genome::<TaskSpec>(path)?;
    if saved.experiment != *run || saved.seed != run.seed {
        return Err(LabError::Request(format!(
            "{}: kept by a bench with other settings (configs/{}.ron changed since); \
             move it away or keep this bench's runs in another directory",
            path.display(),
            run.name
        )));
    }
    Ok(saved.champion.genome)
}

/// The evaluation context of a champion's test: a stream no training
/// evaluation uses (generation `u64::MAX`).
fn test_context(seed: u64, genome: &Genome) -> EvalContext {
    EvalContext {
        generation: u64::MAX,
        rng: Xoshiro256PlusPlus::seed_from_u64(evaluation_seed(seed, u64::MAX, genome.id)),
    }
}

/// Mean high-reward trials of `genome` over [`TEST_LIFETIMES`] unseen lifetimes.
fn tmaze_score(
    config: &TMazeConfig,
    genome: &Genome,
    experiment: &SproutExperiment,
    seed: u64,
) -> Result<f64, LabError> {
    let test = TMazeConfig {
        lifetimes: TEST_LIFETIMES,
        ..config.clone()
    }
    .build()
    .map_err(|e| LabError::Task(e.to_string()))?;
    let mut agent = NetworkAgent::new(genome, &experiment.neat);
    Ok(test
        .evaluate(&mut agent, &mut test_context(seed, genome))
        .fitness)
}

/// Mean fitness and progress of `genome` over [`TEST_EPISODES`] unseen episodes
/// of each level (the variants, mirrored controls and hidden cells, drawn as in
/// training), or for a rotating level set over [`TEST_EPISODES`] sets of levels
/// never played in training, and its mean progress in the mirrored episodes.
fn platformer_score(
    config: &PlatformerConfig,
    genome: &Genome,
    experiment: &SproutExperiment,
    seed: u64,
) -> Result<Score, LabError> {
    // Levels of generations no run reaches: a fixed level set (1-1) is played
    // TEST_EPISODES times per level; a rotating set is replaced by
    // TEST_EPISODES sets never played in training, each level played once.
    let (sets, episodes): (Vec<u64>, u32) = match &config.levels {
        LevelSet::Rotating { every, .. } => (
            (0..u64::from(TEST_EPISODES))
                .map(|set| u64::MAX - set * u64::from(*every))
                .collect(),
            1,
        ),
        _ => (vec![u64::MAX], TEST_EPISODES),
    };
    let test = PlatformerTask::new(PlatformerConfig {
        episodes,
        ..config.clone()
    })
    .map_err(|e| LabError::Task(e.to_string()))?;
    let mut agent = NetworkAgent::new(genome, &experiment.neat);
    let mut ctx = test_context(seed, genome);
    let (mut fitness, mut progress, mut episodes) = (0.0, 0.0, 0u32);
    let (mut mirrored_progress, mut mirrored) = (0.0, 0u32);
    // Cleared under each mapping: [plain, mirrored], each every time.
    let mut cleared = [true; 2];
    let levels: Vec<Arc<Level>> = sets
        .iter()
        .flat_map(|&set| test.levels(set).to_vec())
        .collect();
    for level in levels {
        for variant in test.draw_variants(&mut ctx.rng) {
            let report = test.play_variant(&level, &mut agent, &variant, false);
            fitness += report.fitness.max(config.fitness_floor);
            progress += report.progress;
            episodes += 1;
            cleared[usize::from(variant.mirrored)] &= report.finished;
            if variant.mirrored {
                mirrored_progress += report.progress;
                mirrored += 1;
            }
        }
    }
    let n = f64::from(episodes);
    Ok(Score {
        score: fitness / n,
        progress: Some(progress / n),
        mirrored_progress: (mirrored > 0).then(|| mirrored_progress / f64::from(mirrored)),
        cleared_both: (mirrored > 0 && mirrored < episodes).then_some(cleared == [true; 2]),
    })
}

/// What a champion scored, summarised over the seeds of one arm; with a prefix
/// (`plastic_`), these are the section's JSON keys (`plastic_mean`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmSummary {
    /// Mean test score.
    pub mean: f64,
    /// Sample standard deviation (absent below two runs).
    pub sd: Option<f64>,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Every run's score, in seed order.
    pub scores: Vec<f64>,
    /// Platformer: mean fraction of the level covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_mean: Option<f64>,
    /// Platformer with shifting controls: the same in the mirrored episodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirrored_progress_mean: Option<f64>,
    /// Platformer with shifting controls: the fraction of runs whose champion
    /// cleared the level in every test episode under both mappings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_rate: Option<f64>,
    /// Its 95% interval (Clopper–Pearson).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_rate_ci95: Option<[f64; 2]>,
    /// The arm's name in the text report.
    #[serde(skip)]
    pub label: &'static str,
}

/// One arm against another; with a prefix (`p_value_recurrent`), its JSON keys
/// are the prefix (Welch's p) and the prefix + `_mann_whitney`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// Welch's two-sided p.
    #[serde(rename = "")]
    pub welch_p: Option<f64>,
    /// Mann–Whitney's two-sided p.
    #[serde(rename = "_mann_whitney")]
    pub mann_whitney_p: Option<f64>,
    /// Welch's t, degrees of freedom, and U, for the text report.
    #[serde(skip)]
    pub t_df_u: [Option<f64>; 3],
    /// "plastic vs fixed feed-forward".
    #[serde(skip)]
    pub label: String,
}

with_prefix!(fixed "fixed_");
with_prefix!(recurrent "recurrent_");
with_prefix!(plastic "plastic_");
with_prefix!(none "none_");
with_prefix!(hopfield "hopfield_");
with_prefix!(rbm "rbm_");
with_prefix!(module "module_");
with_prefix!(p_value "p_value");
with_prefix!(p_value_recurrent "p_value_recurrent");
with_prefix!(p_value_hopfield "p_value_hopfield");
with_prefix!(p_value_rbm "p_value_rbm");

/// The arms and tests of the T-maze and shifting-platformer sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlasticVsFixed {
    /// Fixed feed-forward networks.
    #[serde(flatten, with = "fixed")]
    pub fixed: ArmSummary,
    /// Fixed recurrent networks.
    #[serde(flatten, with = "recurrent")]
    pub recurrent: ArmSummary,
    /// Plastic feed-forward networks.
    #[serde(flatten, with = "plastic")]
    pub plastic: ArmSummary,
    /// Plastic against fixed feed-forward: the headline `p_value`.
    #[serde(flatten, with = "p_value")]
    pub against_fixed: Test,
    /// Plastic against fixed recurrent.
    #[serde(flatten, with = "p_value_recurrent")]
    pub against_recurrent: Test,
}

/// The arms and tests of the occluded-platformer section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModulesVsNone {
    /// No lifetime module.
    #[serde(flatten, with = "none")]
    pub none: ArmSummary,
    /// A Hopfield memory.
    #[serde(flatten, with = "hopfield")]
    pub hopfield: ArmSummary,
    /// Online RBM features.
    #[serde(flatten, with = "rbm")]
    pub rbm: ArmSummary,
    /// Hopfield against no module.
    #[serde(flatten, with = "p_value_hopfield")]
    pub hopfield_test: Test,
    /// RBM against no module.
    #[serde(flatten, with = "p_value_rbm")]
    pub rbm_test: Test,
}

/// A lifetime module against no module and against fixed recurrent networks
/// (the `memory` section).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleVsBaselines {
    /// Feed-forward networks, no lifetime module.
    #[serde(flatten, with = "none")]
    pub none: ArmSummary,
    /// Fixed recurrent networks on the same budget.
    #[serde(flatten, with = "recurrent")]
    pub recurrent: ArmSummary,
    /// Feed-forward networks with the module.
    #[serde(flatten, with = "module")]
    pub module: ArmSummary,
    /// Welch's two-sided p, module against no module.
    pub p_value: Option<f64>,
    /// Mann–Whitney's two-sided p, module against no module.
    pub mannwhitney_p: Option<f64>,
    /// Welch's p, module against fixed recurrent.
    pub vs_recurrent_p_value: Option<f64>,
    /// Mann–Whitney's p, module against fixed recurrent.
    pub vs_recurrent_mannwhitney_p: Option<f64>,
    /// The effect: module mean − no-module mean.
    pub effect: f64,
    /// Its 95% interval (Welch).
    pub effect_ci95: Option<[f64; 2]>,
    /// The tests, for the text report.
    #[serde(skip)]
    pub tests: [Test; 2],
}

/// A section's arms and tests, as built from the runs.
pub trait Comparisons {
    /// From the three arms and two tests, in the section's order.
    fn from_parts(arms: [ArmSummary; 3], tests: [Test; 2]) -> Self;
    /// The arms, in the section's order.
    fn arms(&self) -> [&ArmSummary; 3];
    /// The tests, in the section's order.
    fn tests(&self) -> [&Test; 2];
    /// A last line for the text report, if any.
    fn summary_line(&self) -> Option<String> {
        None
    }
}

impl Comparisons for ModuleVsBaselines {
    fn from_parts([none, recurrent, module]: [ArmSummary; 3], tests: [Test; 2]) -> Self {
        Self {
            p_value: tests[0].welch_p,
            mannwhitney_p: tests[0].mann_whitney_p,
            vs_recurrent_p_value: tests[1].welch_p,
            vs_recurrent_mannwhitney_p: tests[1].mann_whitney_p,
            effect: module.mean - none.mean,
            effect_ci95: difference_ci95(&module.scores, &none.scores),
            none,
            recurrent,
            module,
            tests,
        }
    }
    fn arms(&self) -> [&ArmSummary; 3] {
        [&self.none, &self.recurrent, &self.module]
    }
    fn tests(&self) -> [&Test; 2] {
        [&self.tests[0], &self.tests[1]]
    }
    fn summary_line(&self) -> Option<String> {
        let interval = self.effect_ci95.map_or(String::new(), |[lo, hi]| {
            format!(" (95% CI {lo:.2} to {hi:.2})")
        });
        Some(format!(
            "  effect of the {}: {:+.2}{interval}",
            self.module.label, self.effect
        ))
    }
}

impl Comparisons for PlasticVsFixed {
    fn from_parts([fixed, recurrent, plastic]: [ArmSummary; 3], [a, b]: [Test; 2]) -> Self {
        Self {
            fixed,
            recurrent,
            plastic,
            against_fixed: a,
            against_recurrent: b,
        }
    }
    fn arms(&self) -> [&ArmSummary; 3] {
        [&self.fixed, &self.recurrent, &self.plastic]
    }
    fn tests(&self) -> [&Test; 2] {
        [&self.against_fixed, &self.against_recurrent]
    }
}

impl Comparisons for ModulesVsNone {
    fn from_parts([none, hopfield, rbm]: [ArmSummary; 3], [a, b]: [Test; 2]) -> Self {
        Self {
            none,
            hopfield,
            rbm,
            hopfield_test: a,
            rbm_test: b,
        }
    }
    fn arms(&self) -> [&ArmSummary; 3] {
        [&self.none, &self.hopfield, &self.rbm]
    }
    fn tests(&self) -> [&Test; 2] {
        [&self.hopfield_test, &self.rbm_test]
    }
}

/// One section's report; its fields are the section object's JSON keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionReport<C> {
    /// Runs per arm.
    pub runs: u64,
    /// Generations per run.
    pub generations: u64,
    /// Population size.
    pub population: usize,
    /// The arms and their tests.
    #[serde(flatten)]
    pub comparison: C,
    /// Wall-clock seconds of the section.
    pub wall_seconds: f64,
    /// The section's first line of text.
    #[serde(skip)]
    pub header: String,
}

impl<C> SectionReport<C> {
    /// From the request, generations, population, wall time and header of the
    /// section, and its comparison.
    fn new(
        (request, generations, population, wall_seconds, header): (
            &PlasticityRequest,
            u64,
            usize,
            f64,
            String,
        ),
        comparison: C,
    ) -> Self {
        Self {
            runs: request.runs,
            generations,
            population,
            comparison,
            wall_seconds,
            header,
        }
    }
}

/// The report of `bench plasticity`: one object per section run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlasticityReport {
    /// The T-maze section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tmaze: Option<SectionReport<PlasticVsFixed>>,
    /// The shifting-controls platformer section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platformer: Option<SectionReport<PlasticVsFixed>>,
    /// The occluded platformer section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occluded: Option<SectionReport<ModulesVsNone>>,
    /// The platformer in the dark: a Hopfield memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<SectionReport<ModuleVsBaselines>>,
    /// The platformer with shuffled sensors: RBM features.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<SectionReport<ModuleVsBaselines>>,
    /// Wall-clock seconds of every section.
    #[serde(skip)]
    pub wall_seconds: f64,
}

impl fmt::Display for PlasticityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bench plasticity: wall time {:.1} s", self.wall_seconds)
    }
}

/// The section's first line: what ran, on which seeds, scored how.
fn header(
    section: &Section,
    experiment: &SproutExperiment,
    generations: u64,
    request: &PlasticityRequest,
) -> String {
    let test = match &experiment.task {
        TaskSpec::TMaze(c) => format!("{TEST_LIFETIMES} unseen lifetimes of {} trials", c.trials),
        TaskSpec::Platformer(c) if matches!(c.levels, LevelSet::Rotating { .. }) => {
            format!("{TEST_EPISODES} sets of unseen levels")
        }
        _ => format!("{TEST_EPISODES} unseen episodes per level"),
    };
    format!(
        "bench plasticity: {}, {} runs per arm (seeds {}..{}), population {}, {generations} generations; champions scored on {test}",
        section.title,
        request.runs,
        request.seed,
        request.seed + request.runs,
        experiment.neat.population_size,
    )
}

/// The arms' summaries and the section's tests.
fn summarise(section: &Section, arms: &[Arm]) -> ([ArmSummary; 3], [Test; 2]) {
    let values: Vec<Vec<f64>> = arms
        .iter()
        .map(|a| a.scores.iter().map(|s| s.score).collect())
        .collect();
    let summary = |i: usize| {
        let arm = &arms[i];
        let s = Summary::of(&values[i]).expect("at least one run per arm");
        let mean_of = |get: fn(&Score) -> Option<f64>| {
            let v: Option<Vec<f64>> = arm.scores.iter().map(get).collect();
            v.and_then(|v| Summary::of(&v)).map(|s| s.mean)
        };
        let cleared: Option<Vec<bool>> = arm.scores.iter().map(|s| s.cleared_both).collect();
        let successes = cleared.map(|c| c.iter().filter(|&&c| c).count());
        ArmSummary {
            mean: s.mean,
            sd: s.sd,
            min: s.min,
            max: s.max,
            scores: values[i].clone(),
            progress_mean: mean_of(|s| s.progress),
            mirrored_progress_mean: mean_of(|s| s.mirrored_progress),
            success_rate: successes.map(|k| k as f64 / arm.scores.len() as f64),
            success_rate_ci95: successes.and_then(|k| rate_ci95(k, arm.scores.len())),
            label: arm.label,
        }
    };
    let test = |c: &Comparison| {
        let (a, b) = (&values[c.arm], &values[c.against]);
        let welch = welch_t_test(a, b);
        let mann_whitney = mann_whitney_u(a, b);
        Test {
            welch_p: welch.map(|w| w.p),
            mann_whitney_p: mann_whitney.map(|m| m.p),
            t_df_u: [
                welch.map(|w| w.t),
                welch.map(|w| w.df),
                mann_whitney.map(|m| m.u),
            ],
            label: format!("{} vs {:<15}", arms[c.arm].key, arms[c.against].label),
        }
    };
    (
        [summary(0), summary(1), summary(2)],
        [test(&section.comparisons[0]), test(&section.comparisons[1])],
    )
}

impl<C: Comparisons> fmt::Display for SectionReport<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        writeln!(f, "{}", self.header)?;
        for arm in self.comparison.arms() {
            let mut extra = match (arm.progress_mean, arm.mirrored_progress_mean) {
                (Some(p), Some(m)) => format!("  progress {p:.2} (mirrored {m:.2})"),
                (Some(p), None) => format!("  progress {p:.2}"),
                _ => String::new(),
            };
            if let (Some(rate), Some([lo, hi])) = (arm.success_rate, arm.success_rate_ci95) {
                extra.push_str(&format!(
                    "  clear both {:.0}% (95% CI {:.0}–{:.0}%)",
                    100.0 * rate,
                    100.0 * lo,
                    100.0 * hi
                ));
            }
            writeln!(
                f,
                "  {:<21} mean {:>8.2}  sd {:>8}  min {:>8.2}  max {:>8.2}{extra}",
                arm.label,
                arm.mean,
                show(arm.sd),
                arm.min,
                arm.max
            )?;
        }
        for test in self.comparison.tests() {
            let [t, df, u] = test.t_df_u;
            writeln!(
                f,
                "  {} Welch t {} (df {}) p {}   Mann–Whitney U {} p {}",
                test.label,
                show(t),
                show(df),
                p_text(test.welch_p),
                show(u),
                p_text(test.mann_whitney_p),
            )?;
        }
        if let Some(line) = self.comparison.summary_line() {
            writeln!(f, "{line}")?;
        }
        write!(f, "  wall time {:.1} s", self.wall_seconds)
    }
}

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_s_arms_share_their_budget() {
        for section in &SECTIONS {
            let experiments: Vec<_> = section
                .arms
                .iter()
                .map(|(_, name, _)| builtin_experiment(name).unwrap())
                .collect();
            check_same_budget(section, &experiments).unwrap();
        }
    }

    #[test]
    fn mirrored_progress_is_reported_only_where_controls_shift() {
        for (name, mirrored) in [
            ("platformer-shifting-fixed", true),
            ("platformer-occluded-none", false),
        ] {
            let experiment = builtin_experiment(name).unwrap();
            let TaskSpec::Platformer(config) = &experiment.task else {
                panic!("{name}: a platformer experiment");
            };
            let task = experiment.task.build().unwrap();
            let neat = &experiment.neat;
            let evolution = Evolution::new(neat, task.as_ref(), 1);
            // Generation 0 is unconnected: it stands still whatever it sees.
            let genome = &evolution.population.genomes[0];
            let score = platformer_score(config, genome, &experiment, 0).unwrap();
            assert_eq!(score.progress, Some(0.0), "{name}");
            assert_eq!(score.mirrored_progress.is_some(), mirrored, "{name}");
        }
    }

    /// The T-maze plastic arm as run `seed` with `generations` runs it.
    fn tmaze_run(seed: u64, generations: u64) -> SproutExperiment {
        SproutExperiment {
            seed,
            generations,
            stop_when_solved: false,
            ..builtin_experiment("tmaze-plastic").unwrap()
        }
    }

    #[test]
    fn a_kept_champion_is_scored_instead_of_evolved_again() {
        let dir = tempfile::tempdir().unwrap();
        // A budget no test could evolve: only the kept champion can answer.
        let generations = 1_000_000;
        let run = tmaze_run(7, generations);
        let champion = evolve_champion(&tmaze_run(7, 2)).unwrap();
        let kept = dir
            .path()
            .join(format!("tmaze-plastic-7-g{generations}.ron"));
        write_champion(&kept, &run, 7, &champion).unwrap();
        let experiment = builtin_experiment("tmaze-plastic").unwrap();
        let score = champion_score(&experiment, 7, generations, Some(dir.path())).unwrap();
        let TaskSpec::TMaze(config) = &run.task else {
            panic!("a T-maze experiment");
        };
        let direct = tmaze_score(config, &champion.genome, &run, 7).unwrap();
        assert_eq!(score.score.to_bits(), direct.to_bits());
    }

    #[test]
    fn a_bench_keeps_its_champions_and_scores_them_alike_when_resumed() {
        let dir = tempfile::tempdir().unwrap();
        let experiment = builtin_experiment("tmaze-plastic").unwrap();
        let first = champion_score(&experiment, 3, 2, Some(dir.path())).unwrap();
        let kept = dir.path().join("tmaze-plastic-3-g2.ron");
        let saved = load_saved_genome::<TaskSpec>(&kept).unwrap();
        assert_eq!(saved.experiment, tmaze_run(3, 2));
        let resumed = champion_score(&experiment, 3, 2, Some(dir.path())).unwrap();
        let fresh = champion_score(&experiment, 3, 2, None).unwrap();
        assert_eq!(first.score.to_bits(), resumed.score.to_bits());
        assert_eq!(first.score.to_bits(), fresh.score.to_bits());
    }

    #[test]
    fn a_champion_kept_under_other_settings_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut other = tmaze_run(5, 2);
        other.neat.population_size += 2;
        let champion = evolve_champion(&other).unwrap();
        let kept = dir.path().join("tmaze-plastic-5-g2.ron");
        write_champion(&kept, &other, 5, &champion).unwrap();
        let experiment = builtin_experiment("tmaze-plastic").unwrap();
        let err = champion_score(&experiment, 5, 2, Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("tmaze-plastic-5-g2.ron") && err.contains("other settings"),
            "{err}"
        );
    }
}
