//! NEAT parameters, read from the `neat` section of an experiment file.
//!
//! Every field has a default (the NEAT paper's value where the paper gives one), so
//! a config names only what it changes. Unknown fields are rejected, and
//! [`NeatConfig::validate`] rejects out-of-range values with the field's name.

use serde::{Deserialize, Serialize};

pub use crate::config_error::ConfigError;
use crate::gene::Activation;
use crate::lifetime::LifetimeModuleSpec;
use crate::module_genes::{ModuleGene, ModuleGenesConfig};
use crate::rules::{
    Elitism, EnableMutation, Obliterate, PopulationRestart, Representative, StagnationPenalty,
    SuccessCheck, SurvivalRule, TieGenes, WeightMutation,
};

/// How the first generation is wired.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum InitialConnection {
    /// Every input and the bias connect to every output (the NEAT paper).
    Full,
    /// No connections: structure grows from nothing (MarI/O, many inputs).
    Unconnected,
    /// Each input→output link exists with this probability.
    Partial(f64),
}

/// How a recurrent network advances one step. Feed-forward networks always
/// compute every node from the current inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stepping {
    /// Nodes update once per step in topological order of their strongly
    /// connected components: feed-forward paths react within the step, and only
    /// links that close a cycle read the previous step's value.
    Ordered,
    /// Every node reads every source's value from the previous step (inputs are
    /// current): each link is a one-step delay, as in the NEAT reference code and
    /// neat-python's RecurrentNetwork. Delays let a network difference its inputs,
    /// which is how it can estimate velocities it is not given.
    Synchronous,
}

