//! Lifetime-learning modules around a compiled network: the evaluation loop's
//! observe → modules → activate → modules step.
//!
//! [`NetworkAgent`](crate::NetworkAgent) builds a [`Lifetime`] from
//! `neat.lifetime` and drives it:
//! - at each episode start, the network's weights go back to the genome's (unless
//!   `neat.lamarckian`), and every module resets its own state;
//! - before each activation, the observation runs through the modules that read
//!   inputs, in order, each writing into its own buffer (completing occluded
//!   values or appending features); the last buffer is the network's input;
//! - after each activation, the modules that change synapses (Hebbian rules,
//!   pruning) run over a [`SynapseView`] of the network.
//!
//! Every buffer is allocated when the agent is built; a step allocates nothing.
//! Pruning is a mask kept here: a pruned link's weight is held aside and the
//! network sees 0, so the network's own hot loop has no mask to test.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    Genome, HebbianSpec, HopfieldMode, HopfieldSpec, LifetimeModuleSpec, NeatConfig, PruningSpec,
    RbmSpec,
};
use sprout_network::Network;
use sprout_plasticity::hebbian::{Abcd, Normalisation, WeightBounds, WeightConstraints};
use sprout_plasticity::module::{
    ActivityPruning, CompletionMode, HebbianModule, HopfieldMemory, RbmFeatures, RuleAssignment,
};
use sprout_plasticity::rbm::{Estimator, Rbm, TrainingConfig};
use sprout_plasticity::{LifetimeModule, PlasticityError, Synapse, SynapseView};

/// One built module (an enum rather than boxes, so agents stay `Clone`).
#[derive(Debug, Clone)]
enum Module {
    Hebbian(HebbianModule),
    Hopfield(HopfieldMemory),
    Rbm(Box<RbmFeatures>),
    Pruning(ActivityPruning),
}

impl Module {
    fn get(&mut self) -> &mut dyn LifetimeModule {
        match self {
            Module::Hebbian(m) => m,
            Module::Hopfield(m) => m,
            Module::Rbm(m) => m.as_mut(),
            Module::Pruning(m) => m,
        }
    }
}

/// A module that reads the inputs, with the buffer it writes them into.
#[derive(Debug, Clone)]
struct InputStage {
    /// Position in `neat.lifetime`.
    index: usize,
    module: Module,
    output: Vec<f64>,
}

/// The per-network state of the lifetime modules (see the module docs).
#[derive(Debug, Clone)]
pub struct Lifetime {
    /// Observation values the task hands over per step.
    observations: usize,
    /// Modules that read the inputs, in order.
    inputs: Vec<InputStage>,
    /// Modules that change synapses, in order, with their positions in
    /// `neat.lifetime`.
    synapses: Vec<(usize, Module)>,
    /// The compiled (genome) weights, restored at each episode start.
    initial_weights: Vec<f64>,
    /// Link targets and the pruning mask.
    links: Links,
    /// Keep weights and masks from episode to episode.
    lamarckian: bool,
}

/// A lifetime module that could not be built for a network.
#[derive(Debug, thiserror::Error)]
#[error("neat.lifetime[{index}] ({name}): {source}")]
pub struct LifetimeError {
    /// Position of the module in `neat.lifetime`.
    pub index: usize,
    /// The module's name.
    pub name: &'static str,
    /// What the module rejected.
    pub source: PlasticityError,
}

