//! Module genes: the evolvable parameters of the `neat.lifetime` modules.
//!
//! A module whose settings say `evolve: true` puts its parameters into every
//! genome ([`Genome::module_params`]): η, A, B, C and D of a `Hebbian` rule, β of
//! a `Hopfield` memory, the learning rate of an `Rbm`, the threshold of
//! `ActivityPruning`. They are listed module by module in the order of
//! `neat.lifetime`, each module's in the order of [`LifetimeModuleSpec::genes`].
//! Generation 0 carries the configured values; mutation perturbs them
//! (`neat.module_genes`), crossover takes each from either parent, and the
//! compatibility distance counts their difference. The evaluation builds each
//! genome's modules with the genome's values.
//!
//! Without evolving modules the list is empty and nothing changes, down to the
//! random draws and the files written.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::config_error::ConfigError;
use crate::lifetime::LifetimeModuleSpec;

/// How a module gene is perturbed and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneKind {
    /// A positive scale (a rate, a temperature, a threshold): mutation multiplies
    /// it by exp(σ·N(0, 1)), and distances compare logarithms, so a gene can move
    /// across orders of magnitude and never changes sign.
    Scale,
    /// A signed coefficient: mutation adds σ·N(0, 1) and clamps to
    /// ±`coefficient_limit`; distances compare values.
    Coefficient,
}

/// One evolvable parameter of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleGene {
    /// The module setting it replaces (`eta`, `beta`, …).
    pub name: &'static str,
    /// How it mutates.
    pub kind: GeneKind,
}

const fn gene(name: &'static str, kind: GeneKind) -> ModuleGene {
    ModuleGene { name, kind }
}

const HEBBIAN_GENES: [ModuleGene; 5] = [
    gene("eta", GeneKind::Scale),
    gene("a", GeneKind::Coefficient),
    gene("b", GeneKind::Coefficient),
    gene("c", GeneKind::Coefficient),
    gene("d", GeneKind::Coefficient),
];
const HOPFIELD_GENES: [ModuleGene; 1] = [gene("beta", GeneKind::Scale)];
const RBM_GENES: [ModuleGene; 1] = [gene("learning_rate", GeneKind::Scale)];
const PRUNING_GENES: [ModuleGene; 1] = [gene("threshold", GeneKind::Scale)];

impl LifetimeModuleSpec {
    /// The module's genes: none unless its settings say `evolve: true`.
    pub fn genes(&self) -> &'static [ModuleGene] {
        match self {
            LifetimeModuleSpec::Hebbian(h) if h.evolve => &HEBBIAN_GENES,
            LifetimeModuleSpec::Hopfield(h) if h.evolve => &HOPFIELD_GENES,
            LifetimeModuleSpec::Rbm(r) if r.evolve => &RBM_GENES,
            LifetimeModuleSpec::ActivityPruning(p) if p.evolve => &PRUNING_GENES,
            _ => &[],
        }
    }

    /// The settings [`genes`](Self::genes) name, in that order.
    fn gene_fields(&mut self) -> Vec<&mut f64> {
        match self {
            LifetimeModuleSpec::Hebbian(h) if h.evolve => {
                vec![&mut h.eta, &mut h.a, &mut h.b, &mut h.c, &mut h.d]
            }
            LifetimeModuleSpec::Hopfield(h) if h.evolve => vec![&mut h.beta],
            LifetimeModuleSpec::Rbm(r) if r.evolve => vec![&mut r.learning_rate],
            LifetimeModuleSpec::ActivityPruning(p) if p.evolve => vec![&mut p.threshold],
            _ => Vec::new(),
        }
    }

    /// The configured values of the module's genes.
    pub fn gene_values(&self) -> Vec<f64> {
        self.clone().gene_fields().into_iter().map(|v| *v).collect()
    }

    /// These settings with the module's genes set to `values` (one per gene).
    ///
    /// # Panics
    /// When `values` does not hold one value per gene.
    pub fn with_gene_values(&self, values: &[f64]) -> Self {
        let mut spec = self.clone();
        let mut fields = spec.gene_fields();
        assert_eq!(fields.len(), values.len(), "one value per module gene");
        for (field, &value) in fields.iter_mut().zip(values) {
            **field = value;
        }
        drop(fields);
        spec
    }
}

/// The `neat.module_genes` section: how module genes mutate and count in the
/// compatibility distance. Used only when a module says `evolve: true`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModuleGenesConfig {
    /// Chance that a child's module genes are perturbed, in [0, 1]. Default 0.25.
    pub mutation_prob: f64,
    /// σ of a perturbation: for a scale, of the log-factor (0.2 ≈ ±20%); for a
    /// coefficient, of the step. Default 0.2.
    pub perturb_power: f64,
    /// Coefficients stay within ±this. Default 5.0.
    pub coefficient_limit: f64,
    /// c5: weight of the mean module-gene difference in the compatibility
    /// distance. Default 0.5.
    pub compat: f64,
}

impl Default for ModuleGenesConfig {
    fn default() -> Self {
        Self {
            mutation_prob: 0.25,
            perturb_power: 0.2,
            coefficient_limit: 5.0,
            compat: 0.5,
        }
    }
}

