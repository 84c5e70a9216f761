//! Proposal: the seam between the evaluation loop and lifetime learning.
//!
//! The loop owns a compiled network and a list of boxed [`LifetimeModule`]s, and for
//! each episode calls:
//!
//! ```text
//! network.reset_weights_to_genome();        // unless the experiment is Lamarckian
//! for m in modules { m.on_episode_start(&mut network_view)? }
//! each step:
//!     x = observation (+ bias)
//!     for m in modules { m.before_activation(&x, &mut buf_m)?; x = buf_m }   // chain
//!     network.activate(x)
//!     for m in modules { m.after_activation(&mut network_view)? }
//! ```
//!
//! `buf_m` has length `x.len() + m.extra_inputs()` and is allocated once, when the
//! network is compiled with its modules: the network's input count is the
//! observation width plus every module's `extra_inputs()`. No hook allocates per step.
//!
//! The network exposes itself through [`SynapseView`]: dense node indices, node
//! activations (and modulatory input, for neuromodulated plasticity), and its
//! connections as (source, target, weight, enabled). It is defined here so the
//! network crate can implement it without this crate depending on the network.
//!
//! Restoring the genome's weights at episode start (or writing them back, for
//! Lamarckian runs) is the loop's job, not a module's: modules only reset their own
//! state.
//!
//! Modules provided:
//! - [`HebbianModule`]: the ABCD rule (optionally neuromodulated) per connection or per
//!   shared rule class, with bounds and per-neuron normalisation;
//! - [`HopfieldMemory`]: stores observations in a modern Hopfield memory during the
//!   episode and completes missing sensor values (or appends what it retrieves);
//! - [`RbmFeatures`]: learns an RBM online on the observation stream and appends its
//!   hidden probabilities as inputs;
//! - [`ActivityPruning`]: "use it or lose it" pruning during the lifetime, never
//!   cutting the last path to an output.

use std::ops::Range;

use ndarray::ArrayView2;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::error::{PlasticityError, Result, check_len, check_positive};
use crate::hebbian::{Abcd, Normalisation, WeightConstraints, validate_rule};
use crate::hopfield::ModernHopfield;
use crate::pruning::{ActivityTracker, OutputPathGuard};
use crate::rbm::{Estimator, Rbm, RbmTrainer, TrainingConfig};

/// One connection as a network reports it. Node ids are the network's dense node
/// indices (`< SynapseView::node_count()`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Synapse {
    /// Presynaptic node.
    pub source: usize,
    /// Postsynaptic node.
    pub target: usize,
    /// Current weight.
    pub weight: f64,
    /// Whether the connection carries signal (disabled = pruned).
    pub enabled: bool,
}

/// What a lifetime module may see and change of a running network.
///
/// Indices passed in are always below `node_count()` / `connection_count()`;
/// implementations may panic otherwise. The connection order must stay fixed during
/// an episode.
pub trait SynapseView {
    /// Number of nodes.
    fn node_count(&self) -> usize;
    /// Output of `node` after the latest activation.
    fn activation(&self, node: usize) -> f64;
    /// Modulatory input reaching `node` (Soltoggio et al. 2008). Networks without
    /// modulatory neurons keep the default 0, which freezes neuromodulated rules.
    fn modulation(&self, _node: usize) -> f64 {
        0.0
    }
    /// Number of connections.
    fn connection_count(&self) -> usize;
    /// Connection `index`.
    fn connection(&self, index: usize) -> Synapse;
    /// Sets the weight of connection `index`.
    fn set_weight(&mut self, index: usize, weight: f64);
    /// Enables or disables (prunes) connection `index`.
    fn set_enabled(&mut self, index: usize, enabled: bool);
}

/// A lifetime-learning module driven by the evaluation loop (see the module docs).
pub trait LifetimeModule {
    /// How many inputs this module appends to the ones it receives.
    fn extra_inputs(&self) -> usize {
        0
    }

    /// Start of an episode: reset the module's own state and size its buffers to the
    /// network. May allocate.
    fn on_episode_start(&mut self, view: &mut dyn SynapseView) -> Result<()>;