/// All NEAT parameters. Field docs give the meaning and the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NeatConfig {
    /// Genomes per generation, kept exactly in every generation. Default 150.
    pub population_size: usize,
    /// Wiring of generation 0. Default `Full`.
    pub initial_connection: InitialConnection,
    /// When true, add-connection never creates a cycle and networks are activated
    /// once per input in topological order. When false, recurrent links (and
    /// self-loops) may appear and networks keep state between steps. Default true.
    pub feed_forward: bool,
    /// How recurrent networks step (ignored when `feed_forward`). Default
    /// `Ordered`.
    pub recurrent_stepping: Stepping,
    /// Activation of new hidden nodes. Default `SteepSigmoid`.
    pub hidden_activation: Activation,
    /// Activation of output nodes. Default `SteepSigmoid`.
    pub output_activation: Activation,
    /// Choices for activation mutation of hidden nodes. Default: only
    /// `hidden_activation`.
    pub activation_options: Vec<Activation>,

    /// Initial weights are uniform in ±this. Default 1.0.
    pub weight_init_range: f64,
    /// Weights are clamped to ±this. Default 8.0.
    pub weight_limit: f64,
    /// Chance that a genome's weights are mutated at all. Default 0.8.
    pub weight_mutation_prob: f64,
    /// Per gene, when a genome's weights mutate: chance that this gene's weight
    /// changes at all. Default 1.0 (every weight, as in the paper).
    pub weight_gene_prob: f64,
    /// Per changed gene: chance of a perturbation; otherwise the weight is
    /// replaced. Default 0.9.
    pub weight_perturb_prob: f64,
    /// Standard deviation of a Gaussian weight perturbation. Default 0.5.
    pub weight_perturb_power: f64,
    /// Replaced weights are uniform in ±this. Default 2.0.
    pub weight_replace_range: f64,

    /// Chance per genome that every node bias is mutated (perturbed with
    /// `weight_perturb_prob`, else replaced). Default 0.0: the bias node carries the
    /// bias, as in the paper.
    pub bias_mutation_prob: f64,
    /// Standard deviation of a bias perturbation. Default 0.5.
    pub bias_perturb_power: f64,
    /// Replaced biases are uniform in ±this. Default 1.0.
    pub bias_replace_range: f64,
    /// Chance per genome that one hidden node's activation is redrawn from
    /// `activation_options`. Default 0.0.
    pub activation_mutation_prob: f64,

    /// Chance per genome of an add-node mutation. Default 0.03.
    pub add_node_prob: f64,
    /// Chance per genome of an add-connection mutation. Default 0.05.
    pub add_connection_prob: f64,
    /// Attempts to find an unconnected pair in one add-connection mutation.
    /// Default 20.
    pub add_connection_tries: usize,
    /// Chance per genome that one random connection flips enabled. Default 0.0.
    pub toggle_enable_prob: f64,
    /// Chance per genome that a disabled connection is re-enabled (when it can be
    /// without a cycle). Default 0.0.
    pub reenable_prob: f64,
    /// Chance per genome of deleting a random connection. Default 0.0.
    pub delete_connection_prob: f64,
    /// Chance per genome of deleting a random hidden node and its links.
    /// Default 0.0.
    pub delete_node_prob: f64,

    /// c1: weight of excess genes in the compatibility distance. Default 1.0.
    pub compat_excess: f64,
    /// c2: weight of disjoint genes. Default 1.0.
    pub compat_disjoint: f64,
    /// c3: weight of the mean weight difference of matching genes. Default 0.4.
    pub compat_weight: f64,
    /// Genomes with fewer genes than this use N = 1 (the paper: 20). Default 20.
    pub compat_normalize_min: usize,
    /// δt: genomes closer than this to a species' representative join it.
    /// Default 3.0.
    pub compat_threshold: f64,
    /// When set, δt moves by `threshold_step` each generation toward this many
    /// species. Default none (fixed δt).
    pub target_species: Option<usize>,
    /// Step of the dynamic threshold. Default 0.3.
    pub threshold_step: f64,
    /// Lower bound of the dynamic threshold. Default 0.3.
    pub threshold_min: f64,

    /// A species whose best fitness has not improved for this many generations
    /// stops reproducing. Default 15.
    pub stagnation_limit: u64,
    /// When the population's best fitness has not improved for this many
    /// generations, only the two best species reproduce (the NEAT paper uses 20).
    /// Default none.
    pub population_stagnation: Option<u64>,
    /// This many best species are never removed for stagnation. Default 1.
    pub protected_species: usize,
    /// Species with more members than this copy their champion unchanged into the
    /// next generation (the paper: 5). Default 5.
    pub elitism_min_size: usize,
    /// Fraction of each species (best first) allowed to reproduce. Default 0.2.
    pub survival_threshold: f64,
    /// Share of offspring made by mutation alone, without crossover. Default 0.25.
    pub mutate_only_prob: f64,
    /// Chance that a crossover takes its second parent from another species.
    /// Default 0.001.
    pub interspecies_prob: f64,
    /// Chance that a gene disabled in either parent stays disabled. Default 0.75.
    pub disable_inherit_prob: f64,
    /// Chance that a crossover child also gets the mutations a mutation-only child
    /// gets. Default 1.0.
    pub mutate_after_crossover_prob: f64,

    // Choices between Sprout's rules and the NEAT reference code's (see
    // `crate::rules` and docs/neat-fidelity.md). Every default is Sprout's rule.
    /// How weights mutate: `Gaussian` or `Reference`. Default `Gaussian`.
    pub weight_mutation: WeightMutation,
    /// New connections draw their weight uniformly from ±this (the reference:
    /// 1.0). Default none: ±`weight_replace_range`.
    pub new_connection_weight_range: Option<f64>,
    /// The bias node's value (the reference's DPNV experiment feeds 0.5).
    /// Default 1.0.
    pub bias_value: f64,
    /// Chance that an add-connection mutation looks only for a recurrent link
    /// (one that closes a cycle, is a self-loop or touches an output); otherwise
    /// it looks only for a link that is none of these (the reference: 0.2).
    /// Recurrent genomes only. Default none: any pair.
    pub recurrent_link_prob: Option<f64>,
    /// Which member of the previous generation new genomes are compared with
    /// when they are sorted into species: `Random` or `Champion` (the
    /// reference). Default `Random`.
    pub representative: Representative,
    /// When true, a species allotted no children stays, so children close to its
    /// representative join it (with its age and records) instead of founding a
    /// new species; it dies when none does (the reference places children in
    /// species at birth, and childless species take them). Default false.
    pub keep_childless_species: bool,
    /// How toggle and re-enable pick their connection: `Random` or `Reference`.
    /// Default `Random`.
    pub enable_mutation: EnableMutation,
    /// Whether add-node may split a link from the bias node (the reference
    /// never does). Default true.
    pub split_bias_links: bool,
    /// Where a crossover of equally fit parents takes unmatched genes from:
    /// `Both` or `Smaller` (the reference). Default `Both`.
    pub tie_genes: TieGenes,
    /// When true, a child gets at most one kind of mutation, as in the reference:
    /// add-node, else add-connection, else the rest (weights, toggles, biases,
    /// activations). Default false: every operator fires independently.
    pub exclusive_structural_mutation: bool,
    /// Chance that a crossover averages the weights of matching genes instead of
    /// taking each gene from a random parent (the reference: 0.4). Default 0.0.
    pub crossover_average_prob: f64,
    /// How many of a species' members may be parents: `Ceil` or `FloorPlusOne`.
    /// Default `Ceil`.
    pub survival_rule: SurvivalRule,
    /// Which species keep their champion: `SpeciesSize` or `Offspring`. Default
    /// `SpeciesSize`.
    pub elitism: Elitism,
    /// What a stagnant species suffers: `Remove` or `Scale(factor)`. Default
    /// `Remove`.
    pub stagnation_penalty: StagnationPenalty,
    /// Periodic obliteration of an old, bad species: `Some(every: 30, min_age:
    /// 20)` as in the reference. Default none.
    pub obliterate: Option<Obliterate>,
    /// What `population_stagnation` does: `Refocus` or `DeltaCoding`. Default
    /// `Refocus`.
    pub population_restart: PopulationRestart,
    /// Which genome the task's success check runs on: `Fittest` or
    /// `SpeciesRotation`. Default `Fittest`.
    pub success_check: SuccessCheck,

    /// Lifetime plasticity: per-connection learning-rule genes, evolved with the
    /// weights. Default none (fixed weights; genomes, files and random draws are
    /// exactly those of a run without this section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plasticity: Option<PlasticityConfig>,

    /// Lifetime-learning modules run around every network while it plays, in
    /// this order (see [`LifetimeModuleSpec`]): `Hebbian(…)`, `Hopfield(…)`,
    /// `Rbm(…)`, `ActivityPruning(…)`. Modules that append inputs widen the
    /// genomes ([`NeatConfig::genome_inputs`]). Default none (nothing changes,
    /// down to the files written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lifetime: Vec<LifetimeModuleSpec>,

    /// How the genes of modules with `evolve: true` mutate and count in the
    /// compatibility distance (see [`crate::module_genes`]). Default: 25% of
    /// children perturbed, σ 0.2, coefficients within ±5, c5 = 0.5.
    #[serde(skip_serializing_if = "is_default")]
    pub module_genes: ModuleGenesConfig,

    /// Lamarckian write-back: weights learned during an evaluation (by the
    /// plasticity genes or the lifetime modules) carry over from episode to
    /// episode and are written into the genome that is bred, and connections
    /// pruned during the lifetime are disabled in it. Needs `plasticity` or
    /// `lifetime`. Default false: every episode starts from the genome's weights
    /// and offspring inherit only what evolution found.
    #[serde(skip_serializing_if = "is_false")]
    pub lamarckian: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// The `neat.plasticity` section: how the per-connection plasticity genes
