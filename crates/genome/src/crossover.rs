//! Crossover aligned by innovation number.

use rand::{Rng, RngExt};

use crate::config::NeatConfig;
use crate::gene::{ConnGene, NodeGene};
use crate::genome::{Genome, GenomeId};
use crate::module_genes::inherit_module_params;
use crate::reach::Reach;

/// Which parent is fitter, which decides where unmatched genes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fitter {
    /// The first parent is strictly fitter: unmatched genes come from it.
    First,
    /// The parents tie: unmatched genes come from both.
    Tie,
}

/// Crosses two genomes. Matching genes (and each module gene) come from either
/// parent at random, and with chance `crossover_average_prob` a matching gene's
/// weight is the mean of the parents' (the reference's `mate_multipoint_avg`);
/// disjoint
/// and excess genes from `first` (or from both on a [`Fitter::Tie`]); a gene
/// disabled in either parent stays disabled with probability
/// `disable_inherit_prob`.
///
/// In feed-forward mode, an unmatched gene of `second` that would close a cycle is
/// left out, so the child is always valid.
pub fn crossover<R: Rng + ?Sized>(
    child_id: GenomeId,
    first: &Genome,
    second: &Genome,
    fitter: Fitter,
    config: &NeatConfig,
    rng: &mut R,
) -> Genome {
    let mut conns: Vec<ConnGene> = Vec::with_capacity(first.conns.len().max(second.conns.len()));
    let mut from_second: Vec<ConnGene> = Vec::new();
    let (a, b) = (&first.conns, &second.conns);
    // Drawn only when the option is on, so runs without it keep their sequence.
    let average =
        config.crossover_average_prob > 0.0 && rng.random_bool(config.crossover_average_prob);
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.innovation == y.innovation => {
                // Pushed first and then edited in place: a copy edited on the
                // stack and then pushed costs a store-forwarding stall per gene.
                conns.push(if rng.random_bool(0.5) { *x } else { *y });
                let gene = conns.last_mut().expect("just pushed");
                if average {
                    gene.weight = (x.weight + y.weight) / 2.0;
                }
                gene.enabled = if !x.enabled || !y.enabled {
                    !rng.random_bool(config.disable_inherit_prob)
                } else {
                    true
                };
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.innovation < y.innovation => {
                conns.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                conns.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                if fitter == Fitter::Tie {
                    from_second.push(*y);
                }
                j += 1;
            }
            (None, None) => unreachable!("loop condition"),
        }
    }

    let mut child = Genome {
        id: child_id,
        inputs: first.inputs,
        outputs: first.outputs,
        nodes: Vec::new(),
        conns,
        module_params: Vec::new(),
    };
    child.nodes = inherit_nodes(first, second, &child.conns, rng);
    child.module_params = inherit_module_params(&first.module_params, &second.module_params, rng);
    // Built once for all of the second parent's genes, and kept current.
    let mut reach = config.feed_forward.then(|| Reach::of(&child));
    for gene in from_second {
        if let Some(reach) = &mut reach
            && reach.path_exists(gene.target, gene.source)
        {
            continue;
        }
        if child.connection_between(gene.source, gene.target).is_some() {
            continue;
        }
        for id in [gene.source, gene.target] {
            if child.node_index(id).is_none()
                && let Some(node) = second.node(id)
            {
                child.insert_node(*node);
            }
        }
        child.insert_connection(gene);
        if let Some(reach) = &mut reach {
            reach.add(gene.source, gene.target);
        }
    }
    child
}

/// The fixed nodes plus every node the child's connections touch. Nodes in both
/// parents take their attributes from either at random.
fn inherit_nodes<R: Rng + ?Sized>(
    first: &Genome,
    second: &Genome,
    conns: &[ConnGene],
    rng: &mut R,
) -> Vec<NodeGene> {
    let fixed = first.inputs + 1 + first.outputs;
    let mut nodes: Vec<NodeGene> = Vec::with_capacity(first.nodes.len());
    for node in &first.nodes {
        let used = (node.id as usize) < fixed
            || conns
                .iter()
                .any(|c| c.source == node.id || c.target == node.id);
        if !used {
            continue;
        }
        let chosen = match second.node(node.id) {
            Some(other) if rng.random_bool(0.5) => *other,
            _ => *node,
        };
        nodes.push(chosen);
    }
    nodes
}