    /// Transform or extend `inputs` into `extended`
    /// (`extended.len() == inputs.len() + self.extra_inputs()`). The default copies.
    fn before_activation(&mut self, inputs: &[f64], extended: &mut [f64]) -> Result<()> {
        check_len("extended inputs", inputs.len(), extended.len())?;
        extended.copy_from_slice(inputs);
        Ok(())
    }

    /// After the network has been activated: change weights, prune. The default does
    /// nothing.
    fn after_activation(&mut self, _view: &mut dyn SynapseView) -> Result<()> {
        Ok(())
    }
}

/// Checks `extended.len() == inputs.len() + extra`, that `range` lies inside `inputs`,
/// and copies `inputs` to the front of `extended`.
fn pass_through(
    inputs: &[f64],
    extended: &mut [f64],
    extra: usize,
    range: &Range<usize>,
) -> Result<()> {
    check_len("extended inputs", inputs.len() + extra, extended.len())?;
    if range.end > inputs.len() {
        return Err(PlasticityError::IndexOutOfRange {
            what: "module input range end",
            index: range.end,
            len: inputs.len(),
        });
    }
    extended[..inputs.len()].copy_from_slice(inputs);
    Ok(())
}

/// Which ABCD rule each connection follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RuleAssignment {
    /// One rule for every connection.
    Shared(Abcd),
    /// One rule per connection, in the network's connection order.
    PerConnection(Vec<Abcd>),
    /// A few rule classes; `class_of[k]` is the class of connection k.
    Classes {
        /// The rule of each class.
        rules: Vec<Abcd>,
        /// The class of each connection.
        class_of: Vec<usize>,
    },
}

impl RuleAssignment {
    fn rule(&self, connection: usize) -> Abcd {
        match self {
            RuleAssignment::Shared(rule) => *rule,
            RuleAssignment::PerConnection(rules) => rules[connection],
            RuleAssignment::Classes { rules, class_of } => rules[class_of[connection]],
        }
    }

    /// Rules a network must have exactly this many connections for (None: any).
    fn connections(&self) -> Option<usize> {
        match self {
            RuleAssignment::Shared(_) => None,
            RuleAssignment::PerConnection(rules) => Some(rules.len()),
            RuleAssignment::Classes { class_of, .. } => Some(class_of.len()),
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            RuleAssignment::Shared(rule) => validate_rule(rule),
            RuleAssignment::PerConnection(rules) => rules.iter().try_for_each(validate_rule),
            RuleAssignment::Classes { rules, class_of } => {
                rules.iter().try_for_each(validate_rule)?;
                match class_of.iter().position(|&c| c >= rules.len()) {
                    None => Ok(()),
                    Some(k) => Err(PlasticityError::IndexOutOfRange {
                        what: "rule class of a connection",
                        index: class_of[k],
                        len: rules.len(),
                    }),
                }
            }
        }
    }
}

/// The generalised Hebbian rule on every enabled connection after each activation:
/// Δw = η·(A·pre·post + B·pre + C·post + D), optionally gated by tanh(m/2) of the
/// postsynaptic neuron's modulation, then bounded and normalised per postsynaptic
/// neuron.
#[derive(Debug, Clone, PartialEq)]
pub struct HebbianModule {
    rules: RuleAssignment,
    modulated: bool,
    constraints: WeightConstraints,
    /// Connection indices grouped by target (built at episode start).
    by_target: Vec<usize>,
    /// Group boundaries in `by_target`.
    group_ends: Vec<usize>,
    scratch: Vec<f64>,
}

impl HebbianModule {
    /// A module applying `rules`; `modulated` selects the Soltoggio gate.
    pub fn new(
        rules: RuleAssignment,
        modulated: bool,
        constraints: WeightConstraints,
    ) -> Result<Self> {
        rules.validate()?;
        constraints.validate()?;
        Ok(Self {
            rules,
            modulated,
            constraints,
            by_target: Vec::new(),
            group_ends: Vec::new(),
            scratch: Vec::new(),
        })
    }
}