/// ([`PlasticGene`](crate::PlasticGene), the rule Δw = η·(A·pre·post + B·pre +
/// C·post + D)) are drawn, mutated and compared, and how the network applies them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlasticityConfig {
    /// New connections draw η uniformly from ±this. Default 0.5.
    pub eta_init_range: f64,
    /// η is clamped to ±this. Default 1.0.
    pub eta_limit: f64,
    /// Standard deviation of a Gaussian perturbation of η. Default 0.1.
    pub eta_perturb_power: f64,
    /// New connections draw A, B, C and D uniformly from ±this. Default 1.0.
    pub coefficient_init_range: f64,
    /// A, B, C and D are clamped to ±this. Default 5.0.
    pub coefficient_limit: f64,
    /// Standard deviation of a Gaussian perturbation of A, B, C and D.
    /// Default 0.5.
    pub coefficient_perturb_power: f64,
    /// Chance per genome that its plasticity coefficients mutate. Default 0.8.
    pub mutation_prob: f64,
    /// Per gene, when a genome's coefficients mutate: chance that this gene's five
    /// coefficients are perturbed. Default 1.0.
    pub gene_prob: f64,
    /// Weights changed during a lifetime are clipped to ±this. Default 8.0.
    pub lifetime_weight_limit: f64,
    /// c4: weight, in the compatibility distance, of the mean absolute difference
    /// of the plasticity coefficients of matching genes. Default 0.4.
    pub compat_plastic: f64,
    /// Neuromodulation (Soltoggio et al. 2008): genomes get one extra output node,
    /// the last, which is linear and acts on nothing but learning. Its value m
    /// gates every plastic update of the step: Δw = tanh(m/2)·η·(A·pre·post + …).
    /// Default false.
    pub modulated: bool,
}

