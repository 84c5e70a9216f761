//! The phases of an XOR generation (compile, evaluation of compiled networks,
//! speciation, reproduction, and the whole generation) at populations 150,
//! 1,000 and 10,000, one thread; throughput elements are genomes, so `elem/s`
//! reads as genomes per second.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sprout_classic::xor::Xor;
use sprout_evolve::evaluator::{Batch, Evaluator};
use sprout_evolve::{Evolution, Local, NetworkAgent, evaluate_agent};
use sprout_genome::NeatConfig;

/// The XOR preset's NEAT settings (configs/xor.ron) at `population` genomes.
fn config(population: usize) -> NeatConfig {
    NeatConfig {
        population_size: population,
        add_connection_prob: 0.2,
        ..NeatConfig::default()
    }
}

fn phases(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for population in [150, 1_000, 10_000] {
        let neat = config(population);
        // Generation 10 of a run, so genomes have grown some structure.
        let warm = pool.install(|| {
            let mut evolution = Evolution::new(&neat, &Xor, 3);
            for _ in 0..10 {
                evolution.step(&neat, &Xor).unwrap();
            }
            evolution
        });
        let genomes = &warm.population.genomes;
        let batch = Batch {
            task: &Xor,
            neat: &neat,
            seed: warm.seed,
            generation: warm.generation(),
            genomes,
        };
        let fitness: Vec<f64> = pool
            .install(|| Local.evaluate(&batch))
            .unwrap()
            .iter()
            .map(|(evaluation, _)| evaluation.fitness)
            .collect();
        let mut group = c.benchmark_group(format!("xor_generation_{population}"));
        group.throughput(Throughput::Elements(population as u64));
        if population >= 10_000 {
            group.sample_size(10);
        }
        group.bench_function("compile", |b| {
            b.iter(|| {
                let agents: Vec<NetworkAgent> = genomes
                    .iter()
                    .map(|g| NetworkAgent::new(g, &neat))
                    .collect();
                agents.len()
            })
        });
        // Compiled once; each task episode starts with a reset.
        let mut agents: Vec<NetworkAgent> = genomes
            .iter()
            .map(|g| NetworkAgent::new(g, &neat))
            .collect();
        group.bench_function("evaluation", |b| {
            b.iter(|| {
                agents
                    .iter_mut()
                    .zip(genomes)
                    .map(|(agent, g)| {
                        evaluate_agent(&Xor, agent, g, &neat, warm.seed, warm.generation())
                            .0
                            .fitness
                    })
                    .sum::<f64>()
            })
        });
        group.bench_function("speciation", |b| {
            b.iter_batched(
                || warm.population.clone(),
                |mut population| {
                    population.speciate(&neat);
                    population
                },
                BatchSize::LargeInput,
            )
        });
        let mut speciated = warm.population.clone();
        speciated.speciate(&neat);
        group.bench_function("reproduction", |b| {
            b.iter_batched(
                || speciated.clone(),
                |mut population| {
                    population.reproduce(&fitness, &neat);
                    population
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function("whole_generation", |b| {
            b.iter_batched(
                || warm.clone(),
                |mut evolution| {
                    pool.install(|| evolution.step(&neat, &Xor).map(|s| s.best_fitness))
                        .unwrap();
                    evolution
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, phases);
criterion_main!(benches);
