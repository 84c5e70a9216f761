//! A genome compiled into a flat evaluator.

use std::cell::Cell;
use std::sync::Arc;

use sprout_genome::{
    Activation, Genome, NeatConfig, NodeId, PlasticGene, PlasticityConfig, Stepping,
};

use crate::activation::{activate, activate_lanes};
use crate::layout::Layout;
use crate::plastic::Plasticity;

/// A compiled network. Activation walks flat arrays and never allocates.
///
/// Value slots: `0..inputs` are the inputs, `inputs` is the bias (1, or `neat.bias_value`), and
/// the computed nodes follow in evaluation order. Feed-forward networks compute
/// every node from values of the same step. Recurrent networks step as
/// [`Stepping`] says: in order (a link whose source comes later, or is the node
/// itself, reads that source's previous value) or synchronously (every link reads
/// the previous step). [`Network::reset`] clears that state.
///
/// Compiled with [`Network::compile_for`] and a `neat.plasticity` section, the
/// links' plasticity genes learn during the lifetime: after every step each
/// plastic link's weight moves by its rule (see [`PlasticGene`]), gated by the
/// modulatory output when the rule is neuromodulated, and [`Network::reset`] puts
/// the genome's weights back. A network with no plastic link does no extra work.
#[derive(Debug, Clone)]
pub struct Network {
    inputs: usize,
    /// The bias node's value (`neat.bias_value`; 1 by default).
    bias: f64,
    values: Vec<f64>,
    /// What depends on the genome's structure alone (shared by the networks
    /// of genomes with the same structure).
    layout: Arc<Layout>,
    nodes: Vec<ComputeNode>,
    edge_weights: Vec<f64>,
    /// The outputs [`Network::activate`] returns (the layout's output slots,
    /// the modulatory one excluded).
    outputs: Vec<f64>,
    /// Values of the previous step, in synchronous stepping only.
    previous: Option<Vec<f64>>,
    /// Lifetime learning, when some live link is plastic.
    plasticity: Option<Plasticity>,
    /// Value slot of the modulatory output (neuromodulated learning only).
    modulator: Option<usize>,
}

/// bias + Σ weight · value(source), with two partial sums to halve the add
/// latency chain of long fan-ins.
#[inline]
fn weighted_sum(bias: f64, sources: &[u32], weights: &[f64], values: &[f64]) -> f64 {
    let (mut a, mut b) = (bias, 0.0);
    let mut pairs = sources.chunks_exact(2).zip(weights.chunks_exact(2));
    for (s, w) in &mut pairs {
        a += values[s[0] as usize] * w[0];
        b += values[s[1] as usize] * w[1];
    }
    if sources.len() % 2 == 1 {
        let last = sources.len() - 1;
        a += values[sources[last] as usize] * weights[last];
    }
    a + b
}

/// [`weighted_sum`] in each of `N` observations, with the same operations in
/// the same order, so every lane has the bits `weighted_sum` gives.
#[inline]
fn weighted_sum_lanes<const N: usize>(
    bias: f64,
    sources: &[u32],
    weights: &[f64],
    values: &[[f64; N]],
) -> [f64; N] {
    let (mut a, mut b) = ([bias; N], [0.0; N]);
    let mut pairs = sources.chunks_exact(2).zip(weights.chunks_exact(2));
    for (s, w) in &mut pairs {
        let (x, y) = (&values[s[0] as usize], &values[s[1] as usize]);
        for l in 0..N {
            a[l] += x[l] * w[0];
            b[l] += y[l] * w[1];
        }
    }
    if sources.len() % 2 == 1 {
        let last = sources.len() - 1;
        let x = &values[sources[last] as usize];
        for l in 0..N {
            a[l] += x[l] * weights[last];
        }
    }
    std::array::from_fn(|l| a[l] + b[l])
}

/// A computed node: its genes and where its links end. `edges_end` copies the
/// layout's (`Layout::edges_end`) so that the activation loop reads one
/// array: zipping the two measured 5–8% slower on `cargo bench -p
/// sprout-network`.
#[derive(Debug, Clone, Copy)]
struct ComputeNode {
    activation: Activation,
    bias: f64,
    edges_end: u32,
}

impl Network {
    /// Compiles a genome with [`Stepping::Ordered`]: drops disabled links and
    /// nodes that cannot reach an output, orders the rest, and lays them out flat.
    pub fn compile(genome: &Genome) -> Self {
        Self::compile_with(genome, Stepping::Ordered)
    }