impl LifetimeModule for HebbianModule {
    fn on_episode_start(&mut self, view: &mut dyn SynapseView) -> Result<()> {
        let count = view.connection_count();
        if let Some(expected) = self.rules.connections() {
            check_len("connections with a Hebbian rule", expected, count)?;
        }
        self.by_target = (0..count).collect();
        self.by_target
            .sort_by_key(|&k| (view.connection(k).target, k));
        self.group_ends.clear();
        for (pos, pair) in self.by_target.windows(2).enumerate() {
            if view.connection(pair[0]).target != view.connection(pair[1]).target {
                self.group_ends.push(pos + 1);
            }
        }
        if count > 0 {
            self.group_ends.push(count);
        }
        let widest = self
            .group_ends
            .iter()
            .scan(0, |start, &end| {
                let width = end - *start;
                *start = end;
                Some(width)
            })
            .max()
            .unwrap_or(0);
        self.scratch = vec![0.0; widest];
        Ok(())
    }

    fn after_activation(&mut self, view: &mut dyn SynapseView) -> Result<()> {
        check_len("connections", self.by_target.len(), view.connection_count())?;
        let per_weight = self.constraints.normalisation == Normalisation::None;
        for k in 0..view.connection_count() {
            let syn = view.connection(k);
            if !syn.enabled {
                continue;
            }
            let rule = self.rules.rule(k);
            let pre = view.activation(syn.source);
            let post = view.activation(syn.target);
            let dw = if self.modulated {
                rule.modulated_delta(pre, post, view.modulation(syn.target))
            } else {
                rule.delta(pre, post)
            };
            let mut w = [syn.weight + dw];
            if per_weight {
                self.constraints.apply(&mut w);
            }
            view.set_weight(k, w[0]);
        }
        if !per_weight {
            let mut start = 0;
            for &end in &self.group_ends {
                // Only enabled connections take part in the normalisation.
                let mut n = 0;
                for &k in &self.by_target[start..end] {
                    let syn = view.connection(k);
                    if syn.enabled {
                        self.scratch[n] = syn.weight;
                        n += 1;
                    }
                }
                self.constraints.apply(&mut self.scratch[..n]);
                let mut i = 0;
                for &k in &self.by_target[start..end] {
                    if view.connection(k).enabled {
                        view.set_weight(k, self.scratch[i]);
                        i += 1;
                    }
                }
                start = end;
            }
        }
        Ok(())
    }
}

/// What [`HopfieldMemory`] does with what it retrieves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionMode {
    /// Overwrite the input range: only the missing values if a missing marker is set,
    /// else the whole range (denoising).
    Replace,
    /// Keep the inputs and append the retrieved pattern as extra inputs.
    Append,
}

/// Whether `x` is the `missing` marker (NaN matches NaN).
fn is_missing(missing: Option<f64>, x: f64) -> bool {
    match missing {
        None => false,
        Some(m) if m.is_nan() => x.is_nan(),
        Some(m) => x == m,
    }
}

/// An associative memory over a range of the inputs (e.g. the sensor grid), filled
/// during the episode. Each step it retrieves ξ ← X·softmax(β·Xᵀξ) for the current
/// observation (missing values set to 0), uses the result according to its
/// [`CompletionMode`], and stores the observation if it has no missing values.
#[derive(Debug, Clone, PartialEq)]
pub struct HopfieldMemory {
    range: Range<usize>,
    memory: ModernHopfield,
    mode: CompletionMode,
    missing: Option<f64>,
    query: Vec<f64>,
    retrieved: Vec<f64>,
}

impl HopfieldMemory {
    /// A memory over `inputs[range]` holding up to `capacity` observations at inverse
    /// temperature `beta`. `missing`, if set, is the value that marks an occluded
    /// input (NaN matches NaN).
    pub fn new(
        range: Range<usize>,
        capacity: usize,
        beta: f64,
        mode: CompletionMode,
        missing: Option<f64>,
    ) -> Result<Self> {
        let width = range.end.saturating_sub(range.start);
        Ok(Self {
            memory: ModernHopfield::new(width, capacity, beta)?,
            range,
            mode,
            missing,
            query: vec![0.0; width],
            retrieved: vec![0.0; width],
        })
    }

