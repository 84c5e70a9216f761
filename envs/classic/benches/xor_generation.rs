//! One full XOR generation at population 150: evaluate, speciate, breed.

use criterion::{Criterion, criterion_group, criterion_main};
use sprout_classic::xor::Xor;
use sprout_evolve::Evolution;
use sprout_genome::NeatConfig;

fn xor_generation(c: &mut Criterion) {
    let neat = NeatConfig {
        add_connection_prob: 0.2,
        ..NeatConfig::default()
    };
    // Start from generation 10 of a run, so genomes have grown some structure.
    let mut warm = Evolution::new(&neat, &Xor, 3);
    for _ in 0..10 {
        warm.step(&neat, &Xor).unwrap();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    c.bench_function("xor_generation_pop150_1_thread", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut evolution| pool.install(|| evolution.step(&neat, &Xor).map(|s| s.best_fitness)),
            criterion::BatchSize::SmallInput,
        )
    });
    c.bench_function("xor_generation_pop150_all_threads", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut evolution| evolution.step(&neat, &Xor).map(|s| s.best_fitness),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, xor_generation);
criterion_main!(benches);
