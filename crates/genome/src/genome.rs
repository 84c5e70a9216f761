//! The genome: node genes sorted by id, connection genes sorted by innovation.

use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use crate::config::{InitialConnection, NeatConfig};
use crate::gene::{Activation, ConnGene, Innovation, NodeGene, NodeId, NodeKind, PlasticGene};
use crate::innovation::InnovationTracker;
use crate::module_genes::ModuleParamsProblem;
use crate::reach::Reach;

/// Identifies a genome within a run. Ids are handed out in order and never reused.
pub type GenomeId = u64;

/// A NEAT genome.
///
/// Node ids `0..inputs` are the inputs, `inputs` is the bias, and the next
/// `outputs` ids are the outputs; hidden nodes follow. `nodes` is sorted by id and
/// `conns` by innovation; [`Genome::check`] verifies these invariants and every
/// mutation and crossover keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Genome {
    /// Unique within the run.
    pub id: GenomeId,
    /// Number of input nodes (without the bias).
    pub inputs: usize,
    /// Number of output nodes.
    pub outputs: usize,
    /// Node genes, sorted by id.
    pub nodes: Vec<NodeGene>,
    /// Connection genes, sorted by innovation.
    pub conns: Vec<ConnGene>,
    /// The evolvable settings of the lifetime modules (see
    /// [`crate::module_genes`]); empty when no module evolves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub module_params: Vec<f64>,
}

/// A genome that breaks an invariant (a corrupt or hand-edited file, usually).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenomeError {
    /// The fixed input/bias/output nodes are missing or of the wrong kind.
    #[error("node {id} should be the {expected:?} node")]
    WrongFixedNode {
        /// The node id.
        id: NodeId,
        /// The kind that id must have.
        expected: NodeKind,
    },
    /// A node past the fixed ones is not hidden.
    #[error("node {0} past the inputs, bias and outputs must be hidden")]
    ExtraFixedNode(NodeId),
    /// Node ids are not strictly increasing.
    #[error("node ids are not strictly increasing at node {0}")]
    UnsortedNodes(NodeId),
    /// Innovation numbers are not strictly increasing (so maybe duplicated).
    #[error("innovation numbers are not unique and increasing at innovation {0}")]
    UnsortedConnections(Innovation),
    /// A connection names a node that does not exist.
    #[error("connection {innovation} references missing node {node}")]
    DanglingConnection {
        /// The connection.
        innovation: Innovation,
        /// The missing node.
        node: NodeId,
    },
    /// A connection feeds an input or the bias.
    #[error("connection {0} targets an input or the bias")]
    TargetsInput(Innovation),
    /// Two connections join the same pair of nodes.
    #[error("connections join nodes {0} → {1} twice")]
    DuplicateLink(NodeId, NodeId),
    /// A weight or bias is NaN or infinite.
    #[error("a weight or bias is not finite (connection or node {0})")]
    NotFinite(u64),
    /// The genome does not carry one value per module gene of its experiment.
    #[error(
        "the genome carries {got} module genes, but its experiment's neat.lifetime evolves {want}"
    )]
    ModuleGeneCount {
        /// Values in the genome.
        got: usize,
        /// Genes the experiment's modules have.
        want: usize,
    },
    /// A module gene holds a value its setting cannot take.
    #[error("module gene {index} ({setting}): {problem}")]
    BadModuleGene {
        /// Position in `module_params`.
        index: usize,
        /// The module setting, `lifetime[i].name`.
        setting: String,
        /// What is wrong.
        problem: String,
    },
    /// A cycle in a genome that must be feed-forward.
    #[error("the connections form a cycle through node {0}, but the experiment is feed-forward")]
    Cycle(NodeId),
}

impl Genome {
    /// Generation-0 genome wired as `config.initial_connection` says, with weights
    /// uniform in ±`weight_init_range` (and, with plasticity on, fresh plasticity
    /// genes).
    ///
    /// `outputs` counts every output node: pass
    /// [`NeatConfig::genome_outputs`] of the task's action count. With
    /// neuromodulation the last output is the modulatory one and is linear
    /// (`Identity`).
    pub fn initial<R: Rng + ?Sized>(
        id: GenomeId,
        inputs: usize,
        outputs: usize,
        config: &NeatConfig,
        tracker: &mut InnovationTracker,
        rng: &mut R,
    ) -> Self {
        let mut nodes = Vec::with_capacity(inputs + 1 + outputs);
        for i in 0..inputs {
            nodes.push(fixed_node(
                i as NodeId,
                NodeKind::Input,
                Activation::Identity,
            ));
        }
        nodes.push(fixed_node(
            inputs as NodeId,
            NodeKind::Bias,
            Activation::Identity,
        ));
        for o in 0..outputs {
            let id = (inputs + 1 + o) as NodeId;
            let activation = if config.modulated() && o + 1 == outputs {
                Activation::Identity
            } else {
                config.output_activation
            };
            nodes.push(fixed_node(id, NodeKind::Output, activation));
        }
        let mut genome = Self {
            id,
            inputs,
            outputs,
            nodes,
            conns: Vec::new(),
            module_params: config.initial_module_params(),
        };
        let range = config.weight_init_range;
        for target in genome.output_ids() {
            for source in 0..=inputs as NodeId {
                let wire = match config.initial_connection {
                    InitialConnection::Full => true,
                    InitialConnection::Unconnected => false,
                    InitialConnection::Partial(p) => rng.random_bool(p),
                };
                if wire {
                    let weight = uniform(rng, range);
                    let plastic = new_plastic_gene(config, rng);
                    genome.insert_connection(ConnGene {
                        innovation: tracker.link(source, target),
                        source,
                        target,
                        weight,
                        enabled: true,
                        plastic,
                    });
                }
            }
        }
        genome
    }

