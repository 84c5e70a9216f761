//! Network activation speed, reported per enabled connection (throughput
//! "elements" are connections: 1 Gelem/s = 1 ns per connection).

#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{Genome, InnovationTracker, NeatConfig, mutation};
use sprout_network::Network;

/// Grows a genome to about `nodes` nodes, like a long evolved run would.
fn evolved_genome(inputs: usize, outputs: usize, nodes: usize, feed_forward: bool) -> Genome {
    let config = NeatConfig {
        feed_forward,
        add_node_prob: 0.5,
        add_connection_prob: 1.0,
        ..NeatConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(inputs, outputs));
    let mut genome = Genome::initial(0, inputs, outputs, &config, &mut tracker, &mut rng);
    while genome.nodes.len() < nodes {
        mutation::mutate(&mut genome, &config, &mut tracker, &mut rng);
    }
    for _ in 0..3 * nodes {
        mutation::add_connection(&mut genome, &config, &mut tracker, &mut rng);
    }
    genome
}

fn activation(c: &mut Criterion) {
    for (name, feed_forward) in [
        ("feed_forward_100_nodes", true),
        ("recurrent_100_nodes", false),
    ] {
        let genome = evolved_genome(20, 5, 100, feed_forward);
        let mut network = Network::compile(&genome);
        let inputs: Vec<f64> = (0..20).map(|i| (i as f64 * 0.37).sin()).collect();
        eprintln!(
            "{name}: {} nodes, {} live connections evaluated per activation",
            genome.nodes.len(),
            network.connections()
        );
        let mut group = c.benchmark_group("activate");
        group.throughput(Throughput::Elements(network.connections() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let out = network.activate(std::hint::black_box(&inputs));
                std::hint::black_box(out[0])
            })
        });
        // Sixteen fresh observations side by side (`activate_fresh`), as XOR's
        // cases or many starts of an episode: elements are connections times
        // observations.
        let batch: Vec<Vec<f64>> = (0..16)
            .map(|k| inputs.iter().map(|x| x * (1.0 + k as f64 * 0.1)).collect())
            .collect();
        let views: Vec<&[f64]> = batch.iter().map(|o| &o[..]).collect();
        let mut outputs = vec![0.0; views.len() * network.outputs()];
        group.throughput(Throughput::Elements(
            (network.connections() * views.len()) as u64,
        ));
        group.bench_function(format!("{name}_fresh_x16"), |b| {
            b.iter(|| {
                network.activate_fresh(std::hint::black_box(&views), &mut outputs);
                std::hint::black_box(outputs[0])
            })
        });
        group.finish();
    }
}

fn compile(c: &mut Criterion) {
    // An XOR-sized genome (2 inputs, 1 output, 3 hidden nodes) and a large one.
    for (name, genome) in [
        ("compile_7_nodes", evolved_genome(2, 1, 7, true)),
        ("compile_100_nodes", evolved_genome(20, 5, 100, true)),
    ] {
        eprintln!(
            "{name}: {} nodes, {} connection genes",
            genome.nodes.len(),
            genome.conns.len()
        );
        c.bench_function(name, |b| {
            b.iter(|| Network::compile(std::hint::black_box(&genome)))
        });
    }
}

criterion_group!(benches, activation, compile);
criterion_main!(benches);
