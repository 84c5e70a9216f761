//! Mutation operators. Each keeps every [`Genome::check`] invariant.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::config::NeatConfig;
use crate::gene::{ConnGene, NodeGene, NodeId, NodeKind};
use crate::genome::{Genome, uniform};
use crate::innovation::InnovationTracker;

/// Applies one round of mutation: each operator fires independently with its
/// configured probability, structural ones first.
pub fn mutate<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    tracker: &mut InnovationTracker,
    rng: &mut R,
) {
    if rng.random_bool(config.add_node_prob) {
        add_node(genome, config, tracker, rng);
    }
    if rng.random_bool(config.add_connection_prob) {
        add_connection(genome, config, tracker, rng);
    }
    if rng.random_bool(config.delete_connection_prob) {
        delete_connection(genome, rng);
    }
    if rng.random_bool(config.delete_node_prob) {
        delete_node(genome, rng);
    }
    if rng.random_bool(config.toggle_enable_prob) {
        toggle_enable(genome, rng);
    }
    if rng.random_bool(config.reenable_prob) {
        reenable(genome, rng);
    }
    if rng.random_bool(config.weight_mutation_prob) {
        mutate_weights(genome, config, rng);
    }
    if rng.random_bool(config.bias_mutation_prob) {
        mutate_biases(genome, config, rng);
    }
    if rng.random_bool(config.activation_mutation_prob) {
        mutate_activation(genome, config, rng);
    }
}

/// Perturbs (Gaussian, `weight_perturb_power`) or replaces (uniform
/// ±`weight_replace_range`) every connection weight, then clamps to ±`weight_limit`.
pub fn mutate_weights<R: Rng + ?Sized>(genome: &mut Genome, config: &NeatConfig, rng: &mut R) {
    for c in &mut genome.conns {
        c.weight = perturb_or_replace(
            c.weight,
            config.weight_perturb_prob,
            config.weight_perturb_power,
            config.weight_replace_range,
            rng,
        )
        .clamp(-config.weight_limit, config.weight_limit);
    }
}

/// Perturbs or replaces the bias of every hidden and output node.
pub fn mutate_biases<R: Rng + ?Sized>(genome: &mut Genome, config: &NeatConfig, rng: &mut R) {
    for n in genome.nodes.iter_mut().filter(|n| is_computed(n)) {
        n.bias = perturb_or_replace(
            n.bias,
            config.weight_perturb_prob,
            config.bias_perturb_power,
            config.bias_replace_range,
            rng,
        )
        .clamp(-config.weight_limit, config.weight_limit);
    }
}

fn perturb_or_replace<R: Rng + ?Sized>(
    value: f64,
    perturb_prob: f64,
    power: f64,
    replace_range: f64,
    rng: &mut R,
) -> f64 {
    if rng.random_bool(perturb_prob) {
        let step: f64 = StandardNormal.sample(rng);
        value + step * power
    } else {
        uniform(rng, replace_range)
    }
}

/// Redraws one hidden node's activation from the configured options.
pub fn mutate_activation<R: Rng + ?Sized>(genome: &mut Genome, config: &NeatConfig, rng: &mut R) {
    let hidden = genome.inputs + 1 + genome.outputs;
    if genome.nodes.len() > hidden {
        let i = rng.random_range(hidden..genome.nodes.len());
        let options = config.hidden_activations();
        genome.nodes[i].activation = options[rng.random_range(0..options.len())];
    }
}

/// Splits a random enabled connection: the old one is disabled, the incoming link
/// gets weight 1 and the outgoing link the old weight (the NEAT paper), so the
/// network's behaviour barely changes.
pub fn add_node<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    tracker: &mut InnovationTracker,
    rng: &mut R,
) {
    let enabled = genome.conns.iter().filter(|c| c.enabled).count();
    if enabled == 0 {
        return;
    }
    let pick = rng.random_range(0..enabled);
    let Some(index) = genome
        .conns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.enabled)
        .nth(pick)
        .map(|(i, _)| i)
    else {
        return;
    };
    let old = genome.conns[index];
    let split = tracker.split(old.innovation, old.source, old.target, |n| {
        genome.node_index(n).is_some()
    });
    genome.conns[index].enabled = false;
    genome.insert_node(NodeGene {
        id: split.node,
        kind: NodeKind::Hidden,
        activation: config.hidden_activation,
        bias: 0.0,
    });
    genome.insert_connection(ConnGene {
        innovation: split.incoming,
        source: old.source,
        target: split.node,
        weight: 1.0,
        enabled: true,
    });
    genome.insert_connection(ConnGene {
        innovation: split.outgoing,
        source: split.node,
        target: old.target,
        weight: old.weight,
        enabled: true,
    });
}

/// Links two unconnected nodes with a random weight. Sources may be any node;
/// targets are hidden or output nodes. In feed-forward mode a link that would close
/// a cycle is never made. An existing disabled link between the chosen pair is
/// re-enabled instead.
pub fn add_connection<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    tracker: &mut InnovationTracker,
    rng: &mut R,
) {
    let first_target = genome.inputs + 1;
    if genome.nodes.len() <= first_target {
        return;
    }
    for _ in 0..config.add_connection_tries {
        let source = genome.nodes[rng.random_range(0..genome.nodes.len())].id;
        let target = genome.nodes[rng.random_range(first_target..genome.nodes.len())].id;
        if config.feed_forward && genome.path_exists(target, source) {
            continue;
        }
        if let Some(i) = genome.connection_between(source, target) {
            if genome.conns[i].enabled {
                continue;
            }
            genome.conns[i].enabled = true;
            return;
        }
        genome.insert_connection(ConnGene {
            innovation: tracker.link(source, target),
            source,
            target,
            weight: uniform(rng, config.weight_replace_range),
            enabled: true,
        });
        return;
    }
}

/// Removes a random connection gene.
pub fn delete_connection<R: Rng + ?Sized>(genome: &mut Genome, rng: &mut R) {
    if !genome.conns.is_empty() {
        let i = rng.random_range(0..genome.conns.len());
        genome.conns.remove(i);
    }
}

/// Removes a random hidden node and every connection touching it.
pub fn delete_node<R: Rng + ?Sized>(genome: &mut Genome, rng: &mut R) {
    let first_hidden = genome.inputs + 1 + genome.outputs;
    if genome.nodes.len() > first_hidden {
        let i = rng.random_range(first_hidden..genome.nodes.len());
        let id: NodeId = genome.nodes.remove(i).id;
        genome.conns.retain(|c| c.source != id && c.target != id);
    }
}

/// Flips the enabled flag of a random connection. Re-enabling is always safe in
/// feed-forward mode: disabled links already count in the cycle check.
pub fn toggle_enable<R: Rng + ?Sized>(genome: &mut Genome, rng: &mut R) {
    if !genome.conns.is_empty() {
        let i = rng.random_range(0..genome.conns.len());
        genome.conns[i].enabled = !genome.conns[i].enabled;
    }
}

/// Re-enables a random disabled connection, if there is one.
pub fn reenable<R: Rng + ?Sized>(genome: &mut Genome, rng: &mut R) {
    let disabled = genome.conns.iter().filter(|c| !c.enabled).count();
    if disabled > 0 {
        let pick = rng.random_range(0..disabled);
        if let Some(c) = genome.conns.iter_mut().filter(|c| !c.enabled).nth(pick) {
            c.enabled = true;
        }
    }
}

fn is_computed(node: &NodeGene) -> bool {
    matches!(node.kind, NodeKind::Hidden | NodeKind::Output)
}