impl Lifetime {
    /// The modules of `neat.lifetime` around `network`, whose task hands over
    /// `observations` values per step; the settings of modules with
    /// `evolve: true` come from `module_params` (the genome's, see
    /// [`sprout_genome::module_genes`]). Fails if a module rejects its settings
    /// or its input range.
    ///
    /// # Panics
    /// When `module_params` does not hold one value per module gene (genomes are
    /// checked when loaded, [`Genome::check_for`]).
    pub fn new(
        network: &mut Network,
        neat: &NeatConfig,
        observations: usize,
        module_params: &[f64],
    ) -> Result<Self, LifetimeError> {
        let mut inputs = Vec::new();
        let mut synapses = Vec::new();
        let mut received = observations;
        let mut params = module_params;
        for (index, spec) in neat.lifetime.iter().enumerate() {
            let wrap = |source| LifetimeError {
                index,
                name: spec.name(),
                source,
            };
            let (own, rest) = params.split_at(spec.genes().len());
            params = rest;
            let evolved;
            let spec = if own.is_empty() {
                spec
            } else {
                evolved = spec.with_gene_values(own);
                &evolved
            };
            let range = spec.input_range(observations).map(|(s, e)| s..e);
            let module = build(spec, range.clone(), network).map_err(wrap)?;
            if let Some(range) = range {
                if range.end > received {
                    return Err(wrap(PlasticityError::IndexOutOfRange {
                        what: "module input range end",
                        index: range.end,
                        len: received,
                    }));
                }
                received += spec.extra_inputs(observations);
                inputs.push(InputStage {
                    index,
                    module,
                    output: vec![0.0; received],
                });
            } else {
                synapses.push((index, module));
            }
        }
        let links = network.connections();
        let mut lifetime = Self {
            observations,
            inputs,
            synapses,
            initial_weights: network.weights().to_vec(),
            links: Links {
                targets: network.link_targets(),
                enabled: vec![true; links],
                held: vec![0.0; links],
                pruned: 0,
            },
            lamarckian: neat.lamarckian,
        };
        lifetime.start_modules(network).map_err(|(index, source)| {
            let spec = &neat.lifetime[index];
            LifetimeError {
                index,
                name: spec.name(),
                source,
            }
        })?;
        Ok(lifetime)
    }

    /// Inputs the network receives per step (observations plus appended ones).
    pub fn network_inputs(&self) -> usize {
        self.inputs
            .last()
            .map_or(self.observations, |stage| stage.output.len())
    }

    /// Starts an episode: the genome's weights and an empty pruning mask (unless
    /// Lamarckian), fresh recurrent state, and every module's own reset.
    pub fn reset(&mut self, network: &mut Network) {
        if self.lamarckian {
            network.reset_state();
        } else {
            network.reset();
            network
                .learning_parts()
                .2
                .copy_from_slice(&self.initial_weights);
            self.links.enabled.fill(true);
            self.links.pruned = 0;
        }
        if let Err((index, e)) = self.start_modules(network) {
            panic!("neat.lifetime[{index}] failed at episode start: {e}");
        }
    }

    /// Calls every module's episode-start hook, in the configured order of each
    /// kind; the error carries the module's index among all modules.
    fn start_modules(&mut self, network: &mut Network) -> Result<(), (usize, PlasticityError)> {
        let mut view = View::new(network, &mut self.links);
        let modules = self
            .inputs
            .iter_mut()
            .map(|stage| (stage.index, &mut stage.module))
            .chain(self.synapses.iter_mut().map(|(i, m)| (*i, m)));
        for (index, module) in modules {
            module
                .get()
                .on_episode_start(&mut view)
                .map_err(|e| (index, e))?;
        }
        Ok(())
    }