impl Default for PlasticityConfig {
    fn default() -> Self {
        Self {
            eta_init_range: 0.5,
            eta_limit: 1.0,
            eta_perturb_power: 0.1,
            coefficient_init_range: 1.0,
            coefficient_limit: 5.0,
            coefficient_perturb_power: 0.5,
            mutation_prob: 0.8,
            gene_prob: 1.0,
            lifetime_weight_limit: 8.0,
            compat_plastic: 0.4,
            modulated: false,
        }
    }
}

impl PlasticityConfig {
    /// Checks every field's range; the error's field reads
    /// `plasticity.<field>`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (field, p) in [
            ("plasticity.mutation_prob", self.mutation_prob),
            ("plasticity.gene_prob", self.gene_prob),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(err(field, format!("{p} is not a probability in [0, 1]")));
            }
        }
        for (field, v) in [
            ("plasticity.eta_init_range", self.eta_init_range),
            ("plasticity.eta_perturb_power", self.eta_perturb_power),
            (
                "plasticity.coefficient_init_range",
                self.coefficient_init_range,
            ),
            (
                "plasticity.coefficient_perturb_power",
                self.coefficient_perturb_power,
            ),
            ("plasticity.compat_plastic", self.compat_plastic),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(field, format!("{v} must be a finite number ≥ 0")));
            }
        }
        for (field, v) in [
            ("plasticity.eta_limit", self.eta_limit),
            ("plasticity.coefficient_limit", self.coefficient_limit),
            (
                "plasticity.lifetime_weight_limit",
                self.lifetime_weight_limit,
            ),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(err(field, format!("{v} must be a finite number > 0")));
            }
        }
        for (field, range, limit) in [
            (
                "plasticity.eta_init_range",
                self.eta_init_range,
                self.eta_limit,
            ),
            (
                "plasticity.coefficient_init_range",
                self.coefficient_init_range,
                self.coefficient_limit,
            ),
        ] {
            if range > limit {
                return Err(err(
                    field,
                    format!("{range} exceeds its limit {limit}: new genes would be clamped"),
                ));
            }
        }
        Ok(())
    }
}

impl Default for NeatConfig {
    fn default() -> Self {
        Self {
            population_size: 150,
            initial_connection: InitialConnection::Full,
            feed_forward: true,
            recurrent_stepping: Stepping::Ordered,
            hidden_activation: Activation::SteepSigmoid,
            output_activation: Activation::SteepSigmoid,
            activation_options: Vec::new(),
            weight_init_range: 1.0,
            weight_limit: 8.0,
            weight_mutation_prob: 0.8,
            weight_gene_prob: 1.0,
            weight_perturb_prob: 0.9,
            weight_perturb_power: 0.5,
            weight_replace_range: 2.0,
            bias_mutation_prob: 0.0,
            bias_perturb_power: 0.5,
            bias_replace_range: 1.0,
            activation_mutation_prob: 0.0,
            add_node_prob: 0.03,
            add_connection_prob: 0.05,
            add_connection_tries: 20,
            toggle_enable_prob: 0.0,
            reenable_prob: 0.0,
            delete_connection_prob: 0.0,
            delete_node_prob: 0.0,
            compat_excess: 1.0,
            compat_disjoint: 1.0,
            compat_weight: 0.4,
            compat_normalize_min: 20,
            compat_threshold: 3.0,
            target_species: None,
            threshold_step: 0.3,
            threshold_min: 0.3,
            stagnation_limit: 15,
            population_stagnation: None,
            protected_species: 1,
            elitism_min_size: 5,
            survival_threshold: 0.2,
            mutate_only_prob: 0.25,
            interspecies_prob: 0.001,
            disable_inherit_prob: 0.75,
            mutate_after_crossover_prob: 1.0,
            weight_mutation: WeightMutation::Gaussian,
            new_connection_weight_range: None,
            bias_value: 1.0,
            recurrent_link_prob: None,
            representative: Representative::Random,
            keep_childless_species: false,
            enable_mutation: EnableMutation::Random,
            split_bias_links: true,
            tie_genes: TieGenes::Both,
            exclusive_structural_mutation: false,
            crossover_average_prob: 0.0,
            survival_rule: SurvivalRule::Ceil,
            elitism: Elitism::SpeciesSize,
            stagnation_penalty: StagnationPenalty::Remove,
            obliterate: None,
            population_restart: PopulationRestart::Refocus,
            success_check: SuccessCheck::Fittest,
            plasticity: None,
            lifetime: Vec::new(),
            module_genes: ModuleGenesConfig::default(),
            lamarckian: false,
        }
    }
}

