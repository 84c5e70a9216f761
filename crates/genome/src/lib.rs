//! NEAT genomes (Stanley & Miikkulainen 2002): genes with innovation numbers,
//! mutation, crossover aligned by innovation, the compatibility distance, species
//! with explicit fitness sharing, and reproduction that keeps the population size
//! exact.
//!
//! This crate knows nothing of networks, environments, files or threads: it turns
//! a generation and its fitness values into the next generation, deterministically
//! from the [`Population`]'s own RNG.
//!
//! With `neat.plasticity` set, every connection also carries a [`PlasticGene`]:
//! the coefficients of its lifetime learning rule, drawn for new links, perturbed
//! by mutation, inherited with the gene in crossover and counted in the
//! compatibility distance. Without it nothing changes, down to the RNG draws.
//!
//! `neat.lifetime` lists lifetime-learning modules ([`LifetimeModuleSpec`]) and
//! `neat.lamarckian` asks for learned weights to be written back; this crate only
//! holds and validates those settings (`sprout-evolve` runs the modules). The
//! settings of modules marked `evolve: true` become genes of every genome
//! ([`module_genes`]).

pub mod config;
pub mod config_error;
pub mod crossover;
pub mod distance;
pub mod gene;
pub mod genome;
pub mod innovation;
pub mod lifetime;
pub mod module_genes;
pub mod mutation;
pub mod population;
pub mod reach;
pub mod reproduction;
pub mod rules;
pub mod species;

pub use config::{ConfigError, InitialConnection, NeatConfig, PlasticityConfig, Stepping};
pub use crossover::{Fitter, crossover};
pub use distance::distance;
pub use gene::{Activation, ConnGene, Innovation, NodeGene, NodeId, NodeKind, PlasticGene};
pub use genome::{Genome, GenomeError, GenomeId};
pub use innovation::InnovationTracker;
pub use lifetime::{
    HebbianSpec, HopfieldMode, HopfieldSpec, InputSpan, LifetimeModuleSpec, PruningSpec, RbmSpec,
};
pub use module_genes::{GeneKind, ModuleGene, ModuleGenesConfig};
pub use population::{Population, SpeciesSummary};
pub use rules::{
    Elitism, EnableMutation, Obliterate, PopulationRestart, Representative, StagnationPenalty,
    SuccessCheck, SurvivalRule, TieGenes, WeightMutation,
};
pub use species::{Species, SpeciesId};
