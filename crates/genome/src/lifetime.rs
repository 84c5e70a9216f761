//! The `neat.lifetime` section: lifetime-learning modules an experiment switches
//! on, as plain settings.
//!
//! This crate only describes the modules; `sprout-evolve` builds them (from
//! `sprout-plasticity`) around every compiled network and drives them during play:
//! each episode starts with the genome's weights (unless `neat.lamarckian` is set),
//! every observation passes through the modules that read inputs (they may complete
//! it or append features), and after every activation the modules that change
//! synapses run. Modules that append inputs make genomes wider:
//! [`NeatConfig::genome_inputs`](crate::NeatConfig::genome_inputs) counts them.
//!
//! ```ron
//! lifetime: [
//!     Hopfield(inputs: Range(0, 169), capacity: 32, beta: 0.2, mode: Replace, missing: Some(0.5)),
//!     Rbm(hidden: 8, learning_rate: 0.05),
//!     Hebbian(eta: 0.01, a: 1.0),
//!     ActivityPruning(threshold: 0.01),
//! ],
//! ```

use serde::{Deserialize, Serialize};

use crate::config_error::ConfigError;

/// One module of `neat.lifetime`. Modules run in the order listed: input modules
/// chain (each sees the inputs as the previous one left them, appended values
/// included), synapse modules run one after the other after each activation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LifetimeModuleSpec {
    /// One shared generalised Hebbian rule on every live connection.
    Hebbian(HebbianSpec),
    /// An associative memory of the episode's observations that completes
    /// occluded inputs or appends what it recalls.
    Hopfield(HopfieldSpec),
    /// Online RBM feature learning on the observations; its hidden
    /// probabilities become extra inputs.
    Rbm(RbmSpec),
    /// "Use it or lose it" pruning of connections that carry little signal.
    ActivityPruning(PruningSpec),
}

/// `Hebbian(…)`: after every activation each live connection changes by
/// Δw = η·(A·pre·post + B·pre + C·post + D) (gated by tanh(m/2) of the modulatory
/// output when `modulated`), then is clipped and, optionally, each neuron's
/// incoming weights are renormalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HebbianSpec {
    /// Learning rate η. Default 0.01.
    pub eta: f64,
    /// Correlation coefficient A (pre·post). Default 1.0 (plain Hebb).
    pub a: f64,
    /// Presynaptic coefficient B. Default 0.
    pub b: f64,
    /// Postsynaptic coefficient C. Default 0.
    pub c: f64,
    /// Constant drift D. Default 0.
    pub d: f64,
    /// Gate every update by tanh(m/2) of the modulatory output m: genomes get
    /// one more output, the last, linear, which drives nothing but learning
    /// (shared with `plasticity: Some((modulated: true))` when both are set).
    /// Default false.
    pub modulated: bool,
    /// Learned weights are clipped to ±this. Default 8.0.
    pub bound: f64,
    /// When set, each neuron's incoming weights are rescaled to this Euclidean
    /// norm after every update. Default none.
    pub normalise: Option<f64>,
    /// Make η, A, B, C and D genes: every genome carries its own copy, starting
    /// from the values above, mutated and inherited (see `neat.module_genes`).
    /// η must then be > 0 (the sign is A–D's). Default false.
    pub evolve: bool,
}

impl Default for HebbianSpec {
    fn default() -> Self {
        Self {
            eta: 0.01,
            a: 1.0,
            b: 0.0,
            c: 0.0,
            d: 0.0,
            modulated: false,
            bound: 8.0,
            normalise: None,
            evolve: false,
        }
    }
}

/// The inputs a module reads, counted in the inputs it receives (the task's
/// observation first, then what earlier modules appended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum InputSpan {
    /// The task's whole observation (not what earlier modules appended).
    #[default]
    All,
    /// Inputs `start..end` (end excluded).
    Range(usize, usize),
}

/// What a Hopfield module does with what it recalls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HopfieldMode {
    /// Overwrite its input range: only the cells that read `missing`, if set;
    /// else the whole range (denoising). Adds no input.
    Replace,
    /// Keep the inputs and append the recalled pattern (as many inputs as the
    /// range is wide).
    Append,
}