    /// Compiles a genome with the given stepping, with fixed weights (plasticity
    /// genes are ignored). Feed-forward genomes always step in order: synchronous
    /// stepping would only delay them.
    pub fn compile_with(genome: &Genome, stepping: Stepping) -> Self {
        Self::build(genome, stepping, None, false, 1.0)
    }

    /// Compiles a genome as the experiment's NEAT settings say: their recurrent
    /// stepping and, with `neat.plasticity`, lifetime learning. With
    /// neuromodulation the genome's last output is the modulatory one: it gates
    /// learning and is not among [`Network::activate`]'s outputs.
    pub fn compile_for(genome: &Genome, neat: &NeatConfig) -> Self {
        Self::build(
            genome,
            neat.recurrent_stepping,
            neat.plasticity.as_ref(),
            neat.modulated(),
            neat.bias_value,
        )
    }

    /// `modulated`: the genome's last output is the modulatory one (see
    /// [`NeatConfig::modulated`]); `bias`: the bias node's value.
    fn build(
        genome: &Genome,
        stepping: Stepping,
        plasticity: Option<&PlasticityConfig>,
        modulated: bool,
        bias: f64,
    ) -> Self {
        let layout = Layout::of(genome);
        let fixed = genome.inputs + 1;
        // The genome's values for its links (weights and, with plasticity on,
        // rules) and computed nodes, in the layout's order.
        let links = layout.edge_genes().len();
        let mut edge_weights = Vec::with_capacity(links);
        let mut rules: Option<Vec<PlasticGene>> = plasticity.map(|_| Vec::with_capacity(links));
        for &gene in layout.edge_genes() {
            let gene = &genome.conns[gene as usize];
            edge_weights.push(gene.weight);
            if let Some(rules) = &mut rules {
                rules.push(gene.plastic.unwrap_or(PlasticGene::FROZEN));
            }
        }
        let nodes = layout
            .order()
            .iter()
            .zip(layout.edges_end())
            .map(|(&i, &edges_end)| {
                let gene = &genome.nodes[i as usize];
                ComputeNode {
                    activation: gene.activation,
                    bias: gene.bias,
                    edges_end,
                }
            })
            .collect();
        let mut outputs = layout.output_slots().len();
        let modulator = if modulated && outputs > 0 {
            outputs -= 1;
            Some(layout.output_slots()[outputs] as usize)
        } else {
            None
        };
        // The genes' rules are gated only when they ask to be (the modulatory
        // output may be there for a lifetime module alone).
        let plasticity = plasticity.zip(rules).and_then(|(config, rules)| {
            let gate = modulator.filter(|_| config.modulated);
            Plasticity::new(rules, &edge_weights, config, gate)
        });
        let mut values = vec![0.0; fixed + layout.order().len()];
        values[genome.inputs] = bias;
        let previous =
            (layout.recurrent && stepping == Stepping::Synchronous).then(|| values.clone());
        Self {
            inputs: genome.inputs,
            bias,
            values,
            nodes,
            edge_weights,
            outputs: vec![0.0; outputs],
            previous,
            plasticity,
            modulator,
            layout,
        }
    }

    /// Runs one step: sets the inputs, updates every node once in evaluation
    /// order, and returns the outputs.
    ///
    /// # Panics
    /// When `inputs.len()` differs from the genome's input count (a programming
    /// error in the caller, not bad data).
    #[inline]
    pub fn activate(&mut self, inputs: &[f64]) -> &[f64] {
        assert_eq!(inputs.len(), self.inputs, "wrong number of inputs");
        self.values[..self.inputs].copy_from_slice(inputs);
        let first = self.inputs + 1;
        let mut start = 0usize;
        // Synchronous stepping reads every source from a snapshot of the
        // previous step; ordered stepping reads the values as they are updated.
        let previous = match &mut self.previous {
            Some(previous) => {
                previous.copy_from_slice(&self.values);
                Some(&previous[..])
            }
            None => None,
        };
        let edge_sources = self.layout.edge_sources();
        for (k, node) in self.nodes.iter().enumerate() {
            let end = node.edges_end as usize;
            let sources = &edge_sources[start..end];
            let weights = &self.edge_weights[start..end];
            let read = previous.unwrap_or(&self.values);
            let sum = weighted_sum(node.bias, sources, weights, read);
            self.values[first + k] = activate(node.activation, sum);
            start = end;
        }
        if let Some(plasticity) = &self.plasticity {
            plasticity.learn(
                self.nodes.iter().map(|n| n.edges_end as usize),
                first,
                self.layout.edge_sources(),
                &mut self.edge_weights,
                &self.values,
            );
        }
        let slots = &self.layout.output_slots()[..self.outputs.len()];
        for (out, &slot) in self.outputs.iter_mut().zip(slots) {
            *out = self.values.get(slot as usize).copied().unwrap_or(0.0);
        }
        &self.outputs
    }