impl NeatConfig {
    /// Checks every field's range. The error names the first offending field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let probabilities = [
            ("weight_mutation_prob", self.weight_mutation_prob),
            ("weight_gene_prob", self.weight_gene_prob),
            ("weight_perturb_prob", self.weight_perturb_prob),
            ("bias_mutation_prob", self.bias_mutation_prob),
            ("activation_mutation_prob", self.activation_mutation_prob),
            ("add_node_prob", self.add_node_prob),
            ("add_connection_prob", self.add_connection_prob),
            ("toggle_enable_prob", self.toggle_enable_prob),
            ("reenable_prob", self.reenable_prob),
            ("delete_connection_prob", self.delete_connection_prob),
            ("delete_node_prob", self.delete_node_prob),
            ("survival_threshold", self.survival_threshold),
            ("mutate_only_prob", self.mutate_only_prob),
            ("interspecies_prob", self.interspecies_prob),
            ("disable_inherit_prob", self.disable_inherit_prob),
            (
                "mutate_after_crossover_prob",
                self.mutate_after_crossover_prob,
            ),
            ("crossover_average_prob", self.crossover_average_prob),
        ];
        for (field, p) in probabilities {
            if !(0.0..=1.0).contains(&p) {
                return Err(err(field, format!("{p} is not a probability in [0, 1]")));
            }
        }
        if let InitialConnection::Partial(p) = self.initial_connection
            && !(0.0..=1.0).contains(&p)
        {
            return Err(err(
                "initial_connection",
                format!("Partial({p}): the probability must be in [0, 1]"),
            ));
        }
        let non_negative = [
            ("weight_init_range", self.weight_init_range),
            ("weight_perturb_power", self.weight_perturb_power),
            ("weight_replace_range", self.weight_replace_range),
            ("bias_perturb_power", self.bias_perturb_power),
            ("bias_replace_range", self.bias_replace_range),
            ("compat_excess", self.compat_excess),
            ("compat_disjoint", self.compat_disjoint),
            ("compat_weight", self.compat_weight),
            ("threshold_step", self.threshold_step),
            ("threshold_min", self.threshold_min),
        ];
        for (field, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(field, format!("{v} must be a finite number ≥ 0")));
            }
        }
        let positive = [
            ("bias_value", self.bias_value),
            ("weight_limit", self.weight_limit),
            ("compat_threshold", self.compat_threshold),
        ];
        for (field, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(err(field, format!("{v} must be a finite number > 0")));
            }
        }
        if self.population_size < 2 {
            return Err(err(
                "population_size",
                format!("{} is too small: at least 2", self.population_size),
            ));
        }
        if let Some(range) = self.new_connection_weight_range
            && !(range.is_finite() && range >= 0.0)
        {
            return Err(err(
                "new_connection_weight_range",
                format!("Some({range}) must be a finite number ≥ 0"),
            ));
        }
        if let Some(p) = self.recurrent_link_prob {
            if !(0.0..=1.0).contains(&p) {
                return Err(err(
                    "recurrent_link_prob",
                    format!("Some({p}) is not a probability in [0, 1]"),
                ));
            }
            if self.feed_forward {
                return Err(err(
                    "recurrent_link_prob",
                    "needs recurrent genomes (feed_forward: false)".into(),
                ));
            }
        }
        if let Some(rule) = self.obliterate
            && rule.every == 0
        {
            return Err(err("obliterate", "every must be at least 1".into()));
        }
        if let StagnationPenalty::Scale(factor) = self.stagnation_penalty
            && !(0.0..=1.0).contains(&factor)
        {
            return Err(err(
                "stagnation_penalty",
                format!("Scale({factor}): the factor must be in [0, 1]"),
            ));
        }
        if self.survival_threshold == 0.0 {
            return Err(err("survival_threshold", "must be > 0".into()));
        }
        if self.population_stagnation == Some(0) {
            return Err(err("population_stagnation", "must be at least 1".into()));
        }
        if self.target_species == Some(0) {
            return Err(err("target_species", "must be at least 1".into()));
        }
        if self.compat_normalize_min == 0 {
            return Err(err("compat_normalize_min", "must be at least 1".into()));
        }
        if self.activation_mutation_prob > 0.0 && self.activation_options.is_empty() {
            return Err(err(
                "activation_options",
                "activation_mutation_prob > 0 needs at least one option".into(),
            ));
        }
        if let Some(plasticity) = &self.plasticity {
            plasticity.validate()?;
        }
        for (i, module) in self.lifetime.iter().enumerate() {
            let at = format!("lifetime[{i}]");
            module.validate(&at)?;
        }
        self.validate_module_genes()?;
        if self.lamarckian && self.lifetime.is_empty() && self.plasticity.is_none() {
            return Err(err(
                "lamarckian",
                "nothing learns during the lifetime: set plasticity or lifetime".into(),
            ));
        }
        Ok(())
    }

    /// Input nodes of a genome for a task with `observations` inputs: the
    /// lifetime modules that append inputs add theirs.
    pub fn genome_inputs(&self, observations: usize) -> usize {
        observations
            + self
                .lifetime
                .iter()
                .map(|m| m.extra_inputs(observations))
                .sum::<usize>()
    }

    /// The task's observation count for a genome with `genome_inputs` inputs:
    /// the inverse of [`NeatConfig::genome_inputs`], or `None` when no count
    /// fits.
    pub fn observations_of(&self, genome_inputs: usize) -> Option<usize> {
        // genome_inputs(o) = o·(1 + whole-range appenders) + fixed extras.
        let mut per_observation = 1;
        let mut fixed = 0;
        for module in &self.lifetime {
            if module.appends_a_copy_of_every_input() {
                per_observation += 1;
            } else {
                fixed += module.extra_inputs(0);
            }
        }
        let rest = genome_inputs.checked_sub(fixed)?;
        (rest % per_observation == 0)
            .then_some(rest / per_observation)
            .filter(|&o| self.genome_inputs(o) == genome_inputs)
    }

    /// Checks the lifetime modules' input ranges against a task with
    /// `observations` inputs: each range must lie within the inputs its module
    /// receives (the task's, plus those appended by the modules before it).
    pub fn check_lifetime_inputs(&self, observations: usize) -> Result<(), ConfigError> {
        let mut received = observations;
        for (i, module) in self.lifetime.iter().enumerate() {
            if let Some((start, end)) = module.input_range(observations)
                && (start >= end || end > received)
            {
                return Err(ConfigError::new(
                    format!("lifetime[{i}].inputs"),
                    format!(
                        "Range({start}, {end}) does not lie within the {received} inputs the {} module receives",
                        module.name()
                    ),
                ));
            }
            received += module.extra_inputs(observations);
        }
        Ok(())
    }

    /// Output nodes of a genome for a task with `actions` outputs: one more when
    /// neuromodulated learning adds its modulatory output.
    pub fn genome_outputs(&self, actions: usize) -> usize {
        actions + usize::from(self.modulated())
    }

    /// Whether genomes have a modulatory output: neuromodulated plasticity genes
    /// (`plasticity: Some((modulated: true))`) or a `Hebbian(modulated: true)`
    /// module ask for it, and share it when both do.
    pub fn modulated(&self) -> bool {
        self.plasticity.as_ref().is_some_and(|p| p.modulated)
            || self
                .lifetime
                .iter()
                .any(|m| matches!(m, LifetimeModuleSpec::Hebbian(h) if h.modulated))
    }

    /// The activations hidden nodes may take.
    pub fn hidden_activations(&self) -> &[Activation] {
        if self.activation_options.is_empty() {
            std::slice::from_ref(&self.hidden_activation)
        } else {
            &self.activation_options
        }
    }
}