    /// The memory (for inspection).
    pub fn memory(&self) -> &ModernHopfield {
        &self.memory
    }
}

impl LifetimeModule for HopfieldMemory {
    fn extra_inputs(&self) -> usize {
        match self.mode {
            CompletionMode::Replace => 0,
            CompletionMode::Append => self.query.len(),
        }
    }

    fn on_episode_start(&mut self, _view: &mut dyn SynapseView) -> Result<()> {
        self.memory.clear();
        Ok(())
    }

    fn before_activation(&mut self, inputs: &[f64], extended: &mut [f64]) -> Result<()> {
        pass_through(inputs, extended, self.extra_inputs(), &self.range)?;
        let observed = &inputs[self.range.clone()];
        let missing = self.missing;
        let mut complete = true;
        for (q, &x) in self.query.iter_mut().zip(observed) {
            if is_missing(missing, x) {
                *q = 0.0;
                complete = false;
            } else {
                *q = x;
            }
        }
        self.memory
            .retrieve_into(&self.query, &mut self.retrieved)?;
        match self.mode {
            CompletionMode::Replace => {
                for (i, &x) in observed.iter().enumerate() {
                    if missing.is_none() || is_missing(missing, x) {
                        extended[self.range.start + i] = self.retrieved[i];
                    }
                }
            }
            CompletionMode::Append => {
                extended[inputs.len()..].copy_from_slice(&self.retrieved);
            }
        }
        if complete {
            self.memory.store(&self.query)?;
        }
        Ok(())
    }
}

/// Online feature learning: an RBM over `inputs[range]` (scaled from
/// `[low, high]` to `[0, 1]`) takes one training step per observation, and its
/// hidden probabilities p(h | v) are appended as extra inputs. The RBM returns to
/// its initial weights, and the sampler to its seed, at each episode start.
#[derive(Debug, Clone)]
pub struct RbmFeatures {
    range: Range<usize>,
    low: f64,
    high: f64,
    initial: Rbm,
    rbm: Rbm,
    training: TrainingConfig,
    trainer: RbmTrainer,
    seed: u64,
    rng: Xoshiro256PlusPlus,
    visible: Vec<f64>,
}

impl RbmFeatures {
    /// Features of `inputs[range]` from `rbm` (its visible width must match the
    /// range), learned with `training` (CD or PCD; exact enumeration is refused as
    /// too costly per step) from a sampler seeded with `seed`.
    pub fn new(
        range: Range<usize>,
        (low, high): (f64, f64),
        rbm: Rbm,
        training: TrainingConfig,
        seed: u64,
    ) -> Result<Self> {
        check_len(
            "RBM visible units",
            range.end.saturating_sub(range.start),
            rbm.n_visible(),
        )?;
        check_positive("input span (high - low)", high - low)?;
        if training.estimator == Estimator::Exact {
            return Err(PlasticityError::InvalidParameter {
                name: "estimator",
                value: f64::NAN,
                reason: "exact enumeration is too costly for online learning; use CD or PCD",
            });
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let trainer = RbmTrainer::new(&rbm, training, &mut rng)?;
        Ok(Self {
            visible: vec![0.0; rbm.n_visible()],
            range,
            low,
            high,
            initial: rbm.clone(),
            rbm,
            training,
            trainer,
            seed,
            rng,
        })
    }

    /// The RBM as learned so far this episode.
    pub fn rbm(&self) -> &Rbm {
        &self.rbm
    }
}

impl LifetimeModule for RbmFeatures {
    fn extra_inputs(&self) -> usize {
        self.rbm.n_hidden()
    }

    fn on_episode_start(&mut self, _view: &mut dyn SynapseView) -> Result<()> {
        self.rbm.clone_from(&self.initial);
        self.rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        self.trainer = RbmTrainer::new(&self.rbm, self.training, &mut self.rng)?;
        Ok(())
    }