/// `Hopfield(…)`: a modern Hopfield memory (Ramsauer et al. 2020) over a range of
/// the inputs, emptied at each episode start. Each observation is completed by
/// one retrieval step ξ ← X·softmax(β·Xᵀξ) (occluded cells read as 0 in the
/// query) and then stored, if none of its cells is occluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HopfieldSpec {
    /// The inputs it covers: `All` (default: the task's observation) or
    /// `Range(start, end)`.
    pub inputs: InputSpan,
    /// Observations it holds; when full, the oldest is overwritten. Default 32.
    pub capacity: usize,
    /// Inverse temperature β of the retrieval. Default 1.0.
    pub beta: f64,
    /// `Replace` (default) or `Append`.
    pub mode: HopfieldMode,
    /// The value that marks an occluded input. Default none.
    pub missing: Option<f64>,
    /// Make β a gene (see `neat.module_genes`). Default false.
    pub evolve: bool,
}

impl Default for HopfieldSpec {
    fn default() -> Self {
        Self {
            inputs: InputSpan::All,
            capacity: 32,
            beta: 1.0,
            mode: HopfieldMode::Replace,
            missing: None,
            evolve: false,
        }
    }
}

/// `Rbm(…)`: a binary RBM over a range of the inputs (scaled from `[low, high]` to
/// `[0, 1]`) that takes one contrastive-divergence step per observation during
/// the episode; its hidden probabilities p(h | v) are appended as inputs. It
/// starts every episode from the same random weights (drawn from `seed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RbmSpec {
    /// The inputs it covers: `All` (default: the task's observation) or
    /// `Range(start, end)`.
    pub inputs: InputSpan,
    /// Hidden units, which is also the number of inputs it appends. Default 8.
    pub hidden: usize,
    /// Input value that maps to 0. Default -1.0.
    pub low: f64,
    /// Input value that maps to 1. Default 1.0.
    pub high: f64,
    /// Step size. Default 0.05.
    pub learning_rate: f64,
    /// Gibbs steps per update (CD-k). Default 1.
    pub cd_k: usize,
    /// Momentum in [0, 1). Default 0.
    pub momentum: f64,
    /// L2 weight decay. Default 0.
    pub weight_decay: f64,
    /// Standard deviation of the initial weights. Default 0.01.
    pub init_std: f64,
    /// Seed of the initial weights and of the Gibbs sampler (the same for every
    /// genome and episode, so evaluations stay reproducible). Default 0.
    pub seed: u64,
    /// Make the learning rate a gene (see `neat.module_genes`). Default false.
    pub evolve: bool,
}

impl Default for RbmSpec {
    fn default() -> Self {
        Self {
            inputs: InputSpan::All,
            hidden: 8,
            low: -1.0,
            high: 1.0,
            learning_rate: 0.05,
            cd_k: 1,
            momentum: 0.0,
            weight_decay: 0.0,
            init_std: 0.01,
            seed: 0,
            evolve: false,
        }
    }
}

/// `ActivityPruning(…)`: tracks each connection's running mean of |w·pre| and,
/// every `interval` activations after `warmup`, disables the live connections
/// whose usage is below `threshold`, never the last path from the inputs to an
/// output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PruningSpec {
    /// Rate of the running mean, in (0, 1]. Default 0.05.
    pub rate: f64,
    /// Usage below which a connection is pruned. Default 0.01.
    pub threshold: f64,
    /// Activations before the first pruning. Default 20.
    pub warmup: usize,
    /// Activations between prunings. Default 10.
    pub interval: usize,
    /// Make the threshold a gene (see `neat.module_genes`); it must then be
    /// > 0. Default false.
    pub evolve: bool,
}

impl Default for PruningSpec {
    fn default() -> Self {
        Self {
            rate: 0.05,
            threshold: 0.01,
            warmup: 20,
            interval: 10,
            evolve: false,
        }
    }
}

