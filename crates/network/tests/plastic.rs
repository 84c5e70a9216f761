//! Lifetime plasticity in compiled networks: the exact rule, the reset, the
//! modulatory gate, and no change at all when plasticity is off.

#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    Activation, ConnGene, Genome, InnovationTracker, NeatConfig, NodeGene, NodeKind, PlasticGene,
    PlasticityConfig, mutation,
};
use sprout_network::{Network, activate};

const RULE: PlasticGene = PlasticGene {
    eta: 0.1,
    a: 0.7,
    b: -0.3,
    c: 0.2,
    d: 0.05,
};

fn node(id: u32, kind: NodeKind, activation: Activation) -> NodeGene {
    NodeGene {
        id,
        kind,
        activation,
        bias: 0.0,
    }
}

fn link(
    innovation: u64,
    source: u32,
    target: u32,
    weight: f64,
    plastic: Option<PlasticGene>,
) -> ConnGene {
    ConnGene {
        innovation,
        source,
        target,
        weight,
        enabled: true,
        plastic,
    }
}

fn plastic_config(modulated: bool, limit: f64) -> NeatConfig {
    NeatConfig {
        plasticity: Some(PlasticityConfig {
            modulated,
            lifetime_weight_limit: limit,
            ..PlasticityConfig::default()
        }),
        ..NeatConfig::default()
    }
}

/// in0 → out2 (tanh), plastic; bias → out2, fixed.
fn one_plastic_link() -> Genome {
    Genome {
        id: 0,
        inputs: 1,
        outputs: 1,
        nodes: vec![
            node(0, NodeKind::Input, Activation::Identity),
            node(1, NodeKind::Bias, Activation::Identity),
            node(2, NodeKind::Output, Activation::Tanh),
        ],
        conns: vec![link(0, 0, 2, 0.5, Some(RULE)), link(1, 1, 2, 0.25, None)],
        module_params: Vec::new(),
    }
}

/// The weight of the link from slot `source`.
fn weight_from(net: &Network, source: usize) -> f64 {
    net.links().find(|l| l.0 == source).unwrap().2
}

#[test]
fn a_plastic_link_moves_by_the_exact_rule_each_step() {
    let mut net = Network::compile_for(&one_plastic_link(), &plastic_config(false, 8.0));
    assert!(net.is_plastic());
    let mut w = 0.5;
    for x in [1.0, -0.5, 2.0] {
        let post = net.activate(&[x])[0];
        assert_eq!(post, activate(Activation::Tanh, w * x + 0.25));
        w += RULE.eta * (RULE.a * x * post + RULE.b * x + RULE.c * post + RULE.d);
        assert_eq!(weight_from(&net, 0), w);
        assert_eq!(weight_from(&net, 1), 0.25, "the fixed link stays");
    }
}

#[test]
fn reset_gives_back_the_genomes_weights() {
    let genome = one_plastic_link();
    let mut net = Network::compile_for(&genome, &plastic_config(false, 8.0));
    let first: Vec<f64> = (0..5).map(|_| net.activate(&[1.0])[0]).collect();
    assert_ne!(weight_from(&net, 0), 0.5);
    net.reset();
    assert_eq!(weight_from(&net, 0), 0.5);
    let again: Vec<f64> = (0..5).map(|_| net.activate(&[1.0])[0]).collect();
    assert_eq!(first, again, "every episode starts from the genome");
}

#[test]
fn learned_weights_are_clipped_to_the_lifetime_limit() {
    let mut genome = one_plastic_link();
    genome.conns[0].plastic = Some(PlasticGene {
        d: 5.0,
        ..PlasticGene::FROZEN
    });
    genome.conns[0].plastic.as_mut().unwrap().eta = 1.0;
    let mut net = Network::compile_for(&genome, &plastic_config(false, 2.0));
    net.activate(&[0.0]);
    assert_eq!(weight_from(&net, 0), 2.0);
}