    /// One step from a fresh episode on each observation: the outputs
    /// [`Network::reset`] then [`Network::activate`] give for each in turn,
    /// written one observation after another into `outputs`, and the state the
    /// last of them leaves. A feed-forward network without plastic links
    /// computes four or eight observations side by side, bit for bit as one at
    /// a time, which hides the latency of each node's sum and activation;
    /// others go one at a time.
    ///
    /// # Panics
    /// When an observation's length differs from the input count, or `outputs`
    /// does not hold one output vector per observation.
    pub fn activate_fresh(&mut self, observations: &[&[f64]], outputs: &mut [f64]) {
        let width = self.outputs.len();
        assert_eq!(
            outputs.len(),
            observations.len() * width,
            "one output vector per observation"
        );
        if self.layout.recurrent || self.plasticity.is_some() {
            let each = outputs.chunks_exact_mut(width.max(1));
            for (observation, out) in observations.iter().zip(each) {
                self.reset();
                out.copy_from_slice(self.activate(observation));
            }
            return;
        }
        // Four lanes suffice for XOR's four cases; more observations fill eight.
        if observations.len() <= 4 {
            self.activate_side_by_side::<4>(observations, outputs);
        } else {
            self.activate_side_by_side::<8>(observations, outputs);
        }
    }

    /// [`Network::activate_fresh`] of a feed-forward network, `N` observations
    /// at a time.
    fn activate_side_by_side<const N: usize>(
        &mut self,
        observations: &[&[f64]],
        outputs: &mut [f64],
    ) {
        let (first, width) = (self.inputs + 1, self.outputs.len().max(1));
        // Every slot's values in the N observations (slot by slot), in this
        // thread's memory: most networks are compiled, run once and dropped.
        thread_local! {
            static LANES: Cell<Vec<f64>> = const { Cell::new(Vec::new()) };
        }
        let mut lanes = LANES.take();
        lanes.clear();
        lanes.resize(self.values.len() * N, 0.0);
        let (values, _) = lanes.as_chunks_mut::<N>();
        values[self.inputs] = [self.bias; N];
        for (chunk, out) in observations.chunks(N).zip(outputs.chunks_mut(N * width)) {
            for (l, observation) in chunk.iter().enumerate() {
                assert_eq!(observation.len(), self.inputs, "wrong number of inputs");
                for (slot, &x) in values.iter_mut().zip(observation.iter()) {
                    slot[l] = x;
                }
            }
            let mut start = 0usize;
            let edge_sources = self.layout.edge_sources();
            for (k, node) in self.nodes.iter().enumerate() {
                let end = node.edges_end as usize;
                let sources = &edge_sources[start..end];
                let weights = &self.edge_weights[start..end];
                let sums = weighted_sum_lanes(node.bias, sources, weights, values);
                values[first + k] = activate_lanes(node.activation, sums);
                start = end;
            }
            for (l, out) in out.chunks_exact_mut(width).enumerate() {
                for (o, &slot) in out.iter_mut().zip(self.output_slots_slice()) {
                    *o = values.get(slot as usize).map_or(0.0, |v| v[l]);
                }
            }
        }
        // Leave the state the last observation leaves, as one at a time would.
        if let Some(last) = observations.len().checked_sub(1) {
            for (value, lanes) in self.values.iter_mut().zip(values.iter()) {
                *value = lanes[last % N];
            }
            let width = self.outputs.len();
            self.outputs
                .copy_from_slice(&outputs[last * width..(last + 1) * width]);
        }
        LANES.set(lanes);
    }