    /// The first id after the fixed input, bias and output nodes.
    pub fn first_hidden_id(inputs: usize, outputs: usize) -> NodeId {
        (inputs + 1 + outputs) as NodeId
    }

    /// The bias node's id.
    pub fn bias_id(&self) -> NodeId {
        self.inputs as NodeId
    }

    /// Output node ids, in action order.
    pub fn output_ids(&self) -> std::ops::Range<NodeId> {
        let first = self.inputs as NodeId + 1;
        first..first + self.outputs as NodeId
    }

    /// The node gene with this id.
    pub fn node(&self, id: NodeId) -> Option<&NodeGene> {
        self.node_index(id).map(|i| &self.nodes[i])
    }

    /// Position of node `id` in `nodes`.
    #[inline]
    pub fn node_index(&self, id: NodeId) -> Option<usize> {
        // The fixed nodes sit at the index equal to their id (when the genome is
        // valid); only hidden ids need a search.
        let fixed = self.inputs + 1 + self.outputs;
        let i = id as usize;
        if i < fixed && self.nodes.get(i).is_some_and(|n| n.id == id) {
            return Some(i);
        }
        let hidden = self.nodes.get(fixed..)?;
        hidden
            .binary_search_by_key(&id, |n| n.id)
            .ok()
            .map(|k| fixed + k)
    }

    /// Whether a connection joins `source → target` (enabled or not).
    pub fn connection_between(&self, source: NodeId, target: NodeId) -> Option<usize> {
        self.conns
            .iter()
            .position(|c| c.source == source && c.target == target)
    }

    /// Inserts a connection at its innovation's place.
    pub(crate) fn insert_connection(&mut self, conn: ConnGene) {
        let at = self
            .conns
            .partition_point(|c| c.innovation < conn.innovation);
        self.conns.insert(at, conn);
    }

    /// Inserts a node at its id's place.
    pub(crate) fn insert_node(&mut self, node: NodeGene) {
        let at = self.nodes.partition_point(|n| n.id < node.id);
        self.nodes.insert(at, node);
    }

    /// Number of hidden nodes.
    pub fn hidden_count(&self) -> usize {
        self.nodes.len() - self.inputs - 1 - self.outputs
    }

    /// Number of enabled connections.
    pub fn enabled_count(&self) -> usize {
        self.conns.iter().filter(|c| c.enabled).count()
    }

    /// Whether a path `from → … → to` exists over all connections, enabled or not.
    /// Disabled links count because a toggle may enable them later. For many
    /// questions about one genome, [`Reach`] answers without rescanning it.
    pub fn path_exists(&self, from: NodeId, to: NodeId) -> bool {
        Reach::of(self).path_exists(from, to)
    }

    /// [`Genome::check`] with `config.feed_forward`, and one valid value per
    /// module gene of `config` (see [`crate::module_genes`]): what a genome
    /// loaded from a file must pass before it runs under `config`.
    pub fn check_for(&self, config: &NeatConfig) -> Result<(), GenomeError> {
        self.check(config.feed_forward)?;
        crate::module_genes::check_module_params(
            config.module_gene_layout(),
            &config.module_genes,
            &self.module_params,
        )
        .map_err(|problem| match problem {
            ModuleParamsProblem::Count { got, want } => GenomeError::ModuleGeneCount { got, want },
            ModuleParamsProblem::Bad {
                index,
                setting,
                problem,
            } => GenomeError::BadModuleGene {
                index,
                setting,
                problem,
            },
        })
    }

