//! Whole runs: reproducible across thread counts and across checkpoint/resume.

#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]

use rand::RngExt;
use sprout_evolve::evaluator::{Batch, Outcome};
use sprout_evolve::files::{parse_ron, to_ron};
use sprout_evolve::{
    Agent, EvalContext, Evaluation, Evaluator, Evolution, EvolveError, GenerationStats, Task,
    evaluate_learned,
};
use sprout_genome::NeatConfig;

/// Fit y = sin(3x) at points drawn from the evaluation's own RNG: noisy fitness
/// that depends on every random stream the runner hands out.
struct NoisySine;

impl Task for NoisySine {
    fn name(&self) -> &str {
        "noisy-sine"
    }
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        let mut error = 0.0;
        for _ in 0..8 {
            let x: f64 = ctx.rng.random_range(-1.0..1.0);
            agent.reset();
            let y = agent.act(&[x])[0];
            error += (y - (3.0 * x).sin()).abs();
        }
        Evaluation {
            fitness: 8.0 - error,
            solved: false,
            steps: 8,
        }
    }
}

/// Returns NaN for one particular genome.
struct PoisonedTask;

impl Task for PoisonedTask {
    fn name(&self) -> &str {
        "poisoned"
    }
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn evaluate(&self, agent: &mut dyn Agent, _ctx: &mut EvalContext) -> Evaluation {
        let y = agent.act(&[1.0])[0];
        Evaluation {
            fitness: if y > 0.0 { f64::NAN } else { 1.0 },
            solved: false,
            steps: 1,
        }
    }
}

fn config() -> NeatConfig {
    NeatConfig {
        population_size: 60,
        add_node_prob: 0.2,
        add_connection_prob: 0.3,
        bias_mutation_prob: 0.3,
        hidden_activation: sprout_genome::Activation::Tanh,
        output_activation: sprout_genome::Activation::Tanh,
        target_species: Some(5),
        ..NeatConfig::default()
    }
}

/// Everything in the history but wall-clock seconds.
fn deterministic(history: &[GenerationStats]) -> Vec<GenerationStats> {
    history
        .iter()
        .map(|s| GenerationStats {
            seconds: 0.0,
            phases: Default::default(),
            ..s.clone()
        })
        .collect()
}

fn run_on_threads(threads: usize, generations: u64) -> Evolution {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let neat = config();
        let mut evolution = Evolution::new(&neat, &NoisySine, 42);
        for _ in 0..generations {
            evolution.step(&neat, &NoisySine).unwrap();
        }
        evolution
    })
}

#[test]
fn same_seed_gives_bit_identical_runs_on_1_2_and_8_threads() {
    let one = run_on_threads(1, 15);
    for threads in [2, 8] {
        let other = run_on_threads(threads, 15);
        assert_eq!(
            deterministic(&one.history),
            deterministic(&other.history),
            "{threads} threads"
        );
        assert_eq!(one.population, other.population, "{threads} threads");
        assert_eq!(one.best, other.best, "{threads} threads");
    }
    // The run did evolve: the champion is better than generation 0's.
    assert!(one.history.last().unwrap().best_fitness > one.history[0].best_fitness);
}

#[test]
fn different_seeds_give_different_runs() {
    let neat = config();
    let mut a = Evolution::new(&neat, &NoisySine, 1);
    let mut b = Evolution::new(&neat, &NoisySine, 2);
    a.step(&neat, &NoisySine).unwrap();
    b.step(&neat, &NoisySine).unwrap();
    assert_ne!(a.history[0].best_fitness, b.history[0].best_fitness);
}

#[test]
fn resuming_from_a_serialized_checkpoint_is_bit_identical() {
    let neat = config();
    let straight = run_on_threads(2, 12);

    let mut first_half = Evolution::new(&neat, &NoisySine, 42);
    for _ in 0..5 {
        first_half.step(&neat, &NoisySine).unwrap();
    }
    let text = to_ron(&first_half);
    let mut resumed: Evolution = parse_ron(&text, std::path::Path::new("checkpoint.ron")).unwrap();
    assert_eq!(resumed, first_half, "the checkpoint round-trips exactly");
    for _ in 5..12 {
        resumed.step(&neat, &NoisySine).unwrap();
    }
    assert_eq!(
        deterministic(&straight.history),
        deterministic(&resumed.history)
    );
    assert_eq!(straight.population, resumed.population);
}

#[test]
fn a_nan_fitness_is_an_error_naming_the_genome() {
    let neat = NeatConfig {
        population_size: 20,
        ..NeatConfig::default()
    };
    let mut evolution = Evolution::new(&neat, &PoisonedTask, 0);
    let error = (0..5)
        .find_map(|_| evolution.step(&neat, &PoisonedTask).err())
        .expect("some genome outputs > 0");
    assert!(matches!(error, EvolveError::NonFiniteFitness { .. }));
    let message = error.to_string();
    assert!(
        message.contains("poisoned") && message.contains("genome"),
        "{message}"
    );
}