impl LifetimeModuleSpec {
    /// The module's name as written in experiment files.
    pub fn name(&self) -> &'static str {
        match self {
            LifetimeModuleSpec::Hebbian(_) => "Hebbian",
            LifetimeModuleSpec::Hopfield(_) => "Hopfield",
            LifetimeModuleSpec::Rbm(_) => "Rbm",
            LifetimeModuleSpec::ActivityPruning(_) => "ActivityPruning",
        }
    }

    /// The input range `(start, end)` the module covers for a task with
    /// `task_inputs` inputs (None for modules that read no inputs).
    pub fn input_range(&self, task_inputs: usize) -> Option<(usize, usize)> {
        let range = |r: InputSpan| match r {
            InputSpan::All => Some((0, task_inputs)),
            InputSpan::Range(start, end) => Some((start, end)),
        };
        match self {
            LifetimeModuleSpec::Hopfield(h) => range(h.inputs),
            LifetimeModuleSpec::Rbm(r) => range(r.inputs),
            LifetimeModuleSpec::Hebbian(_) | LifetimeModuleSpec::ActivityPruning(_) => None,
        }
    }

    /// How many inputs the module appends, for a task with `task_inputs` inputs.
    pub fn extra_inputs(&self, task_inputs: usize) -> usize {
        match self {
            LifetimeModuleSpec::Hopfield(h) if h.mode == HopfieldMode::Append => self
                .input_range(task_inputs)
                .map_or(0, |(start, end)| end.saturating_sub(start)),
            LifetimeModuleSpec::Rbm(r) => r.hidden,
            _ => 0,
        }
    }

    /// Whether the module appends one input per task input, whatever their count
    /// (a Hopfield memory over `All` inputs in `Append` mode): its extra inputs
    /// grow with the task, unlike every other module's.
    pub fn appends_a_copy_of_every_input(&self) -> bool {
        matches!(
            self,
            LifetimeModuleSpec::Hopfield(h) if h.mode == HopfieldMode::Append && h.inputs == InputSpan::All
        )
    }

    /// Whether the module reads (and may change or extend) the inputs.
    pub fn reads_inputs(&self) -> bool {
        self.input_range(0).is_some()
    }

    /// Checks the module's settings. `at` is its field path
    /// (`lifetime[2]`); errors name `at.<field>`.
    pub fn validate(&self, at: &str) -> Result<(), ConfigError> {
        let field = |name: &str| format!("{at}.{name}");
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(ConfigError::new(field(name), format!("{v} must be finite")))
            }
        };
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(ConfigError::new(
                    field(name),
                    format!("{v} must be a finite number > 0"),
                ))
            }
        };
        let range = |r: InputSpan| match r {
            InputSpan::Range(start, end) if start >= end => Err(ConfigError::new(
                field("inputs"),
                format!("Range({start}, {end}) is empty: start must be below end"),
            )),
            _ => Ok(()),
        };
        match self {
            LifetimeModuleSpec::Hebbian(h) => {
                for (name, v) in [
                    ("eta", h.eta),
                    ("a", h.a),
                    ("b", h.b),
                    ("c", h.c),
                    ("d", h.d),
                ] {
                    finite(name, v)?;
                }
                positive("bound", h.bound)?;
                if let Some(norm) = h.normalise {
                    positive("normalise", norm)?;
                }
            }
            LifetimeModuleSpec::Hopfield(h) => {
                range(h.inputs)?;
                if h.capacity == 0 {
                    return Err(ConfigError::new(field("capacity"), "must be at least 1"));
                }
                positive("beta", h.beta)?;
                if let Some(m) = h.missing
                    && m.is_infinite()
                {
                    return Err(ConfigError::new(
                        field("missing"),
                        format!("{m} must be finite (or NaN)"),
                    ));
                }
            }
            LifetimeModuleSpec::Rbm(r) => {
                range(r.inputs)?;
                if r.hidden == 0 {
                    return Err(ConfigError::new(field("hidden"), "must be at least 1"));
                }
                finite("low", r.low)?;
                finite("high", r.high)?;
                if r.high <= r.low {
                    return Err(ConfigError::new(
                        field("high"),
                        format!("{} must be above low ({})", r.high, r.low),
                    ));
                }
                positive("learning_rate", r.learning_rate)?;
                if r.cd_k == 0 {
                    return Err(ConfigError::new(field("cd_k"), "must be at least 1"));
                }
                if !(0.0..1.0).contains(&r.momentum) {
                    return Err(ConfigError::new(
                        field("momentum"),
                        format!("{} is not in [0, 1)", r.momentum),
                    ));
                }
                if !(r.weight_decay.is_finite() && r.weight_decay >= 0.0) {
                    return Err(ConfigError::new(
                        field("weight_decay"),
                        format!("{} must be a finite number ≥ 0", r.weight_decay),
                    ));
                }
                if !(r.init_std.is_finite() && r.init_std >= 0.0) {
                    return Err(ConfigError::new(
                        field("init_std"),
                        format!("{} must be a finite number ≥ 0", r.init_std),
                    ));
                }
            }
            LifetimeModuleSpec::ActivityPruning(p) => {
                if !(p.rate > 0.0 && p.rate <= 1.0) {
                    return Err(ConfigError::new(
                        field("rate"),
                        format!("{} is not in (0, 1]", p.rate),
                    ));
                }
                if !(p.threshold.is_finite() && p.threshold >= 0.0) {
                    return Err(ConfigError::new(
                        field("threshold"),
                        format!("{} must be a finite number ≥ 0", p.threshold),
                    ));
                }
                if p.interval == 0 {
                    return Err(ConfigError::new(field("interval"), "must be at least 1"));
                }
            }
        }
        Ok(())
    }
}
