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
//!
//! `--section` runs some of them only.

use std::time::Instant;

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde_json::{Value, json};
use sprout_classic::tmaze::TMazeConfig;
use sprout_evolve::seed::evaluation_seed;
use sprout_evolve::{Budget, EvalContext, Evolution, NetworkAgent, Task};
use sprout_genome::Genome;
use sprout_platformer::{PlatformerConfig, PlatformerTask};

use sprout_evolve::TaskDescription;
use sprout_lab::significance::{Summary, mann_whitney_u, welch_t_test};
use sprout_lab::tasks::{SproutExperiment, TaskSpec, builtin_experiment};

/// Unseen T-maze lifetimes each champion is scored on.
pub const TEST_LIFETIMES: u32 = 20;

/// Unseen platformer episodes each champion is scored on (per level).
pub const TEST_EPISODES: u32 = 10;

/// One comparison of a section: an arm against another, and the JSON key
/// suffix of its p-values.
struct Comparison {
    arm: usize,
    against: usize,
    suffix: &'static str,
}

/// A section: a task, its arms and what to compare.
struct Section {
    /// JSON key.
    key: &'static str,
    /// Printed title.
    title: &'static str,
    /// (JSON key prefix, embedded experiment, label) of each arm.
    arms: [(&'static str, &'static str, &'static str); 3],
    comparisons: [Comparison; 2],
}

/// The plastic arm (2) against fixed feed-forward (0, the headline `p_value`) and
/// against fixed recurrent (1).
const PLASTIC_AGAINST_FIXED: [Comparison; 2] = [
    Comparison {
        arm: 2,
        against: 0,
        suffix: "",
    },
    Comparison {
        arm: 2,
        against: 1,
        suffix: "_recurrent",
    },
];

const SECTIONS: [Section; 3] = [
    Section {
        key: "tmaze",
        title: "T-maze with a moving reward",
        arms: [
            ("fixed", "tmaze-fixed", "fixed feed-forward"),
            ("recurrent", "tmaze-recurrent", "fixed recurrent"),
            ("plastic", "tmaze-plastic", "plastic feed-forward"),
        ],
        comparisons: PLASTIC_AGAINST_FIXED,
    },
    Section {
        key: "platformer",
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
        comparisons: PLASTIC_AGAINST_FIXED,
    },
    Section {
        key: "occluded",
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
            Comparison {
                arm: 1,
                against: 0,
                suffix: "_hopfield",
            },
            Comparison {
                arm: 2,
                against: 0,
                suffix: "_rbm",
            },
        ],
    },
];

/// What `bench plasticity` runs.
pub struct PlasticityRequest {
    /// Runs per arm, with seeds `seed..seed+runs`.
    pub runs: u64,
    /// First seed.
    pub seed: u64,
    /// Generations per run, overriding each section's (shared) budget.
    pub generations: Option<u64>,
    /// Keys of the sections to run (all when empty).
    pub sections: Vec<String>,
    /// End with one line holding a JSON object.
    pub json: bool,
}

/// A champion's test result: its score, and for the platformer its mean
/// progress overall and in the mirrored episodes.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    score: f64,
    progress: Option<f64>,
    mirrored_progress: Option<f64>,
}

/// One arm's champions' test results.
struct Arm {
    key: &'static str,
    label: &'static str,
    scores: Vec<Score>,
}

/// Runs every section and prints the comparisons.
pub fn plasticity(request: &PlasticityRequest) -> Result<()> {
    if request.runs == 0 {
        bail!("--runs must be at least 1");
    }
    if request.generations == Some(0) {
        bail!("--generations must be at least 1");
    }
    let keys: Vec<&str> = SECTIONS.iter().map(|s| s.key).collect();
    if let Some(unknown) = request
        .sections
        .iter()
        .find(|s| !keys.contains(&s.as_str()))
    {
        bail!(
            "--section {unknown}: no such section (they are {})",
            keys.join(", ")
        );
    }
    let started = Instant::now();
    let mut object = serde_json::Map::new();
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
                .map(|seed| champion_score(experiment, seed, generations))
                .collect::<Result<Vec<Score>>>()?;
            arms.push(Arm { key, label, scores });
        }
        let value = report(
            section,
            &arms,
            &experiments[0],
            generations,
            request,
            section_started,
        );
        object.insert(section.key.into(), value);
    }
    println!(
        "bench plasticity: wall time {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if request.json {
        println!("{}", Value::Object(object));
    }
    Ok(())
}

/// The arms must differ only in their networks: same population, generations and
/// task.
fn check_same_budget(section: &Section, experiments: &[SproutExperiment]) -> Result<()> {
    let first = &experiments[0];
    for (other, (_, name, _)) in experiments.iter().zip(&section.arms).skip(1) {
        if other.neat.population_size != first.neat.population_size
            || other.generations != first.generations
            || other.task != first.task
        {
            bail!(
                "configs/{name}.ron: population_size, generations and task must match configs/{}.ron",
                section.arms[0].1
            );
        }
    }
    Ok(())
}

