//! `sprout bench`: many independent runs, summarised.

use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;
use serde_json::json;
use sprout_evolve::Evolution;

use sprout_evolve::TaskDescription;
use sprout_lab::SproutExperiment;

/// One benchmark run's outcome.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The run seed.
    pub seed: u64,
    /// Whether it was solved within the generation budget.
    pub solved: bool,
    /// Generations evaluated (up to and including the solving one).
    pub generations: u64,
    /// Evaluations spent.
    pub evaluations: u64,
    /// Hidden nodes of the solution (or of the best genome when unsolved).
    pub hidden_nodes: usize,
    /// Enabled connections of that genome.
    pub enabled_connections: usize,
    /// The success check's score, when the task has one.
    pub verdict_score: Option<f64>,
}

/// Runs `experiment` once per seed in `seeds`, in parallel. Each run is the same
/// pure function of (experiment, seed) that `sprout evolve` computes.
pub fn run_many(
    experiment: &SproutExperiment,
    seeds: std::ops::Range<u64>,
) -> Result<Vec<RunOutcome>> {
    let task = experiment.task.build().map_err(|e| anyhow::anyhow!(e))?;
    let task = task.as_ref();
    seeds
        .into_par_iter()
        .map(|seed| {
            let neat = &experiment.neat;
            let mut evolution = Evolution::new(
                neat,
                neat.genome_inputs(task.inputs()),
                task.outputs(),
                seed,
            );
            while !evolution.solved() && evolution.generation() < experiment.generations {
                evolution.step(neat, task)?;
            }
            let champion = evolution
                .champion(experiment.champion)
                .expect("at least one generation ran");
            Ok(RunOutcome {
                seed,
                solved: evolution.solved(),
                generations: evolution.generation(),
                evaluations: evolution.evaluations,
                hidden_nodes: champion.genome.hidden_count(),
                enabled_connections: champion.genome.enabled_count(),
                verdict_score: champion.verdict.and_then(|v| v.score),
            })
        })
        .collect()
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// Prints the summary of a solve benchmark; with `json`, the last line is one
/// JSON object.
pub fn report(
    name: &str,
    outcomes: &[RunOutcome],
    wall_seconds: f64,
    json: bool,
    with_generalization: bool,
) {
    let solved: Vec<&RunOutcome> = outcomes.iter().filter(|o| o.solved).collect();
    let evals: Vec<f64> = solved.iter().map(|o| o.evaluations as f64).collect();
    let gens: Vec<f64> = solved.iter().map(|o| o.generations as f64).collect();
    let evaluations_mean = mean(evals.iter().copied());
    let evaluations_median = median(evals.clone());
    let generations_mean = mean(gens.iter().copied());
    let generations_median = median(gens);
    let hidden_nodes_mean = mean(solved.iter().map(|o| o.hidden_nodes as f64));
    let connections_mean = mean(solved.iter().map(|o| o.enabled_connections as f64));
    let generalization_mean = mean(solved.iter().filter_map(|o| o.verdict_score));
    let fmt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    println!(
        "bench {name}: {} of {} runs solved",
        solved.len(),
        outcomes.len()
    );
    println!(
        "  evaluations  mean {}  median {}",
        fmt(evaluations_mean),
        fmt(evaluations_median)
    );
    println!(
        "  generations  mean {}  median {}",
        fmt(generations_mean),
        fmt(generations_median)
    );
    println!(
        "  winners      hidden nodes {}  enabled connections {}",
        fmt(hidden_nodes_mean),
        fmt(connections_mean)
    );
    if with_generalization {
        println!("  generalization mean {} of 625", fmt(generalization_mean));
    }
    let failed: Vec<u64> = outcomes
        .iter()
        .filter(|o| !o.solved)
        .map(|o| o.seed)
        .collect();
    if !failed.is_empty() {
        println!("  unsolved seeds: {failed:?}");
    }
    println!(
        "  wall time    {wall_seconds:.3} s ({:.2} ms per run)",
        wall_seconds * 1000.0 / outcomes.len().max(1) as f64
    );
    if json {
        let mut object = json!({
            "runs": outcomes.len(),
            "success": solved.len(),
            "evaluations_mean": evaluations_mean,
            "evaluations_median": evaluations_median,
            "generations_mean": generations_mean,
            "generations_median": generations_median,
            "hidden_nodes_mean": hidden_nodes_mean,
            "connections_mean": connections_mean,
            "wall_seconds": wall_seconds,
        });
        if with_generalization {
            object["generalization_mean"] = json!(generalization_mean);
        }
        println!("{object}");
    }
}

/// `sprout bench <solve task>`.
pub fn solve_bench(
    name: &str,
    experiment: &SproutExperiment,
    runs: u64,
    seed: u64,
    json: bool,
    with_generalization: bool,
) -> Result<()> {
    let started = Instant::now();
    let outcomes = run_many(experiment, seed..seed + runs)?;
    report(
        name,
        &outcomes,
        started.elapsed().as_secs_f64(),
        json,
        with_generalization,
    );
    Ok(())
}