    /// Verifies every invariant: sorted unique ids and innovations, fixed nodes in
    /// place, connections between existing nodes and never into an input, no
    /// duplicate links, finite numbers, and no cycle when `feed_forward`.
    pub fn check(&self, feed_forward: bool) -> Result<(), GenomeError> {
        let fixed = self.inputs + 1 + self.outputs;
        for (i, node) in self.nodes.iter().enumerate() {
            let expected = if i < self.inputs {
                Some(NodeKind::Input)
            } else if i == self.inputs {
                Some(NodeKind::Bias)
            } else if i < fixed {
                Some(NodeKind::Output)
            } else {
                None
            };
            match expected {
                Some(kind) if node.id != i as NodeId || node.kind != kind => {
                    return Err(GenomeError::WrongFixedNode {
                        id: i as NodeId,
                        expected: kind,
                    });
                }
                None if node.kind != NodeKind::Hidden => {
                    return Err(GenomeError::ExtraFixedNode(node.id));
                }
                _ => {}
            }
            if i > 0 && self.nodes[i - 1].id >= node.id {
                return Err(GenomeError::UnsortedNodes(node.id));
            }
            if !node.bias.is_finite() {
                return Err(GenomeError::NotFinite(u64::from(node.id)));
            }
        }
        if self.nodes.len() < fixed {
            return Err(GenomeError::WrongFixedNode {
                id: self.nodes.len() as NodeId,
                expected: if self.nodes.len() < self.inputs {
                    NodeKind::Input
                } else if self.nodes.len() == self.inputs {
                    NodeKind::Bias
                } else {
                    NodeKind::Output
                },
            });
        }
        let mut pairs = Vec::with_capacity(self.conns.len());
        for (i, c) in self.conns.iter().enumerate() {
            if i > 0 && self.conns[i - 1].innovation >= c.innovation {
                return Err(GenomeError::UnsortedConnections(c.innovation));
            }
            for node in [c.source, c.target] {
                if self.node_index(node).is_none() {
                    return Err(GenomeError::DanglingConnection {
                        innovation: c.innovation,
                        node,
                    });
                }
            }
            if (c.target as usize) <= self.inputs {
                return Err(GenomeError::TargetsInput(c.innovation));
            }
            let plastic_finite = c
                .plastic
                .is_none_or(|p| p.coefficients().iter().all(|v| v.is_finite()));
            if !(c.weight.is_finite() && plastic_finite) {
                return Err(GenomeError::NotFinite(c.innovation));
            }
            pairs.push((c.source, c.target));
        }
        pairs.sort_unstable();
        if let Some(w) = pairs.windows(2).find(|w| w[0] == w[1]) {
            return Err(GenomeError::DuplicateLink(w[0].0, w[0].1));
        }
        let mut reach = Reach::of(self);
        if feed_forward
            && let Some(c) = self
                .conns
                .iter()
                .find(|c| reach.path_exists(c.target, c.source))
        {
            return Err(GenomeError::Cycle(c.source));
        }
        Ok(())
    }
}

fn fixed_node(id: NodeId, kind: NodeKind, activation: Activation) -> NodeGene {
    NodeGene {
        id,
        kind,
        activation,
        bias: 0.0,
    }
}

/// A fresh plasticity gene when plasticity is on (no random draw otherwise):
/// η uniform in ±`eta_init_range`, A–D uniform in ±`coefficient_init_range`.
pub(crate) fn new_plastic_gene<R: Rng + ?Sized>(
    config: &NeatConfig,
    rng: &mut R,
) -> Option<PlasticGene> {
    let p = config.plasticity.as_ref()?;
    let mut gene = PlasticGene::FROZEN;
    let ranges = [
        p.eta_init_range,
        p.coefficient_init_range,
        p.coefficient_init_range,
        p.coefficient_init_range,
        p.coefficient_init_range,
    ];
    for (value, range) in gene.coefficients_mut().into_iter().zip(ranges) {
        *value = uniform(rng, range);
    }
    Some(gene)
}

/// Uniform in ±range (exactly 0 when range is 0).
pub(crate) fn uniform<R: Rng + ?Sized>(rng: &mut R, range: f64) -> f64 {
    if range > 0.0 {
        rng.random_range(-range..=range)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    fn xor_genome() -> Genome {
        let config = NeatConfig::default();
        let mut tracker = InnovationTracker::new(Genome::first_hidden_id(2, 1));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        Genome::initial(0, 2, 1, &config, &mut tracker, &mut rng)
    }

    #[test]
    fn initial_full_genome_links_inputs_and_bias_to_outputs() {
        let g = xor_genome();
        assert_eq!(g.nodes.len(), 4);
        assert_eq!(g.conns.len(), 3);
        assert!(g.conns.iter().all(|c| c.target == 3 && c.enabled));
        g.check(true).unwrap();
    }

    #[test]
    fn check_catches_a_dangling_connection() {
        let mut g = xor_genome();
        g.conns[0].source = 99;
        assert!(matches!(
            g.check(true),
            Err(GenomeError::DanglingConnection { node: 99, .. })
        ));
    }

    #[test]
    fn check_catches_a_cycle_only_when_feed_forward() {
        let mut g = xor_genome();
        g.insert_connection(ConnGene {
            innovation: 100,
            source: 3,
            target: 3,
            weight: 0.5,
            enabled: true,
            plastic: None,
        });
        assert!(matches!(g.check(true), Err(GenomeError::Cycle(3))));
        g.check(false).unwrap();
    }

    #[test]
    fn check_catches_a_missing_output() {
        let mut g = xor_genome();
        g.conns.clear();
        g.nodes.pop();
        assert!(g.check(true).is_err());
    }
}