/// in0 → out2 (action, plastic) and in0 → out3 (modulatory, fixed weight `m`).
fn modulated_genome(m: f64) -> Genome {
    Genome {
        id: 0,
        inputs: 1,
        outputs: 2,
        nodes: vec![
            node(0, NodeKind::Input, Activation::Identity),
            node(1, NodeKind::Bias, Activation::Identity),
            node(2, NodeKind::Output, Activation::Tanh),
            node(3, NodeKind::Output, Activation::Identity),
        ],
        conns: vec![link(0, 0, 2, 0.5, Some(RULE)), link(1, 0, 3, m, None)],
        module_params: Vec::new(),
    }
}

#[test]
fn the_modulatory_output_gates_learning_by_tanh_of_half_its_value() {
    let config = plastic_config(true, 8.0);
    let mut net = Network::compile_for(&modulated_genome(3.0), &config);
    assert_eq!(net.outputs(), 1, "the modulatory output is not an action");
    let x = 0.8;
    let outputs = net.activate(&[x]).to_vec();
    assert_eq!(outputs.len(), 1);
    let post = outputs[0];
    let m = 3.0 * x;
    let gate = activate(Activation::Tanh, m / 2.0);
    assert!((gate - (m / 2.0).tanh()).abs() < 1e-15);
    assert_eq!(weight_from(&net, 0), 0.5 + gate * RULE.delta(x, post));
    // No modulation, no learning.
    let mut silent = Network::compile_for(&modulated_genome(0.0), &config);
    silent.activate(&[x]);
    assert_eq!(weight_from(&silent, 0), 0.5);
}

fn grown_genome(config: &NeatConfig, seed: u64, steps: usize) -> Genome {
    let config = NeatConfig {
        add_node_prob: 0.5,
        add_connection_prob: 0.8,
        toggle_enable_prob: 0.1,
        bias_mutation_prob: 0.5,
        ..config.clone()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let outputs = config.genome_outputs(2);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(3, outputs));
    let mut g = Genome::initial(0, 3, outputs, &config, &mut tracker, &mut rng);
    for _ in 0..steps {
        mutation::mutate(&mut g, &config, &mut tracker, &mut rng);
    }
    g
}

fn run(net: &mut Network) -> Vec<u64> {
    net.reset();
    (0..12)
        .flat_map(|t| net.activate(&[t as f64 * 0.1, -0.5, 1.0]).to_vec())
        .map(f64::to_bits)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn without_plasticity_networks_are_bit_identical(
        seed in any::<u64>(),
        steps in 0usize..30,
        feed_forward in any::<bool>(),
    ) {
        let fixed = NeatConfig { feed_forward, ..NeatConfig::default() };
        let learning = NeatConfig { feed_forward, ..plastic_config(false, 8.0) };
        // A genome without genes, compiled with plasticity on, does not learn.
        let g = grown_genome(&fixed, seed, steps);
        let mut plain = Network::compile_with(&g, fixed.recurrent_stepping);
        let mut on = Network::compile_for(&g, &learning);
        prop_assert!(!on.is_plastic());
        prop_assert_eq!(run(&mut plain), run(&mut on));
        // A genome with genes, compiled with plasticity off, does not learn either.
        let g = grown_genome(&learning, seed, steps);
        let mut plain = Network::compile_with(&g, fixed.recurrent_stepping);
        let mut off = Network::compile_for(&g, &fixed);
        prop_assert!(!off.is_plastic());
        prop_assert_eq!(run(&mut plain), run(&mut off));
    }

    #[test]
    fn plastic_networks_repeat_exactly_after_reset(
        seed in any::<u64>(),
        steps in 0usize..30,
        modulated in any::<bool>(),
    ) {
        let config = NeatConfig { feed_forward: false, ..plastic_config(modulated, 3.0) };
        let g = grown_genome(&config, seed, steps);
        let mut net = Network::compile_for(&g, &config);
        prop_assert_eq!(net.outputs(), 2);
        let first = run(&mut net);
        prop_assert_eq!(first, run(&mut net));
        prop_assert!(net.links().all(|l| l.2.abs() <= 3.0 || l.2.is_nan()));
    }
}