    /// One decision: observation → input modules → network → synapse modules.
    /// Returns the network's outputs.
    ///
    /// # Panics
    /// When `observation` does not have the length the agent was built for, or a
    /// module fails (both programming errors: settings are checked at build).
    pub fn act<'n>(&mut self, network: &'n mut Network, observation: &[f64]) -> &'n [f64] {
        assert_eq!(
            observation.len(),
            self.observations,
            "wrong number of observations"
        );
        let mut input = observation;
        for stage in &mut self.inputs {
            if let Err(e) = stage
                .module
                .get()
                .before_activation(input, &mut stage.output)
            {
                panic!("neat.lifetime[{}]: {e}", stage.index);
            }
            let done: &Vec<f64> = &stage.output;
            input = done;
        }
        network.activate(input);
        if self.links.pruned > 0 && network.is_plastic() {
            // The network's own rules may have moved a pruned link: pruned
            // links carry nothing.
            let weights = network.learning_parts().2;
            for (w, _) in weights
                .iter_mut()
                .zip(&self.links.enabled)
                .filter(|(_, e)| !**e)
            {
                *w = 0.0;
            }
        }
        if !self.synapses.is_empty() {
            let mut view = View::new(network, &mut self.links);
            for (index, module) in &mut self.synapses {
                if let Err(e) = module.get().after_activation(&mut view) {
                    panic!("neat.lifetime[{index}]: {e}");
                }
            }
        }
        network.last_outputs()
    }

    /// The weight and enabled flag of every link as learned so far (a pruned
    /// link reports the weight it would have).
    pub fn link_state(&self, network: &Network) -> Vec<(f64, bool)> {
        network
            .weights()
            .iter()
            .zip(&self.links.enabled)
            .zip(&self.links.held)
            .map(|((&w, &e), &h)| if e { (w, true) } else { (h, false) })
            .collect()
    }

    /// Whether some module changes synapses (weights or the pruning mask).
    pub fn changes_synapses(&self) -> bool {
        !self.synapses.is_empty()
    }

    /// Whether link `k` is currently enabled (not pruned).
    pub fn is_enabled(&self, k: usize) -> bool {
        self.links.enabled[k]
    }
}

/// Builds one module. `range` is its input range (for modules that read inputs).
fn build(
    spec: &LifetimeModuleSpec,
    range: Option<std::ops::Range<usize>>,
    network: &Network,
) -> Result<Module, PlasticityError> {
    let range = range.unwrap_or(0..0);
    Ok(match spec {
        LifetimeModuleSpec::Hebbian(h) => Module::Hebbian(hebbian(h)?),
        LifetimeModuleSpec::Hopfield(HopfieldSpec {
            capacity,
            beta,
            mode,
            missing,
            ..
        }) => Module::Hopfield(HopfieldMemory::new(
            range,
            *capacity,
            *beta,
            match mode {
                HopfieldMode::Replace => CompletionMode::Replace,
                HopfieldMode::Append => CompletionMode::Append,
            },
            *missing,
        )?),
        LifetimeModuleSpec::Rbm(r) => Module::Rbm(Box::new(rbm(r, range)?)),
        LifetimeModuleSpec::ActivityPruning(PruningSpec {
            rate,
            threshold,
            warmup,
            interval,
            ..
        }) => {
            // Every input slot and the bias count as inputs; the outputs are the
            // action outputs.
            let inputs = (0..=network.inputs()).collect();
            let outputs = network.output_slots().collect();
            Module::Pruning(ActivityPruning::new(
                *rate, *threshold, *warmup, *interval, inputs, outputs,
            )?)
        }
    })
}

fn hebbian(h: &HebbianSpec) -> Result<HebbianModule, PlasticityError> {
    let rule = Abcd {
        eta: h.eta,
        a: h.a,
        b: h.b,
        c: h.c,
        d: h.d,
    };
    let constraints = WeightConstraints {
        bounds: Some(WeightBounds::new(-h.bound, h.bound)?),
        normalisation: h.normalise.map_or(Normalisation::None, |norm| {
            Normalisation::Multiplicative { norm }
        }),
    };
    HebbianModule::new(RuleAssignment::Shared(rule), h.modulated, constraints)
}

fn rbm(r: &RbmSpec, range: std::ops::Range<usize>) -> Result<RbmFeatures, PlasticityError> {
    // The initial weights and the sampler draw from two streams of the seed.
    let mut init = Xoshiro256PlusPlus::seed_from_u64(r.seed ^ 0x5EED_1417_0000_0001);
    let machine = Rbm::new(range.len(), r.hidden, r.init_std, &mut init)?;
    let training = TrainingConfig {
        estimator: Estimator::ContrastiveDivergence { k: r.cd_k },
        learning_rate: r.learning_rate,
        momentum: r.momentum,
        weight_decay: r.weight_decay,
    };
    RbmFeatures::new(range, (r.low, r.high), machine, training, r.seed)
}

