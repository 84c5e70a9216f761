//! Species: groups of compatible genomes that compete mostly among themselves.

use serde::{Deserialize, Serialize};

use crate::config::NeatConfig;
use crate::distance::{InnovationSketch, SketchFilter, distance};
use crate::genome::Genome;

/// Identifies a species within a run.
pub type SpeciesId = u64;

/// A species and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Species {
    /// Unique within the run.
    pub id: SpeciesId,
    /// The genome new genomes are compared with: a random member of the previous
    /// generation (the NEAT paper), or the founder.
    pub representative: Genome,
    /// Indices into the current generation's genomes, in genome order.
    pub members: Vec<usize>,
    /// Generation the species appeared in.
    pub created: u64,
    /// Best fitness any member has ever had.
    pub best_fitness: f64,
    /// Last generation in which `best_fitness` improved.
    pub last_improved: u64,
    /// Marked by `neat.obliterate`: the species keeps 1% of its share.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub obliterated: bool,
}

impl Species {
    /// Generations since the species last improved.
    pub fn stagnant_for(&self, generation: u64) -> u64 {
        generation.saturating_sub(self.last_improved)
    }
}

/// Assigns every genome to a species. Each genome joins the first species (in
/// species order) whose representative is within `threshold`, the paper's rule; a
/// genome that fits none founds a new species. Species left empty disappear.
pub fn speciate(
    species: &mut Vec<Species>,
    genomes: &[Genome],
    threshold: f64,
    config: &NeatConfig,
    generation: u64,
    next_species_id: &mut u64,
) {
    for s in species.iter_mut() {
        s.members.clear();
    }
    // Most species are ruled out by their representative's innovation sketch
    // alone; δ is computed only for the rest, so the first fit is the same.
    let max_genes = genomes
        .iter()
        .chain(species.iter().map(|s| &s.representative))
        .map(|g| g.conns.len())
        .max()
        .unwrap_or(0);
    let filter = SketchFilter::new(threshold, config, max_genes);
    let mut sketches: Vec<InnovationSketch> = species
        .iter()
        .map(|s| InnovationSketch::of(&s.representative))
        .collect();
    for (index, genome) in genomes.iter().enumerate() {
        let sketch = InnovationSketch::of(genome);
        let fits = |(s, rep): &(&mut Species, &InnovationSketch)| {
            !filter.apart(rep, &sketch) && distance(&s.representative, genome, config) < threshold
        };
        match species.iter_mut().zip(&sketches).find(fits) {
            Some((s, _)) => s.members.push(index),
            None => {
                sketches.push(sketch);
                species.push(Species {
                    id: *next_species_id,
                    representative: genome.clone(),
                    members: vec![index],
                    created: generation,
                    best_fitness: f64::NEG_INFINITY,
                    last_improved: generation,
                    obliterated: false,
                });
                *next_species_id += 1;
            }
        }
    }
    species.retain(|s| !s.members.is_empty());
}

/// Moves δt one step toward `target_species`, if a target is set.
pub fn adjust_threshold(threshold: f64, species_count: usize, config: &NeatConfig) -> f64 {
    match config.target_species {
        Some(target) if species_count < target => {
            (threshold - config.threshold_step).max(config.threshold_min)
        }
        Some(target) if species_count > target => threshold + config.threshold_step,
        _ => threshold,
    }
}