impl ModuleGenesConfig {
    /// Checks the fields; errors name `module_genes.<field>`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let field = |name: &str| format!("module_genes.{name}");
        if !(0.0..=1.0).contains(&self.mutation_prob) {
            return Err(ConfigError::new(
                field("mutation_prob"),
                format!("{} is not in [0, 1]", self.mutation_prob),
            ));
        }
        for (name, v) in [
            ("perturb_power", self.perturb_power),
            ("compat", self.compat),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ConfigError::new(
                    field(name),
                    format!("{v} must be a finite number ≥ 0"),
                ));
            }
        }
        if !(self.coefficient_limit.is_finite() && self.coefficient_limit > 0.0) {
            return Err(ConfigError::new(
                field("coefficient_limit"),
                format!("{} must be a finite number > 0", self.coefficient_limit),
            ));
        }
        Ok(())
    }
}

impl ModuleGenesConfig {
    /// Why `value` cannot be the value of `gene`, if it cannot.
    pub(crate) fn check(&self, gene: &ModuleGene, value: f64) -> Result<(), String> {
        match gene.kind {
            GeneKind::Scale if !(value.is_finite() && value > 0.0) => {
                Err("must be a finite number > 0".into())
            }
            GeneKind::Coefficient if !value.is_finite() || value.abs() > self.coefficient_limit => {
                Err(format!(
                    "must be within ±{} (module_genes.coefficient_limit)",
                    self.coefficient_limit
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Why a genome's module genes do not fit its experiment.
#[derive(Debug, Clone, PartialEq)]
pub enum ModuleParamsProblem {
    /// Another number of genes than the experiment's modules have.
    Count {
        /// Genes the genome carries.
        got: usize,
        /// Genes the modules evolve.
        want: usize,
    },
    /// A gene out of its range.
    Bad {
        /// Position among the module genes.
        index: usize,
        /// The module setting, as `lifetime[i].<name>`.
        setting: String,
        /// What is wrong with the value.
        problem: String,
    },
}

/// Checks that `values` hold one valid value per gene of `layout` (as
/// [`NeatConfig::module_gene_layout`](crate::NeatConfig::module_gene_layout)
/// gives it) under `settings`.
pub fn check_module_params<'a>(
    layout: impl Iterator<Item = (usize, &'a ModuleGene)> + Clone,
    settings: &ModuleGenesConfig,
    values: &[f64],
) -> Result<(), ModuleParamsProblem> {
    let want = layout.clone().count();
    if values.len() != want {
        return Err(ModuleParamsProblem::Count {
            got: values.len(),
            want,
        });
    }
    for ((index, (module, gene)), &value) in layout.enumerate().zip(values) {
        if let Err(problem) = settings.check(gene, value) {
            return Err(ModuleParamsProblem::Bad {
                index,
                setting: format!("lifetime[{module}].{}", gene.name),
                problem: format!("{value} {problem}"),
            });
        }
    }
    Ok(())
}

/// Perturbs every module gene in `values` (see [`GeneKind`]), one per gene of
/// `layout`.
pub fn mutate_module_params<'a, R: Rng + ?Sized>(
    layout: impl Iterator<Item = (usize, &'a ModuleGene)>,
    settings: &ModuleGenesConfig,
    values: &mut [f64],
    rng: &mut R,
) {
    let sigma = settings.perturb_power;
    for ((_, gene), value) in layout.zip(values) {
        let step: f64 = StandardNormal.sample(rng);
        *value = match gene.kind {
            // Bounded far from 0 and ∞ so that no walk of perturbations can
            // round a scale to 0 or overflow it.
            GeneKind::Scale => (*value * sprout_math::exp(sigma * step)).clamp(1e-12, 1e12),
            GeneKind::Coefficient => (*value + sigma * step)
                .clamp(-settings.coefficient_limit, settings.coefficient_limit),
        };
    }
}

/// A child's module genes: each from either parent at random (the parents
/// carry the same genes, as every genome of a run does).
pub fn inherit_module_params<R: Rng + ?Sized>(
    first: &[f64],
    second: &[f64],
    rng: &mut R,
) -> Vec<f64> {
    if first.len() != second.len() {
        return first.to_vec();
    }
    first
        .iter()
        .zip(second)
        .map(|(&a, &b)| if rng.random_bool(0.5) { a } else { b })
        .collect()
}

/// c5 times the mean difference of two genomes' module genes `x` and `y`
/// (scales compared as logarithms); 0 without module genes.
pub fn module_params_distance<'a>(
    layout: impl Iterator<Item = (usize, &'a ModuleGene)>,
    settings: &ModuleGenesConfig,
    x: &[f64],
    y: &[f64],
) -> f64 {
    if x.is_empty() || x.len() != y.len() {
        return 0.0;
    }
    let total: f64 = layout
        .zip(x.iter().zip(y))
        .map(|((_, gene), (&p, &q))| match gene.kind {
            GeneKind::Scale => (sprout_math::ln(p) - sprout_math::ln(q)).abs(),
            GeneKind::Coefficient => (p - q).abs(),
        })
        .sum();
    settings.compat * total / x.len() as f64
}
