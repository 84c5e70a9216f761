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

impl Activation {
    /// Every activation function, in declaration order.
    pub const ALL: [Activation; 11] = [
        Activation::SteepSigmoid,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Identity,
        Activation::Gaussian,
        Activation::Sin,
        Activation::Abs,
        Activation::Step,
        Activation::Clamped,
        Activation::SteepTanh,
    ];
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
    /// Lifetime plasticity of this connection, when the experiment evolves it
    /// (`neat.plasticity`). Absent (and not written to files) otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plastic: Option<PlasticGene>,
}

/// The evolvable coefficients of one connection's lifetime plasticity: after
/// every network step the weight changes by the generalised Hebbian rule
/// Δw = η·(A·pre·post + B·pre + C·post + D), where pre is the source's value and
/// post the target's (Soltoggio et al. 2008). This is Sprout's one implementation
/// of the rule: a gene per connection (`neat.plasticity`) and the shared `Hebbian`
/// lifetime module (`sprout_plasticity::hebbian::Abcd`, the same type) both use it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlasticGene {
    /// Learning rate η. A gene with η = 0 never changes its weight.
    pub eta: f64,
    /// Correlation term A (pre·post).
    pub a: f64,
    /// Presynaptic term B.
    pub b: f64,
    /// Postsynaptic term C.
    pub c: f64,
    /// Constant drift D.
    pub d: f64,
}

impl PlasticGene {
    /// The rule that never changes a weight.
    pub const FROZEN: PlasticGene = PlasticGene {
        eta: 0.0,
        a: 0.0,
        b: 0.0,
        c: 0.0,
        d: 0.0,
    };

    /// The coefficients as [η, A, B, C, D].
    pub fn coefficients(&self) -> [f64; 5] {
        [self.eta, self.a, self.b, self.c, self.d]
    }

    /// Mutable references to [η, A, B, C, D].
    pub fn coefficients_mut(&mut self) -> [&mut f64; 5] {
        [
            &mut self.eta,
            &mut self.a,
            &mut self.b,
            &mut self.c,
            &mut self.d,
        ]
    }

    /// Δw for one step: η·(A·pre·post + B·pre + C·post + D).
    #[inline]
    pub fn delta(&self, pre: f64, post: f64) -> f64 {
        self.eta * (self.a * pre * post + self.b * pre + self.c * post + self.d)
    }

    /// The gate tanh(m/2) that a modulatory signal `m` puts on every update
    /// (Soltoggio et al. 2008): no modulation means no change, negative modulation
    /// reverses the update. Portable (`sprout_math::tanh`), as evaluation must be.
    #[inline]
    pub fn modulation_gate(modulation: f64) -> f64 {
        sprout_math::tanh(modulation / 2.0)
    }

    /// Δw for one step gated by the modulatory signal `m`:
    /// [`PlasticGene::modulation_gate`]`(m)`·[`PlasticGene::delta`].
    #[inline]
    pub fn modulated_delta(&self, pre: f64, post: f64, modulation: f64) -> f64 {
        Self::modulation_gate(modulation) * self.delta(pre, post)
    }

    /// The first coefficient that is not finite, by name, if any.
    pub fn non_finite_coefficient(&self) -> Option<(&'static str, f64)> {
        ["eta", "a", "b", "c", "d"]
            .into_iter()
            .zip(self.coefficients())
            .find(|(_, value)| !value.is_finite())
    }
}
