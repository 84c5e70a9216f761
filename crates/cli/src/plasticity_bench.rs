//! `sprout bench plasticity`: does lifetime learning help where it should?
//!
//! Three arms evolve on the T-maze with a moving reward on the same budget (same
//! population, same generations, same seeds): fixed feed-forward networks
//! (configs/tmaze-fixed.ron), fixed recurrent networks
//! (configs/tmaze-recurrent.ron), and feed-forward networks with evolved,
//! neuromodulated Hebbian plasticity (configs/tmaze-plastic.ron). Each run's
//! champion is then scored on lifetimes it never saw, and the arms are compared
//! with Welch's t-test and the Mann–Whitney U test.

use std::time::Instant;

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde_json::{Value, json};
use sprout_classic::tmaze::TMazeConfig;
use sprout_evolve::seed::evaluation_seed;
use sprout_evolve::{EvalContext, Evolution, NetworkAgent, Task};
use sprout_genome::Genome;

use crate::significance::{Summary, mann_whitney_u, welch_t_test};
use crate::spec::{SproutExperiment, TaskSpec, builtin_experiment};

/// Unseen lifetimes each champion is scored on.
pub const TEST_LIFETIMES: u32 = 20;

/// The arms: (JSON key prefix, embedded experiment, description).
const ARMS: [(&str, &str, &str); 3] = [
    ("fixed", "tmaze-fixed", "fixed feed-forward"),
    ("recurrent", "tmaze-recurrent", "fixed recurrent"),
    ("plastic", "tmaze-plastic", "plastic feed-forward"),
];

/// What `bench plasticity` runs.
pub struct PlasticityRequest {
    /// Runs per arm, with seeds `seed..seed+runs`.
    pub runs: u64,
    /// First seed.
    pub seed: u64,
    /// Generations per run, overriding the experiments' (shared) budget.
    pub generations: Option<u64>,
    /// End with one line holding a JSON object.
    pub json: bool,
}

/// One arm's experiment and its champions' test scores.
struct Arm {
    key: &'static str,
    label: &'static str,
    scores: Vec<f64>,
}

/// Runs the three arms and prints the comparison.
pub fn plasticity(request: &PlasticityRequest) -> Result<()> {
    if request.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let started = Instant::now();
    let experiments = ARMS
        .iter()
        .map(|(_, name, _)| builtin_experiment(name))
        .collect::<Result<Vec<_>>>()?;
    check_same_budget(&experiments)?;
    let generations = request.generations.unwrap_or(experiments[0].generations);
    if generations == 0 {
        bail!("--generations must be at least 1");
    }
    let seeds = request.seed..request.seed + request.runs;
    let mut arms = Vec::with_capacity(ARMS.len());
    for ((key, _, label), experiment) in ARMS.iter().zip(&experiments) {
        let scores = seeds
            .clone()
            .into_par_iter()
            .map(|seed| champion_score(experiment, seed, generations))
            .collect::<Result<Vec<f64>>>()?;
        arms.push(Arm { key, label, scores });
    }
    report(&arms, &experiments[0], generations, request, started);
    Ok(())
}

/// The arms must differ only in their networks: same population, generations and
/// task.
fn check_same_budget(experiments: &[SproutExperiment]) -> Result<()> {
    let first = &experiments[0];
    for (other, (_, name, _)) in experiments.iter().zip(&ARMS).skip(1) {
        if other.neat.population_size != first.neat.population_size
            || other.generations != first.generations
            || other.task != first.task
        {
            bail!(
                "configs/{name}.ron: population_size, generations and task must match configs/{}.ron",
                ARMS[0].1
            );
        }
    }
    Ok(())
}

/// Evolves one run for `generations` generations and scores its champion (the
/// fittest genome seen) on [`TEST_LIFETIMES`] unseen lifetimes.
fn champion_score(experiment: &SproutExperiment, seed: u64, generations: u64) -> Result<f64> {
    let TaskSpec::TMaze(config) = &experiment.task else {
        bail!("the plasticity benchmark runs the T-maze");
    };
    let task = config.build()?;
    let neat = &experiment.neat;
    let mut evolution = Evolution::new(neat, task.inputs(), task.outputs(), seed);
    for _ in 0..generations {
        evolution.step(neat, &task)?;
    }
    let champion = evolution
        .best
        .as_ref()
        .expect("at least one generation ran");
    test_score(config, &champion.genome, experiment, seed)
}

/// Mean high-reward trials of `genome` over [`TEST_LIFETIMES`] lifetimes drawn
/// from a stream no training evaluation uses (generation `u64::MAX`).
fn test_score(
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
    let mut ctx = EvalContext {
        generation: u64::MAX,
        rng: Xoshiro256PlusPlus::seed_from_u64(evaluation_seed(seed, u64::MAX, genome.id)),
    };
    Ok(test.evaluate(&mut agent, &mut ctx).fitness)
}

fn report(
    arms: &[Arm],
    experiment: &SproutExperiment,
    generations: u64,
    request: &PlasticityRequest,
    started: Instant,
) {
    let runs = request.runs;
    println!(
        "bench plasticity: T-maze, {runs} runs per arm (seeds {}..{}), population {}, {generations} generations; champions scored on {TEST_LIFETIMES} unseen lifetimes of {} trials",
        request.seed,
        request.seed + runs,
        experiment.neat.population_size,
        match &experiment.task {
            TaskSpec::TMaze(c) => c.trials,
            _ => 0,
        }
    );
    let mut object = serde_json::Map::new();
    object.insert("runs".into(), json!(runs));
    object.insert("generations".into(), json!(generations));
    object.insert("population".into(), json!(experiment.neat.population_size));
    let fmt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    for arm in arms {
        let Some(s) = Summary::of(&arm.scores) else {
            continue;
        };
        println!(
            "  {:<21} mean {:>6.2}  sd {:>6}  min {:>6.2}  max {:>6.2}",
            arm.label,
            s.mean,
            fmt(s.sd),
            s.min,
            s.max
        );
        let key = arm.key;
        object.insert(format!("{key}_mean"), json!(s.mean));
        object.insert(format!("{key}_sd"), json!(s.sd));
        object.insert(format!("{key}_min"), json!(s.min));
        object.insert(format!("{key}_max"), json!(s.max));
        object.insert(format!("{key}_scores"), json!(arm.scores));
    }
    let plastic = &arms[2].scores;
    for (other, suffix) in [(&arms[0], ""), (&arms[1], "_recurrent")] {
        let welch = welch_t_test(plastic, &other.scores);
        let mann_whitney = mann_whitney_u(plastic, &other.scores);
        println!(
            "  plastic vs {:<11} Welch t {} (df {}) p {}   Mann–Whitney U {} p {}",
            other.label.trim_start_matches("fixed "),
            fmt(welch.map(|w| w.t)),
            fmt(welch.map(|w| w.df)),
            p_text(welch.map(|w| w.p)),
            fmt(mann_whitney.map(|m| m.u)),
            p_text(mann_whitney.map(|m| m.p)),
        );
        object.insert(format!("p_value{suffix}"), json!(welch.map(|w| w.p)));
        object.insert(
            format!("p_value{suffix}_mann_whitney"),
            json!(mann_whitney.map(|m| m.p)),
        );
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    println!("  wall time {wall_seconds:.1} s");
    object.insert("wall_seconds".into(), json!(wall_seconds));
    if request.json {
        println!("{}", json!({ "tmaze": Value::Object(object) }));
    }
}

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 1e-4 => format!("{p:.1e}"),
        Some(p) => format!("{p:.4}"),
    }
}
