//! Mutation operators. Each keeps every [`Genome::check`] invariant.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::config::{NeatConfig, PlasticityConfig};
use crate::gene::{ConnGene, NodeGene, NodeId, NodeKind, PlasticGene};
use crate::genome::{Genome, new_plastic_gene, uniform};
use crate::innovation::InnovationTracker;
use crate::rules::{EnableMutation, WeightMutation};

/// Applies one round of mutation: each operator fires independently with its
/// configured probability, structural ones first. With
/// `exclusive_structural_mutation`, a genome that gains a node or tries to gain a
/// connection gets no other mutation (the NEAT reference code).
pub fn mutate<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    tracker: &mut InnovationTracker,
    rng: &mut R,
) {
    if rng.random_bool(config.add_node_prob) {
        add_node(genome, config, tracker, rng);
        if config.exclusive_structural_mutation {
            return;
        }
    }
    if rng.random_bool(config.add_connection_prob) {
        add_connection(genome, config, tracker, rng);
        if config.exclusive_structural_mutation {
            return;
        }
    }
    if rng.random_bool(config.delete_connection_prob) {
        delete_connection(genome, rng);
    }
    if rng.random_bool(config.delete_node_prob) {
        delete_node(genome, rng);
    }
    if rng.random_bool(config.toggle_enable_prob) {
        match config.enable_mutation {
            EnableMutation::Random => toggle_enable(genome, rng),
            EnableMutation::Reference => toggle_enable_safely(genome, rng),
        }
    }
    if rng.random_bool(config.reenable_prob) {
        match config.enable_mutation {
            EnableMutation::Random => reenable(genome, rng),
            EnableMutation::Reference => reenable_first(genome),
        }
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
    if let Some(plasticity) = &config.plasticity
        && rng.random_bool(plasticity.mutation_prob)
    {
        mutate_plasticity(genome, plasticity, rng);
    }
    if !genome.module_params.is_empty() && rng.random_bool(config.module_genes.mutation_prob) {
        crate::module_genes::mutate_module_params(
            config.module_gene_layout(),
            &config.module_genes,
            &mut genome.module_params,
            rng,
        );
    }
}

/// Perturbs the plasticity coefficients of each connection with probability
/// `gene_prob`: η by a Gaussian of sd `eta_perturb_power`, clamped to
/// ±`eta_limit`; A, B, C and D by sd `coefficient_perturb_power`, clamped to
/// ±`coefficient_limit`. A connection without a gene starts from the frozen rule.
pub fn mutate_plasticity<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &PlasticityConfig,
    rng: &mut R,
) {
    let powers = [
        (config.eta_perturb_power, config.eta_limit),
        (config.coefficient_perturb_power, config.coefficient_limit),
        (config.coefficient_perturb_power, config.coefficient_limit),
        (config.coefficient_perturb_power, config.coefficient_limit),
        (config.coefficient_perturb_power, config.coefficient_limit),
    ];
    for c in &mut genome.conns {
        if config.gene_prob < 1.0 && !rng.random_bool(config.gene_prob) {
            continue;
        }
        let gene = c.plastic.get_or_insert(PlasticGene::FROZEN);
        for (value, (power, limit)) in gene.coefficients_mut().into_iter().zip(powers) {
            let step: f64 = StandardNormal.sample(rng);
            *value = (*value + step * power).clamp(-limit, limit);
        }
    }
}

/// Mutates every connection weight by `config.weight_mutation`'s scheme, then
/// clamps to ±`weight_limit`.
pub fn mutate_weights<R: Rng + ?Sized>(genome: &mut Genome, config: &NeatConfig, rng: &mut R) {
    match config.weight_mutation {
        WeightMutation::Gaussian => mutate_weights_gaussian(genome, config, rng),
        WeightMutation::Reference => mutate_weights_reference(genome, config, rng),
    }
}