impl NeatConfig {
    /// Every module gene of `neat.lifetime`, in genome order, with the index of
    /// its module.
    pub fn module_gene_layout(
        &self,
    ) -> impl Iterator<Item = (usize, &'static ModuleGene)> + Clone + '_ {
        self.lifetime
            .iter()
            .enumerate()
            .flat_map(|(i, module)| module.genes().iter().map(move |g| (i, g)))
    }

    /// The module genes of generation 0: the configured values.
    pub fn initial_module_params(&self) -> Vec<f64> {
        self.lifetime.iter().flat_map(|m| m.gene_values()).collect()
    }

    /// Checks the configured gene values: scales > 0, coefficients within
    /// ±`module_genes.coefficient_limit`. Errors name `lifetime[i].<setting>`.
    pub(crate) fn validate_module_genes(&self) -> Result<(), ConfigError> {
        self.module_genes.validate()?;
        let values = self.initial_module_params();
        for ((i, gene), value) in self.module_gene_layout().zip(values) {
            if let Err(problem) = self.module_genes.check(gene, value) {
                return Err(ConfigError::new(
                    format!("lifetime[{i}].{}", gene.name),
                    format!("{value} {problem} (evolve: true)"),
                ));
            }
        }
        Ok(())
    }
}

fn err(field: &'static str, message: String) -> ConfigError {
    ConfigError::new(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        NeatConfig::default().validate().unwrap();
    }

    #[test]
    fn out_of_range_rate_names_its_field() {
        let config = NeatConfig {
            add_node_prob: 1.5,
            ..NeatConfig::default()
        };
        let e = config.validate().unwrap_err();
        assert_eq!(e.field, "add_node_prob");
        assert!(e.to_string().contains("1.5"), "{e}");
    }

    #[test]
    fn population_of_one_is_rejected() {
        let config = NeatConfig {
            population_size: 1,
            ..NeatConfig::default()
        };
        assert_eq!(config.validate().unwrap_err().field, "population_size");
    }

    #[test]
    fn out_of_range_plasticity_names_its_field() {
        let cases = [
            (
                PlasticityConfig {
                    mutation_prob: 2.0,
                    ..PlasticityConfig::default()
                },
                "plasticity.mutation_prob",
            ),
            (
                PlasticityConfig {
                    eta_limit: 0.0,
                    ..PlasticityConfig::default()
                },
                "plasticity.eta_limit",
            ),
            (
                PlasticityConfig {
                    coefficient_perturb_power: f64::NAN,
                    ..PlasticityConfig::default()
                },
                "plasticity.coefficient_perturb_power",
            ),
            (
                PlasticityConfig {
                    coefficient_init_range: 6.0,
                    ..PlasticityConfig::default()
                },
                "plasticity.coefficient_init_range",
            ),
        ];
        for (plasticity, field) in cases {
            let config = NeatConfig {
                plasticity: Some(plasticity),
                ..NeatConfig::default()
            };
            let e = config.validate().unwrap_err();
            assert_eq!(e.field, field);
            assert!(e.to_string().starts_with(&format!("neat.{field}: ")), "{e}");
        }
        NeatConfig {
            plasticity: Some(PlasticityConfig::default()),
            ..NeatConfig::default()
        }
        .validate()
        .unwrap();
    }

    #[test]
    fn a_modulated_genome_has_one_extra_output() {
        let mut config = NeatConfig::default();
        assert_eq!(config.genome_outputs(2), 2);
        config.plasticity = Some(PlasticityConfig::default());
        assert_eq!(config.genome_outputs(2), 2);
        config.plasticity = Some(PlasticityConfig {
            modulated: true,
            ..PlasticityConfig::default()
        });
        assert_eq!(config.genome_outputs(2), 3);
    }

    #[test]
    fn lifetime_modules_parse_with_defaults_and_reject_unknown_fields() {
        let text = "(lifetime: [Hebbian((eta: 0.1)), Hopfield((capacity: 4, mode: Append, missing: Some(0.5))), Rbm((hidden: 3)), ActivityPruning(())], lamarckian: true)";
        let config: NeatConfig = ron::from_str(text).unwrap();
        assert_eq!(config.lifetime.len(), 4);
        let LifetimeModuleSpec::Hebbian(h) = &config.lifetime[0] else {
            panic!("{:?}", config.lifetime[0]);
        };
        assert_eq!((h.eta, h.a, h.bound), (0.1, 1.0, 8.0));
        assert!(config.lamarckian);
        config.validate().unwrap();
        assert!(ron::from_str::<NeatConfig>("(lifetime: [Rbm((hiden: 3))])").is_err());
        assert!(ron::from_str::<NeatConfig>("(lifetime: [Boltzmann(())])").is_err());
        // Unset, the section is not written at all.
        let default = ron::to_string(&NeatConfig::default()).unwrap();
        assert!(!default.contains("lifetime") && !default.contains("lamarckian"));
    }

    #[test]
    fn out_of_range_lifetime_settings_name_their_field() {
        use crate::lifetime::{HebbianSpec, HopfieldSpec, InputSpan, PruningSpec, RbmSpec};
        let cases = [
            (
                vec![
                    LifetimeModuleSpec::Hebbian(HebbianSpec::default()),
                    LifetimeModuleSpec::Hopfield(HopfieldSpec {
                        beta: 0.0,
                        ..HopfieldSpec::default()
                    }),
                ],
                "lifetime[1].beta",
            ),
            (
                vec![LifetimeModuleSpec::Rbm(RbmSpec {
                    momentum: 1.0,
                    ..RbmSpec::default()
                })],
                "lifetime[0].momentum",
            ),
            (
                vec![LifetimeModuleSpec::Rbm(RbmSpec {
                    inputs: InputSpan::Range(4, 4),
                    ..RbmSpec::default()
                })],
                "lifetime[0].inputs",
            ),
            (
                vec![LifetimeModuleSpec::ActivityPruning(PruningSpec {
                    interval: 0,
                    ..PruningSpec::default()
                })],
                "lifetime[0].interval",
            ),
        ];
        for (lifetime, field) in cases {
            let config = NeatConfig {
                lifetime,
                ..NeatConfig::default()
            };
            let e = config.validate().unwrap_err();
            assert_eq!(e.field, field, "{e}");
            assert!(e.to_string().starts_with(&format!("neat.{field}: ")), "{e}");
        }
        let lamarckian_alone = NeatConfig {
            lamarckian: true,
            ..NeatConfig::default()
        };
        assert_eq!(lamarckian_alone.validate().unwrap_err().field, "lamarckian");
    }

    #[test]
    fn appending_modules_widen_the_genome_and_ranges_are_checked() {
        use crate::lifetime::{HopfieldMode, HopfieldSpec, InputSpan, RbmSpec};
        let mut config = NeatConfig::default();
        assert_eq!(config.genome_inputs(10), 10);
        config.lifetime = vec![
            LifetimeModuleSpec::Hopfield(HopfieldSpec {
                inputs: InputSpan::Range(2, 6),
                mode: HopfieldMode::Append,
                ..HopfieldSpec::default()
            }),
            LifetimeModuleSpec::Hopfield(HopfieldSpec::default()),
            LifetimeModuleSpec::Rbm(RbmSpec {
                hidden: 3,
                ..RbmSpec::default()
            }),
        ];
        // 10 observations + 4 recalled + 0 (replace) + 3 features.
        assert_eq!(config.genome_inputs(10), 17);
        assert_eq!(config.observations_of(17), Some(10));
        assert_eq!(config.observations_of(2), None);
        config
            .lifetime
            .push(LifetimeModuleSpec::Hopfield(HopfieldSpec {
                mode: HopfieldMode::Append,
                ..HopfieldSpec::default()
            }));
        assert_eq!(config.genome_inputs(10), 27);
        assert_eq!(config.observations_of(27), Some(10));
        assert_eq!(config.observations_of(28), None);
        config.lifetime.pop();
        config.check_lifetime_inputs(10).unwrap();
        // A later module may read what an earlier one appended, but no further.
        config.lifetime[2] = LifetimeModuleSpec::Rbm(RbmSpec {
            inputs: InputSpan::Range(10, 14),
            ..RbmSpec::default()
        });
        config.check_lifetime_inputs(10).unwrap();
        config.lifetime[2] = LifetimeModuleSpec::Rbm(RbmSpec {
            inputs: InputSpan::Range(10, 15),
            ..RbmSpec::default()
        });
        let e = config.check_lifetime_inputs(10).unwrap_err();
        assert_eq!(e.field, "lifetime[2].inputs");
        assert!(e.message.contains("14 inputs"), "{e}");
    }

    #[test]
    fn nan_threshold_is_rejected() {
        let config = NeatConfig {
            compat_threshold: f64::NAN,
            ..NeatConfig::default()
        };
        assert_eq!(config.validate().unwrap_err().field, "compat_threshold");
    }
}