/// Evolves one run for `generations` generations and scores its champion (the
/// fittest genome seen) on unseen lifetimes or episodes.
fn champion_score(experiment: &SproutExperiment, seed: u64, generations: u64) -> Result<Score> {
    let task = experiment.task.build().map_err(|e| anyhow::anyhow!(e))?;
    let neat = &experiment.neat;
    let mut evolution = Evolution::new(neat, task.as_ref(), seed);
    let budget = Budget {
        generations,
        stop_when_solved: false,
    };
    evolution.run(neat, task.as_ref(), budget)?;
    let champion = evolution
        .best
        .as_ref()
        .expect("at least one generation ran");
    let genome = &champion.genome;
    match &experiment.task {
        TaskSpec::TMaze(config) => Ok(Score {
            score: tmaze_score(config, genome, experiment, seed)?,
            ..Score::default()
        }),
        TaskSpec::Platformer(config) => platformer_score(config, genome, experiment, seed),
        _ => bail!("the plasticity benchmark runs the T-maze and the platformer"),
    }
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
) -> Result<f64> {
    let test = TMazeConfig {
        lifetimes: TEST_LIFETIMES,
        ..config.clone()
    }
    .build()?;
    let mut agent = NetworkAgent::new(genome, &experiment.neat);
    Ok(test
        .evaluate(&mut agent, &mut test_context(seed, genome))
        .fitness)
}

/// Mean fitness and progress of `genome` over [`TEST_EPISODES`] unseen episodes
/// of each level (the variants, mirrored controls and hidden cells, drawn as in
/// training), and its mean progress in the mirrored ones.
fn platformer_score(
    config: &PlatformerConfig,
    genome: &Genome,
    experiment: &SproutExperiment,
    seed: u64,
) -> Result<Score> {
    let test = PlatformerTask::new(PlatformerConfig {
        episodes: TEST_EPISODES,
        ..config.clone()
    })?;
    let mut agent = NetworkAgent::new(genome, &experiment.neat);
    let mut ctx = test_context(seed, genome);
    let (mut fitness, mut progress, mut episodes) = (0.0, 0.0, 0u32);
    let (mut mirrored_progress, mut mirrored) = (0.0, 0u32);
    for level in test.levels(0).iter() {
        for variant in test.draw_variants(&mut ctx.rng) {
            let report = test.play_variant(level, &mut agent, &variant, false);
            fitness += report.fitness.max(config.fitness_floor);
            progress += report.progress;
            episodes += 1;
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
    })
}

/// Prints one section and returns its JSON object.
fn report(
    section: &Section,
    arms: &[Arm],
    experiment: &SproutExperiment,
    generations: u64,
    request: &PlasticityRequest,
    started: Instant,
) -> Value {
    let runs = request.runs;
    let test = match &experiment.task {
        TaskSpec::TMaze(c) => format!("{TEST_LIFETIMES} unseen lifetimes of {} trials", c.trials),
        _ => format!("{TEST_EPISODES} unseen episodes per level"),
    };
    println!(
        "bench plasticity: {}, {runs} runs per arm (seeds {}..{}), population {}, {generations} generations; champions scored on {test}",
        section.title,
        request.seed,
        request.seed + runs,
        experiment.neat.population_size,
    );
    let mut object = serde_json::Map::new();
    object.insert("runs".into(), json!(runs));
    object.insert("generations".into(), json!(generations));
    object.insert("population".into(), json!(experiment.neat.population_size));
    let fmt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    let values: Vec<Vec<f64>> = arms
        .iter()
        .map(|a| a.scores.iter().map(|s| s.score).collect())
        .collect();
    for (arm, scores) in arms.iter().zip(&values) {
        let Some(s) = Summary::of(scores) else {
            continue;
        };
        let key = arm.key;
        let mean_of = |get: fn(&Score) -> Option<f64>| {
            let v: Option<Vec<f64>> = arm.scores.iter().map(get).collect();
            v.and_then(|v| Summary::of(&v)).map(|s| s.mean)
        };
        let progress = mean_of(|s| s.progress);
        let mirrored = mean_of(|s| s.mirrored_progress);
        let extra = match (progress, mirrored) {
            (Some(p), Some(m)) => format!("  progress {p:.2} (mirrored {m:.2})"),
            (Some(p), None) => format!("  progress {p:.2}"),
            _ => String::new(),
        };
        println!(
            "  {:<21} mean {:>8.2}  sd {:>8}  min {:>8.2}  max {:>8.2}{extra}",
            arm.label,
            s.mean,
            fmt(s.sd),
            s.min,
            s.max
        );
        object.insert(format!("{key}_mean"), json!(s.mean));
        object.insert(format!("{key}_sd"), json!(s.sd));
        object.insert(format!("{key}_min"), json!(s.min));
        object.insert(format!("{key}_max"), json!(s.max));
        object.insert(format!("{key}_scores"), json!(scores));
        if let Some(p) = progress {
            object.insert(format!("{key}_progress_mean"), json!(p));
        }
        if let Some(m) = mirrored {
            object.insert(format!("{key}_mirrored_progress_mean"), json!(m));
        }
    }
    for c in &section.comparisons {
        let (a, b) = (&values[c.arm], &values[c.against]);
        let welch = welch_t_test(a, b);
        let mann_whitney = mann_whitney_u(a, b);
        println!(
            "  {} vs {:<15} Welch t {} (df {}) p {}   Mann–Whitney U {} p {}",
            arms[c.arm].key,
            arms[c.against].label,
            fmt(welch.map(|w| w.t)),
            fmt(welch.map(|w| w.df)),
            p_text(welch.map(|w| w.p)),
            fmt(mann_whitney.map(|m| m.u)),
            p_text(mann_whitney.map(|m| m.p)),
        );
        let suffix = c.suffix;
        object.insert(format!("p_value{suffix}"), json!(welch.map(|w| w.p)));
        object.insert(
            format!("p_value{suffix}_mann_whitney"),
            json!(mann_whitney.map(|m| m.p)),
        );
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    println!("  wall time {wall_seconds:.1} s");
    object.insert("wall_seconds".into(), json!(wall_seconds));
    Value::Object(object)
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
}