#[test]
fn latest_generation_champion_is_the_last_generations_best() {
    let evolution = run_on_threads(1, 6);
    let latest = evolution
        .champion(sprout_evolve::ChampionChoice::LatestGeneration)
        .unwrap();
    assert_eq!(latest.generation, 5);
    assert_eq!(latest.evaluation.fitness, evolution.history[5].best_fitness);
    let best = evolution
        .champion(sprout_evolve::ChampionChoice::BestEver)
        .unwrap();
    let top = evolution
        .history
        .iter()
        .map(|s| s.best_fitness)
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(best.evaluation.fitness, top);
}

/// A back end that scores genomes last to first, one at a time, as results that
/// arrive out of order from other machines would be, and files each outcome by
/// the genome's position.
struct Backwards;

impl Evaluator for Backwards {
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, EvolveError> {
        let mut filed: Vec<Option<Outcome>> = vec![None; batch.genomes.len()];
        for (i, genome) in batch.genomes.iter().enumerate().rev() {
            filed[i] = Some(evaluate_learned(
                batch.task,
                genome,
                batch.neat,
                batch.seed,
                batch.generation,
            ));
        }
        Ok(filed.into_iter().map(Option::unwrap).collect())
    }
}

#[test]
fn an_evaluator_that_files_results_by_genome_gives_the_local_run() {
    let neat = config();
    let local = run_on_threads(1, 8);
    let mut other = Evolution::new(&neat, &NoisySine, 42);
    for _ in 0..8 {
        other.step_with(&neat, &NoisySine, &Backwards).unwrap();
    }
    assert_eq!(deterministic(&local.history), deterministic(&other.history));
    assert_eq!(local.population, other.population);
    assert_eq!(local.best, other.best);
}

/// NoisySine whose success check records the genome it ran on and never passes.
struct RecordsChecks(std::sync::Mutex<Vec<u64>>);

impl Task for RecordsChecks {
    fn name(&self) -> &str {
        "records-checks"
    }
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        NoisySine.evaluate(agent, ctx)
    }
    fn verify(&self, agent: &mut dyn Agent, _evaluation: &Evaluation) -> sprout_evolve::Verdict {
        // The agent's genome id is not visible; its output on a probe is.
        let probe = agent.act(&[0.37])[0];
        self.0.lock().unwrap().push(probe.to_bits());
        sprout_evolve::Verdict {
            solved: false,
            score: None,
        }
    }
}

#[test]
fn species_rotation_checks_the_best_unchecked_species_and_rechecks_only_after_a_record() {
    let neat = NeatConfig {
        success_check: sprout_genome::SuccessCheck::SpeciesRotation,
        ..config()
    };
    let task = RecordsChecks(std::sync::Mutex::new(Vec::new()));
    let mut evolution = Evolution::new(&neat, &task, 7);
    let mut checked: std::collections::BTreeSet<u64> = Default::default();
    let mut records: std::collections::BTreeMap<u64, f64> = Default::default();
    let mut distinct = std::collections::BTreeSet::new();
    for _ in 0..15 {
        evolution.step(&neat, &task).unwrap();
        // The rule, restated: a species that beat its record is unchecked; the
        // best species not checked is tested, else the best one.
        let species = &evolution.species;
        for s in species {
            let record = records.entry(s.id).or_insert(f64::NEG_INFINITY);
            let beat = s.best_fitness > *record;
            assert_eq!(s.improved, beat, "species {}", s.id);
            if beat {
                *record = s.best_fitness;
                checked.remove(&s.id);
            }
        }
        let mut order: Vec<_> = species.iter().collect();
        order.sort_by(|a, b| b.best_fitness.total_cmp(&a.best_fitness));
        let expected = order
            .iter()
            .find(|s| !checked.contains(&s.id))
            .unwrap_or(&order[0]);
        checked.insert(expected.id);
        distinct.insert(expected.id);
        let mut agent = sprout_evolve::NetworkAgent::new(&expected.champion, &neat);
        let probe = agent.act(&[0.37])[0].to_bits();
        assert_eq!(task.0.lock().unwrap().last(), Some(&probe));
    }
    assert!(distinct.len() > 2, "checks rotate among species");

    // The checked set is part of the state: a resumed run checks the same
    // genomes.
    let text = to_ron(&evolution);
    let resumed: Evolution = parse_ron(&text, std::path::Path::new("checkpoint.ron")).unwrap();
    assert_eq!(resumed, evolution);
    assert!(!evolution.checked_species.is_empty());
}