/// Perturbs (Gaussian, `weight_perturb_power`) or replaces (uniform
/// ±`weight_replace_range`) each connection weight with probability
/// `weight_gene_prob`.
fn mutate_weights_gaussian<R: Rng + ?Sized>(genome: &mut Genome, config: &NeatConfig, rng: &mut R) {
    for c in &mut genome.conns {
        if config.weight_gene_prob < 1.0 && !rng.random_bool(config.weight_gene_prob) {
            continue;
        }
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

/// NEAT 1.2.1's `Genome::mutate_link_weights(power, 1.0, GAUSSIAN)`
/// (genome.cpp:1160-1290): one draw makes the call severe or not, then each gene
/// draws a uniform step in ±power and a choice between perturbing, replacing
/// and keeping it (see [`WeightMutation::Reference`]).
fn mutate_weights_reference<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    rng: &mut R,
) {
    let power = config.weight_perturb_power;
    let severe = rng.random_bool(0.5);
    let total = genome.conns.len() as f64;
    let newest = total * 0.8;
    for (i, c) in genome.conns.iter_mut().enumerate() {
        // (perturb above, replace above): the reference's gausspoint and
        // coldgausspoint.
        let (perturb_above, replace_above) = if severe {
            (0.3, 0.1)
        } else if total >= 10.0 && i as f64 > newest {
            (0.5, 0.3)
        } else {
            // At the reference's rate of 1.0 every other gene is perturbed.
            (0.0, 0.0)
        };
        let step = uniform(rng, power);
        let choice: f64 = rng.random();
        if choice > perturb_above {
            c.weight += step;
        } else if choice > replace_above {
            c.weight = step;
        }
        c.weight = c.weight.clamp(-config.weight_limit, config.weight_limit);
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

/// Splits a random enabled connection (not one from the bias node unless
/// `split_bias_links`): the old one is disabled, the incoming link
/// gets weight 1 and the outgoing link the old weight (the NEAT paper), so the
/// network's behaviour barely changes. With plasticity on, the outgoing link also
/// keeps the old link's plasticity gene and the incoming link gets a fresh one.
pub fn add_node<R: Rng + ?Sized>(
    genome: &mut Genome,
    config: &NeatConfig,
    tracker: &mut InnovationTracker,
    rng: &mut R,
) {
    let bias = genome.inputs as NodeId;
    let splittable = |c: &ConnGene| c.enabled && (config.split_bias_links || c.source != bias);
    let candidates = genome.conns.iter().filter(|c| splittable(c)).count();
    if candidates == 0 {
        return;
    }
    let pick = rng.random_range(0..candidates);
    let Some(index) = genome
        .conns
        .iter()
        .enumerate()
        .filter(|(_, c)| splittable(c))
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
    let incoming_plastic = new_plastic_gene(config, rng);
    let outgoing_plastic = match old.plastic {
        Some(gene) if config.plasticity.is_some() => Some(gene),
        _ => new_plastic_gene(config, rng),
    };
    genome.insert_connection(ConnGene {
        innovation: split.incoming,
        source: old.source,
        target: split.node,
        weight: 1.0,
        enabled: true,
        plastic: incoming_plastic,
    });
    genome.insert_connection(ConnGene {
        innovation: split.outgoing,
        source: split.node,
        target: old.target,
        weight: old.weight,
        enabled: true,
        plastic: outgoing_plastic,
    });
}

/// Links two unconnected nodes with a random weight. Sources may be any node;
/// targets are hidden or output nodes. In feed-forward mode a link that would close
/// a cycle is never made. An existing disabled link between the chosen pair is
/// re-enabled instead. With `recurrent_link_prob` (the reference's
/// `recur_only_prob`, genome.cpp:1575-1720), one draw decides whether this
/// mutation looks for a recurrent link (half of its tries a self-loop; a link
/// counts as recurrent when it closes a cycle or touches an output) or for a
/// link that is neither.
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
    let wants_recurrent = config.recurrent_link_prob.map(|p| rng.random_bool(p));
    for _ in 0..config.add_connection_tries {
        let (source, target) = if wants_recurrent == Some(true) && rng.random_bool(0.5) {
            let node = genome.nodes[rng.random_range(first_target..genome.nodes.len())].id;
            (node, node)
        } else {
            let source = genome.nodes[rng.random_range(0..genome.nodes.len())].id;
            let target = genome.nodes[rng.random_range(first_target..genome.nodes.len())].id;
            (source, target)
        };
        if config.feed_forward && genome.path_exists(target, source) {
            continue;
        }
        if let Some(wanted) = wants_recurrent {
            let is_output = |id| genome.node(id).is_some_and(|n| n.kind == NodeKind::Output);
            let recurrent =
                is_output(source) || is_output(target) || genome.path_exists(target, source);
            if recurrent != wanted {
                continue;
            }
        }
        if let Some(i) = genome.connection_between(source, target) {
            if genome.conns[i].enabled {
                continue;
            }
            genome.conns[i].enabled = true;
            return;
        }
        let range = config
            .new_connection_weight_range
            .unwrap_or(config.weight_replace_range);
        let weight = uniform(rng, range);
        genome.insert_connection(ConnGene {
            innovation: tracker.link(source, target),
            source,
            target,
            weight,
            enabled: true,
            plastic: new_plastic_gene(config, rng),
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

/// The reference's toggle (genome.cpp:1293-1327): flips a random connection,
/// but disables it only when its source keeps another enabled outgoing link, so
/// no node is cut off.
pub fn toggle_enable_safely<R: Rng + ?Sized>(genome: &mut Genome, rng: &mut R) {
    if genome.conns.is_empty() {
        return;
    }
    let i = rng.random_range(0..genome.conns.len());
    let c = genome.conns[i];
    let other_out = || {
        genome
            .conns
            .iter()
            .enumerate()
            .any(|(j, d)| j != i && d.enabled && d.source == c.source)
    };
    if !c.enabled || other_out() {
        genome.conns[i].enabled = !c.enabled;
    }
}

/// The reference's re-enable (genome.cpp:1329-1342): the first disabled
/// connection in genome order.
pub fn reenable_first(genome: &mut Genome) {
    if let Some(c) = genome.conns.iter_mut().find(|c| !c.enabled) {
        c.enabled = true;
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