    fn before_activation(&mut self, inputs: &[f64], extended: &mut [f64]) -> Result<()> {
        pass_through(inputs, extended, self.extra_inputs(), &self.range)?;
        let span = self.high - self.low;
        for (v, &x) in self.visible.iter_mut().zip(&inputs[self.range.clone()]) {
            *v = ((x - self.low) / span).clamp(0.0, 1.0);
        }
        let batch =
            ArrayView2::from_shape((1, self.visible.len()), &self.visible).map_err(|_| {
                PlasticityError::DimensionMismatch {
                    what: "RBM observation",
                    expected: self.rbm.n_visible(),
                    found: self.visible.len(),
                }
            })?;
        self.trainer.step(&mut self.rbm, batch, &mut self.rng)?;
        self.rbm
            .hidden_probs_into(&self.visible, &mut extended[inputs.len()..])
    }
}

/// "Use it or lose it" during the lifetime: tracks each connection's running
/// |w·pre| and, every `interval` steps after `warmup`, disables enabled connections
/// whose usage is below `threshold`, in index order, unless that would cut the last
/// path from `inputs` to one of `outputs` (node indices of the view).
#[derive(Debug, Clone)]
pub struct ActivityPruning {
    rate: f64,
    threshold: f64,
    warmup: usize,
    interval: usize,
    inputs: Vec<usize>,
    outputs: Vec<usize>,
    tracker: ActivityTracker,
    guard: OutputPathGuard,
    alive: Vec<bool>,
    steps: usize,
}

impl ActivityPruning {
    /// See the type docs. `rate` ∈ (0, 1], `threshold` ≥ 0, `interval` ≥ 1.
    pub fn new(
        rate: f64,
        threshold: f64,
        warmup: usize,
        interval: usize,
        inputs: Vec<usize>,
        outputs: Vec<usize>,
    ) -> Result<Self> {
        if !(threshold >= 0.0 && threshold.is_finite()) {
            return Err(PlasticityError::InvalidParameter {
                name: "threshold",
                value: threshold,
                reason: "must be finite and >= 0",
            });
        }
        if interval == 0 {
            return Err(PlasticityError::InvalidParameter {
                name: "interval",
                value: 0.0,
                reason: "must be at least one step",
            });
        }
        Ok(Self {
            tracker: ActivityTracker::new(0, rate)?,
            guard: OutputPathGuard::new(&[], &inputs, &outputs),
            rate,
            threshold,
            warmup,
            interval,
            inputs,
            outputs,
            alive: Vec::new(),
            steps: 0,
        })
    }

    /// Running usage of every connection this episode.
    pub fn usage(&self) -> &[f64] {
        self.tracker.usage()
    }
}

impl LifetimeModule for ActivityPruning {
    fn on_episode_start(&mut self, view: &mut dyn SynapseView) -> Result<()> {
        let count = view.connection_count();
        let edges: Vec<(usize, usize)> = (0..count)
            .map(|k| {
                let syn = view.connection(k);
                (syn.source, syn.target)
            })
            .collect();
        self.guard = OutputPathGuard::new(&edges, &self.inputs, &self.outputs);
        self.tracker = ActivityTracker::new(count, self.rate)?;
        self.alive = vec![true; count];
        self.steps = 0;
        Ok(())
    }

    fn after_activation(&mut self, view: &mut dyn SynapseView) -> Result<()> {
        check_len("connections", self.alive.len(), view.connection_count())?;
        for k in 0..self.alive.len() {
            let syn = view.connection(k);
            self.alive[k] = syn.enabled;
            if syn.enabled {
                self.tracker
                    .observe(k, syn.weight, view.activation(syn.source));
            }
        }
        self.steps += 1;
        if self.steps < self.warmup || !self.steps.is_multiple_of(self.interval) {
            return Ok(());
        }
        for k in 0..self.alive.len() {
            if self.alive[k]
                && self.tracker.usage()[k] < self.threshold
                && self.guard.allows_removal(k, &self.alive)
            {
                self.alive[k] = false;
                view.set_enabled(k, false);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