/// What the lifetime keeps about each link of the network: its target slot
/// and the pruning mask.
#[derive(Debug, Clone)]
struct Links {
    /// Target slot of every link.
    targets: Vec<u32>,
    /// Whether each link is enabled (not pruned).
    enabled: Vec<bool>,
    /// The weight a pruned link would have (the network holds 0 meanwhile).
    held: Vec<f64>,
    /// Number of pruned links.
    pruned: usize,
}

/// The network as lifetime modules see it: node values by slot, links in the
/// network's order, and the pruning mask.
struct View<'a> {
    values: &'a [f64],
    sources: &'a [u32],
    weights: &'a mut [f64],
    modulator: Option<usize>,
    links: &'a mut Links,
}

impl<'a> View<'a> {
    fn new(network: &'a mut Network, links: &'a mut Links) -> Self {
        let modulator = network.modulator_slot();
        let (values, sources, weights) = network.learning_parts();
        Self {
            values,
            sources,
            weights,
            modulator,
            links,
        }
    }
}

impl SynapseView for View<'_> {
    fn node_count(&self) -> usize {
        self.values.len()
    }

    #[inline]
    fn activation(&self, node: usize) -> f64 {
        self.values[node]
    }

    #[inline]
    fn modulation(&self, _node: usize) -> f64 {
        self.modulator.map_or(0.0, |slot| self.values[slot])
    }

    fn connection_count(&self) -> usize {
        self.weights.len()
    }

    #[inline]
    fn connection(&self, index: usize) -> Synapse {
        let enabled = self.links.enabled[index];
        Synapse {
            source: self.sources[index] as usize,
            target: self.links.targets[index] as usize,
            weight: if enabled {
                self.weights[index]
            } else {
                self.links.held[index]
            },
            enabled,
        }
    }

    #[inline]
    fn set_weight(&mut self, index: usize, weight: f64) {
        if self.links.enabled[index] {
            self.weights[index] = weight;
        } else {
            self.links.held[index] = weight;
        }
    }

    fn set_enabled(&mut self, index: usize, enabled: bool) {
        let links = &mut *self.links;
        if links.enabled[index] == enabled {
            return;
        }
        if enabled {
            self.weights[index] = links.held[index];
            links.pruned -= 1;
        } else {
            links.held[index] = self.weights[index];
            self.weights[index] = 0.0;
            links.pruned += 1;
        }
        links.enabled[index] = enabled;
    }
}

/// `genome` with the weights (and pruned links) `network` learned: every live
/// link's weight, clamped to ±`neat.weight_limit` (non-finite weights are left as
/// they were), goes into its connection gene, and links pruned during the
/// lifetime are disabled. `state` is each link's (weight, enabled), in the
/// network's link order.
pub fn write_back(
    genome: &Genome,
    network: &Network,
    state: &[(f64, bool)],
    neat: &NeatConfig,
) -> Genome {
    let mut learned = genome.clone();
    let slot_ids = network.slot_ids();
    let targets = network.link_targets();
    for ((&source, &target), &(weight, enabled)) in
        network.link_sources().iter().zip(&targets).zip(state)
    {
        let (source, target) = (slot_ids[source as usize], slot_ids[target as usize]);
        // Genomes never join a pair of nodes twice.
        if let Some(gene) = learned
            .conns
            .iter_mut()
            .find(|c| c.enabled && c.source == source && c.target == target)
        {
            if weight.is_finite() {
                gene.weight = weight.clamp(-neat.weight_limit, neat.weight_limit);
            }
            gene.enabled = enabled;
        }
    }
    learned
}
