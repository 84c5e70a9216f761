//! `sprout bench xor|pole|dpv|dpnv|platformer`: many independent runs of an
//! experiment, each until solved or out of generations, summarised.

use std::fmt;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use sprout_evolve::{Budget, Evaluator, Evolution, EvolveError, Local, TaskDescription};

use super::{mean, median};
use crate::error::LabError;
use crate::interval::{mean_ci95, median_ci95, rate_ci95};
use crate::tasks::SproutExperiment;

/// One run's outcome.
#[derive(Debug, Clone, PartialEq)]
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

/// Makes the evaluator of one run from its experiment (whose `seed` is the
/// run's), for example a master on a Redis server's workers.
pub type EvaluatorFactory =
    dyn Fn(&SproutExperiment) -> Result<Box<dyn Evaluator + Send + Sync>, EvolveError> + Sync;

/// Runs `experiment` once per seed in `seeds`, in parallel. Each run is the same
/// pure function of (experiment, seed) that `sprout evolve` computes, and stops
/// when solved. Genomes are evaluated on this machine, or by the evaluator
/// `evaluators` makes for each run.
pub fn run_many(
    experiment: &SproutExperiment,
    seeds: std::ops::Range<u64>,
    evaluators: Option<&EvaluatorFactory>,
) -> Result<Vec<RunOutcome>, LabError> {
    let task = experiment
        .task
        .build()
        .map_err(|e| LabError::Task(e.to_string()))?;
    let task = task.as_ref();
    let neat = &experiment.neat;
    let budget = Budget {
        generations: experiment.generations,
        stop_when_solved: true,
    };
    seeds
        .into_par_iter()
        .map(|seed| {
            let mut evolution = Evolution::new(neat, task, seed);
            let evaluator: Box<dyn Evaluator + Send + Sync> = match evaluators {
                None => Box::new(Local),
                Some(make) => make(&SproutExperiment {
                    seed,
                    ..experiment.clone()
                })?,
            };
            evolution.run_with(neat, task, evaluator.as_ref(), budget)?;
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

/// The summary of a solve benchmark; its fields are the `--json` keys. Means
/// and medians are over the solved runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// The benchmark's name (`xor`, `dpnv`, …); not a JSON key.
    #[serde(skip)]
    pub name: String,
    /// Runs.
    pub runs: usize,
    /// Runs solved.
    pub success: usize,
    /// `success / runs`.
    pub success_rate: f64,
    /// Its 95% interval (Clopper–Pearson).
    pub success_rate_ci95: Option<[f64; 2]>,
    /// Evaluations to solve.
    pub evaluations_mean: Option<f64>,
    /// Its 95% interval (Student's t).
    pub evaluations_mean_ci95: Option<[f64; 2]>,
    /// Evaluations to solve.
    pub evaluations_median: Option<f64>,
    /// Its 95% interval (exact, order statistics; from six solved runs).
    pub evaluations_ci95: Option<[f64; 2]>,
    /// Generations to solve.
    pub generations_mean: Option<f64>,
    /// Generations to solve.
    pub generations_median: Option<f64>,
    /// Its 95% interval (exact, order statistics; from six solved runs).
    pub generations_ci95: Option<[f64; 2]>,
    /// Hidden nodes of the solutions.
    pub hidden_nodes_mean: Option<f64>,
    /// Enabled connections of the solutions.
    pub connections_mean: Option<f64>,
    /// Wall-clock seconds of the whole benchmark.
    pub wall_seconds: f64,
    /// The success check's mean score (DPNV: starts of 625 balanced), for the
    /// benchmarks that report it; absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generalization_mean: Option<Option<f64>>,
    /// Its 95% interval (Student's t), with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generalization_ci95: Option<Option<[f64; 2]>>,
    /// Seeds of the runs that were not solved; not a JSON key.
    #[serde(skip)]
    pub unsolved_seeds: Vec<u64>,
}

impl SolveReport {
    /// Summarises `outcomes`; `with_generalization` adds the success check's
    /// mean score.
    pub fn new(
        name: &str,
        outcomes: &[RunOutcome],
        wall_seconds: f64,
        with_generalization: bool,
    ) -> Self {
        let solved: Vec<&RunOutcome> = outcomes.iter().filter(|o| o.solved).collect();
        let evals: Vec<f64> = solved.iter().map(|o| o.evaluations as f64).collect();
        let gens: Vec<f64> = solved.iter().map(|o| o.generations as f64).collect();
        let scores: Vec<f64> = solved.iter().filter_map(|o| o.verdict_score).collect();
        Self {
            name: name.to_owned(),
            runs: outcomes.len(),
            success: solved.len(),
            success_rate: solved.len() as f64 / outcomes.len().max(1) as f64,
            success_rate_ci95: rate_ci95(solved.len(), outcomes.len()),
            evaluations_mean: mean(evals.iter().copied()),
            evaluations_mean_ci95: mean_ci95(&evals),
            evaluations_ci95: median_ci95(&evals),
            evaluations_median: median(evals),
            generations_mean: mean(gens.iter().copied()),
            generations_ci95: median_ci95(&gens),
            generations_median: median(gens),
            hidden_nodes_mean: mean(solved.iter().map(|o| o.hidden_nodes as f64)),
            connections_mean: mean(solved.iter().map(|o| o.enabled_connections as f64)),
            wall_seconds,
            generalization_mean: with_generalization.then(|| mean(scores.iter().copied())),
            generalization_ci95: with_generalization.then(|| mean_ci95(&scores)),
            unsolved_seeds: outcomes
                .iter()
                .filter(|o| !o.solved)
                .map(|o| o.seed)
                .collect(),
        }
    }
}

/// Runs `runs` seeds from `seed` and summarises them.
pub fn solve(
    name: &str,
    experiment: &SproutExperiment,
    runs: u64,
    seed: u64,
    with_generalization: bool,
    evaluators: Option<&EvaluatorFactory>,
) -> Result<SolveReport, LabError> {
    let started = Instant::now();
    let outcomes = run_many(experiment, seed..seed + runs, evaluators)?;
    Ok(SolveReport::new(
        name,
        &outcomes,
        started.elapsed().as_secs_f64(),
        with_generalization,
    ))
}

impl fmt::Display for SolveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        let ci = |v: Option<[f64; 2]>| {
            v.map_or("(95% CI -)".to_string(), |[lo, hi]| {
                format!("(95% CI {lo:.2}–{hi:.2})")
            })
        };
        writeln!(
            f,
            "bench {}: {} of {} runs solved{}",
            self.name,
            self.success,
            self.runs,
            self.success_rate_ci95
                .map_or(String::new(), |[lo, hi]| format!(
                    " (95% CI of the rate {:.1}%–{:.1}%)",
                    100.0 * lo,
                    100.0 * hi
                ))
        )?;
        writeln!(
            f,
            "  evaluations  mean {} {}  median {} {}",
            show(self.evaluations_mean),
            ci(self.evaluations_mean_ci95),
            show(self.evaluations_median),
            ci(self.evaluations_ci95)
        )?;
        writeln!(
            f,
            "  generations  mean {}  median {} {}",
            show(self.generations_mean),
            show(self.generations_median),
            ci(self.generations_ci95)
        )?;
        writeln!(
            f,
            "  winners      hidden nodes {}  enabled connections {}",
            show(self.hidden_nodes_mean),
            show(self.connections_mean)
        )?;
        if let Some(generalization) = self.generalization_mean {
            writeln!(
                f,
                "  generalization mean {} of 625 {}",
                show(generalization),
                ci(self.generalization_ci95.flatten())
            )?;
        }
        if !self.unsolved_seeds.is_empty() {
            writeln!(f, "  unsolved seeds: {:?}", self.unsolved_seeds)?;
        }
        write!(
            f,
            "  wall time    {:.3} s ({:.2} ms per run)",
            self.wall_seconds,
            self.wall_seconds * 1000.0 / self.runs.max(1) as f64
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(seed: u64, solved: bool, evaluations: u64) -> RunOutcome {
        RunOutcome {
            seed,
            solved,
            generations: evaluations / 150,
            evaluations,
            hidden_nodes: 2,
            enabled_connections: 7,
            verdict_score: solved.then_some(280.0),
        }
    }

    #[test]
    fn the_report_summarises_solved_runs_and_names_the_rest() {
        let outcomes = [
            outcome(0, true, 3000),
            outcome(1, false, 15000),
            outcome(2, true, 4500),
        ];
        let report = SolveReport::new("xor", &outcomes, 1.5, false);
        assert_eq!((report.runs, report.success), (3, 2));
        assert_eq!(report.evaluations_mean, Some(3750.0));
        assert_eq!(report.evaluations_median, Some(3750.0));
        assert_eq!(report.unsolved_seeds, [1]);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["evaluations_mean"], 3750.0);
        assert!(json.get("generalization_mean").is_none());
        assert!(json.get("name").is_none());
        let text = report.to_string();
        assert!(text.starts_with("bench xor: 2 of 3 runs solved"), "{text}");
        assert!(text.contains("unsolved seeds: [1]"), "{text}");
    }

    #[test]
    fn intervals_come_with_enough_runs_and_hold_their_estimates() {
        let outcomes: Vec<RunOutcome> = (0..10)
            .map(|seed| outcome(seed, seed != 3, 1500 * (seed + 1)))
            .collect();
        let report = SolveReport::new("xor", &outcomes, 1.0, true);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["success_rate"], 0.9);
        let [lo, hi] = report.success_rate_ci95.unwrap();
        assert!(lo < 0.9 && 0.9 < hi && hi <= 1.0, "{lo} {hi}");
        // Nine solved runs: the exact interval of the median is the 2nd and 8th.
        assert_eq!(
            json["evaluations_ci95"],
            serde_json::json!([3000.0, 13500.0])
        );
        let [lo, hi] = report.evaluations_mean_ci95.unwrap();
        assert!(lo < report.evaluations_mean.unwrap() && report.evaluations_mean.unwrap() < hi);
        assert_eq!(json["generations_ci95"], serde_json::json!([20.0, 90.0]));
        // Every solved run scores 280: a zero-width interval.
        assert_eq!(
            json["generalization_ci95"],
            serde_json::json!([280.0, 280.0])
        );
        assert!(
            report
                .to_string()
                .contains("median 9000.00 (95% CI 3000.00–13500.00)")
        );
        // Too few solved runs for the median's interval: null, not a guess.
        let report = SolveReport::new("xor", &outcomes[..4], 1.0, false);
        assert!(serde_json::to_value(&report).unwrap()["evaluations_ci95"].is_null());
    }

    #[test]
    fn generalization_is_a_key_only_where_asked_for() {
        let report = SolveReport::new("dpnv", &[outcome(0, false, 9000)], 1.0, true);
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["generalization_mean"].is_null());
        let report = SolveReport::new("dpnv", &[outcome(0, true, 9000)], 1.0, true);
        assert_eq!(
            serde_json::to_value(&report).unwrap()["generalization_mean"],
            280.0
        );
    }
}