    /// Starts a new episode: clears recurrent state (every node value back to 0,
    /// the bias to its value) and gives plastic links back the genome's weights.
    pub fn reset(&mut self) {
        self.values.fill(0.0);
        self.values[self.inputs] = self.bias;
        if let Some(previous) = &mut self.previous {
            previous.copy_from_slice(&self.values);
        }
        if let Some(plasticity) = &self.plasticity {
            plasticity.restore(&mut self.edge_weights);
        }
    }

    /// Starts a new episode but keeps the weights learned so far (Lamarckian
    /// runs): clears recurrent state like [`Network::reset`] without giving
    /// plastic links back the genome's weights.
    pub fn reset_state(&mut self) {
        self.values.fill(0.0);
        self.values[self.inputs] = self.bias;
        if let Some(previous) = &mut self.previous {
            previous.copy_from_slice(&self.values);
        }
    }

    /// The outputs of the latest [`Network::activate`] (zeros before the first).
    pub fn last_outputs(&self) -> &[f64] {
        &self.outputs
    }

    /// Value slot of each output [`Network::activate`] returns, in order.
    pub fn output_slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.output_slots_slice().iter().map(|&s| s as usize)
    }

    /// The layout's output slots without the modulatory one.
    fn output_slots_slice(&self) -> &[u32] {
        &self.layout.output_slots()[..self.outputs.len()]
    }

    /// Value slot of the modulatory output, when the network was compiled for
    /// neuromodulated learning ([`NeatConfig::modulated`]).
    pub fn modulator_slot(&self) -> Option<usize> {
        self.modulator
    }

    /// Source slot of every link, in the order of [`Network::links`].
    pub fn link_sources(&self) -> &[u32] {
        self.layout.edge_sources()
    }

    /// Target slot of every link, in the order of [`Network::links`]
    /// (allocates: for set-up, not for every step).
    pub fn link_targets(&self) -> Vec<u32> {
        let first = self.inputs + 1;
        let mut targets = Vec::with_capacity(self.layout.edge_sources().len());
        let mut start = 0usize;
        for (k, node) in self.nodes.iter().enumerate() {
            let end = node.edges_end as usize;
            targets.extend(std::iter::repeat_n((first + k) as u32, end - start));
            start = end;
        }
        targets
    }

    /// Node values, link sources and mutable link weights at once (all in the
    /// orders above), for lifetime modules that read activity while they change
    /// weights.
    pub fn learning_parts(&mut self) -> (&[f64], &[u32], &mut [f64]) {
        (
            &self.values,
            self.layout.edge_sources(),
            &mut self.edge_weights,
        )
    }

    /// Link weights, in the order of [`Network::links`].
    pub fn weights(&self) -> &[f64] {
        &self.edge_weights
    }

    /// Whether some link learns during the lifetime.
    pub fn is_plastic(&self) -> bool {
        self.plasticity.is_some()
    }

    /// Number of inputs (without the bias).
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Number of outputs [`Network::activate`] returns (the modulatory output
    /// excluded).
    pub fn outputs(&self) -> usize {
        self.outputs.len()
    }

    /// Number of nodes computed per step (live hidden and output nodes).
    pub fn computed_nodes(&self) -> usize {
        self.nodes.len()
    }

    /// Number of links evaluated per step.
    pub fn connections(&self) -> usize {
        self.layout.edge_sources().len()
    }

    /// Whether any link reads a value from the previous step.
    pub fn is_recurrent(&self) -> bool {
        self.layout.recurrent
    }

    /// The current value of every slot (inputs, bias, computed nodes), for
    /// viewers and lifetime modules.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The genome node id held in each value slot.
    pub fn slot_ids(&self) -> &[NodeId] {
        self.layout.slot_ids()
    }

    /// The links as (source slot, target slot, weight), in evaluation order.
    pub fn links(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        let first = self.inputs + 1;
        let mut start = 0usize;
        self.nodes.iter().enumerate().flat_map(move |(k, node)| {
            let range = start..node.edges_end as usize;
            start = node.edges_end as usize;
            range.map(move |e| {
                (
                    self.layout.edge_sources()[e] as usize,
                    first + k,
                    self.edge_weights[e],
                )
            })
        })
    }

    /// Mutable link weights, in the order of [`Network::links`], for lifetime
    /// learning.
    pub fn weights_mut(&mut self) -> &mut [f64] {
        &mut self.edge_weights
    }
}
