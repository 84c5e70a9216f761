//! Checkpoint size and write cost: plain RON (what Sprout wrote before) against
//! zstd-compressed RON, for the default platformer experiment's genomes (600) after
//! 30 generations. Prints the bytes per genome of both before timing them.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use sprout_evolve::files::{to_ron, write_atomic};
use sprout_evolve::saves::{Checkpoint, FORMAT, decode_text, encode_checkpoint, parse_checkpoint};
use sprout_evolve::{Evolution, TaskDescription};
use sprout_lab::TaskSpec;
use sprout_lab::tasks::builtin_experiment;

fn evolved_checkpoint() -> Checkpoint<TaskSpec> {
    let experiment = builtin_experiment("platformer").unwrap();
    let task = experiment.task.build().unwrap();
    let neat = &experiment.neat;
    let mut evolution = Evolution::new(neat, task.as_ref(), 1);
    for _ in 0..30 {
        evolution.step(neat, task.as_ref()).unwrap();
    }
    Checkpoint {
        format: FORMAT,
        experiment,
        evolution,
    }
}

fn checkpoints(c: &mut Criterion) {
    let checkpoint = evolved_checkpoint();
    let genomes = checkpoint.evolution.population.genomes.len() as f64;
    let plain = to_ron(&checkpoint);
    let compressed = encode_checkpoint(&checkpoint.experiment, &checkpoint.evolution);
    println!(
        "checkpoint of {genomes} genomes: plain RON {} bytes ({:.0} per genome), zstd {} bytes ({:.0} per genome), ratio {:.1}",
        plain.len(),
        plain.len() as f64 / genomes,
        compressed.len(),
        compressed.len() as f64 / genomes,
        plain.len() as f64 / compressed.len() as f64
    );
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("checkpoint");
    group.sample_size(20);
    group.bench_function("write plain RON", |b| {
        b.iter(|| {
            write_atomic(
                &dir.path().join("gen.ron"),
                to_ron(black_box(&checkpoint)).as_bytes(),
            )
            .unwrap()
        })
    });
    group.bench_function("write zstd RON", |b| {
        b.iter(|| {
            write_atomic(
                &dir.path().join("gen.ron.zst"),
                &encode_checkpoint(
                    black_box(&checkpoint.experiment),
                    black_box(&checkpoint.evolution),
                ),
            )
            .unwrap()
        })
    });
    group.bench_function("read zstd RON", |b| {
        b.iter(|| {
            let text = decode_text(compressed.clone(), Path::new("c"), 1 << 30).unwrap();
            parse_checkpoint::<TaskSpec>(&text, Path::new("c")).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, checkpoints);
criterion_main!(benches);
