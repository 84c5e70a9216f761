//! Node and connection genes.

use serde::{Deserialize, Serialize};

/// Identifies a node within a run. Inputs, bias and outputs take the first ids
/// (`0..inputs`, then the bias, then the outputs); hidden nodes get fresh ids from
/// the [`InnovationTracker`](crate::InnovationTracker).
pub type NodeId = u32;

/// The historical marking of a connection gene. Equal innovation numbers mean the
/// genes descend from the same structural mutation, which is how crossover aligns
/// genomes of different shapes.
pub type Innovation = u64;

/// The role of a node in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NodeKind {
    /// A sensor: its value is set from the observation.
    Input,
    /// The constant-1 input of the NEAT paper.
    Bias,
    /// Grown by add-node mutations.
    Hidden,
    /// An action: its value is read after activation.
    Output,
}

/// A node's activation function. The network crate evaluates these; the genome only
/// carries the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Activation {
    /// The NEAT paper's steepened sigmoid 1/(1+e^(−4.9x)).
    SteepSigmoid,
    /// The logistic function 1/(1+e^(−x)).
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
    /// max(0, x).
    Relu,
    /// x.
    Identity,
    /// e^(−x²).
    Gaussian,
    /// sin(x).
    Sin,
    /// |x|.
    Abs,
    /// 1 when x > 0, else 0.
    Step,
    /// x clamped to [−1, 1].
    Clamped,
    /// MarI/O's output squashing 2/(1+e^(−4.9x)) − 1.
    SteepTanh,
}

/// A node gene.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NodeGene {
    /// Unique within the genome.
    pub id: NodeId,
    /// Its role.
    pub kind: NodeKind,
    /// Applied to `bias + Σ weight·input`. Ignored for inputs and the bias node.
    pub activation: Activation,
    /// Added to the weighted sum before activation.
    pub bias: f64,
}

/// A connection gene.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConnGene {
    /// Historical marking, unique within the genome.
    pub innovation: Innovation,
    /// The node whose value is read.
    pub source: NodeId,
    /// The node whose sum receives `weight · value(source)`.
    pub target: NodeId,
    /// The synaptic weight.
    pub weight: f64,
    /// Disabled genes are inherited but not expressed.
    pub enabled: bool,
}
