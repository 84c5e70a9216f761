//! The population: one generation of genomes, their species, and the step to the
//! next generation.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::config::NeatConfig;
use crate::genome::{Genome, GenomeId};
use crate::innovation::InnovationTracker;
use crate::reproduction::{Breeder, allocate};
use crate::rules::{PopulationRestart, Representative, StagnationPenalty};
use crate::species::{Species, SpeciesId, adjust_threshold, speciate};

/// One species as it stood when a generation was bred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeciesSummary {
    /// The species.
    pub id: SpeciesId,
    /// Members in the evaluated generation.
    pub size: usize,
    /// Best fitness among those members.
    pub best_fitness: f64,
    /// Generations since the species appeared.
    pub age: u64,
    /// Generations since its best fitness last improved.
    pub stagnant_for: u64,
    /// Children it was allotted in the next generation.
    pub offspring: usize,
    /// Its fittest member in the evaluated generation, for viewers that show a
    /// chosen species at play.
    pub champion: Genome,
    /// The champion's index in the evaluated generation.
    #[serde(default)]
    pub champion_index: usize,
    /// Whether `best_fitness` beat the species' record from earlier generations
    /// (always true in its first generation).
    #[serde(default)]
    pub improved: bool,
}

/// The whole evolutionary state. Everything that decides the next generation is
/// in here, including the master RNG, so serializing a `Population` is a complete
/// checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Population {
    /// Index of the current generation, from 0.
    pub generation: u64,
    /// The current generation, waiting to be evaluated.
    pub genomes: Vec<Genome>,
    /// Species as of the last speciation.
    pub species: Vec<Species>,
    /// Innovation numbers and node ids.
    pub tracker: InnovationTracker,
    /// Next genome id to hand out.
    pub next_genome_id: GenomeId,
    /// Next species id to hand out.
    pub next_species_id: SpeciesId,
    /// The current compatibility threshold δt (moves when a species target is set).
    pub threshold: f64,
    /// The master RNG: selection, crossover and mutation draw from it in a fixed
    /// sequential order.
    pub rng: Xoshiro256PlusPlus,
    /// Best fitness the population has reached, and when it last improved
    /// (for `population_stagnation`).
    #[serde(default)]
    pub record: Option<(f64, u64)>,
}

impl Population {
    /// Generation 0: `population_size` genomes wired as configured, for a task
    /// with `inputs` observations and `outputs` actions (genomes get one more
    /// output when plasticity is neuromodulated).
    pub fn new(config: &NeatConfig, inputs: usize, outputs: usize, seed: u64) -> Self {
        let outputs = config.genome_outputs(outputs);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut tracker = InnovationTracker::new(Genome::first_hidden_id(inputs, outputs));
        let genomes = (0..config.population_size as GenomeId)
            .map(|id| Genome::initial(id, inputs, outputs, config, &mut tracker, &mut rng))
            .collect();
        Self {
            generation: 0,
            genomes,
            species: Vec::new(),
            tracker,
            next_genome_id: config.population_size as GenomeId,
            next_species_id: 0,
            threshold: config.compat_threshold,
            rng,
            record: None,
        }
    }

    /// Takes the evaluated generation (`fitness[i]` belongs to `genomes[i]`; all
    /// finite), speciates it, shares fitness, and replaces it with the next
    /// generation of exactly `population_size` genomes. Returns the species as they
    /// stood.
    pub fn advance(&mut self, fitness: &[f64], config: &NeatConfig) -> Vec<SpeciesSummary> {
        self.speciate(config);
        self.reproduce(fitness, config)
    }

    /// The first half of [`Population::advance`]: sorts the current generation
    /// into species (their `members`).
    pub fn speciate(&mut self, config: &NeatConfig) {
        speciate(
            &mut self.species,
            &self.genomes,
            self.threshold,
            config,
            self.generation,
            &mut self.next_species_id,
        );
    }

    /// The second half of [`Population::advance`], after
    /// [`Population::speciate`]: shares fitness among the species and breeds
    /// the next generation.
    pub fn reproduce(&mut self, fitness: &[f64], config: &NeatConfig) -> Vec<SpeciesSummary> {
        assert_eq!(fitness.len(), self.genomes.len(), "one fitness per genome");
        let (ranked, improved) = self.rank_members(fitness);
        self.obliterate_if_due(&ranked, fitness, config);
        let mut shares = self.species_shares(&ranked, fitness, config);
        let stuck = self.population_stuck(fitness, config);
        let delta_coding = stuck && config.population_restart == PopulationRestart::DeltaCoding;
        if stuck && !delta_coding {
            // Refocus: only the two species with the best fitness ever breed.
            for &i in self.species_by_best().iter().skip(2) {
                shares[i] = 0.0;
            }
        }
        let counts = if delta_coding {
            self.delta_coding_counts(&ranked, fitness, config.population_size)
        } else {
            allocate(&shares, config.population_size)
        };

        let mut children = Vec::with_capacity(config.population_size);
        let mut breeder = Breeder {
            config,
            tracker: &mut self.tracker,
            next_id: &mut self.next_genome_id,
            rng: &mut self.rng,
        };
        for (members, &count) in ranked.iter().zip(&counts) {
            if delta_coding {
                breeder.breed_clones(&self.genomes[members[0]], count, &mut children);
            } else {
                breeder.breed_species(members, count, &self.genomes, fitness, &mut children);
            }
        }

        let summaries = self
            .species
            .iter()
            .zip(&ranked)
            .zip(&counts)
            .zip(&improved)
            .map(|(((s, members), &offspring), &improved)| SpeciesSummary {
                id: s.id,
                size: members.len(),
                best_fitness: fitness[members[0]],
                age: self.generation - s.created,
                stagnant_for: s.stagnant_for(self.generation),
                offspring,
                champion: self.genomes[members[0]].clone(),
                champion_index: members[0],
                improved,
            })
            .collect();

        // Species without offspring die out (unless `keep_childless_species`);
        // the rest get a random member of this generation (the paper) or its
        // champion as the representative for the next speciation.
        let mut kept = Vec::with_capacity(self.species.len());
        let alive = std::mem::take(&mut self.species).into_iter().zip(&ranked);
        for ((mut s, members), &count) in alive.zip(&counts) {
            if count > 0 || config.keep_childless_species {
                let pick = match config.representative {
                    Representative::Random => s.members[self.rng.random_range(0..s.members.len())],
                    Representative::Champion => members[0],
                };
                s.representative = self.genomes[pick].clone();
                kept.push(s);
            }
        }
        self.species = kept;
        self.threshold = adjust_threshold(self.threshold, self.species.len(), config);
        self.genomes = children;
        self.generation += 1;
        summaries
    }

    /// Each species' member indices, best first (ties: earlier genome first), and
    /// whether it beat its record; updates each species' best fitness and
    /// improvement date.
    fn rank_members(&mut self, fitness: &[f64]) -> (Vec<Vec<usize>>, Vec<bool>) {
        let generation = self.generation;
        self.species
            .iter_mut()
            .map(|s| {
                let mut members = s.members.clone();
                members.sort_by(|&a, &b| fitness[b].total_cmp(&fitness[a]).then(a.cmp(&b)));
                let best = fitness[members[0]];
                let improved = best > s.best_fitness;
                if improved {
                    s.best_fitness = best;
                    s.last_improved = generation;
                }
                (members, improved)
            })
            .unzip()
    }

    /// Species indices, best (highest best-ever fitness) first; ties by id.
    fn species_by_best(&self) -> Vec<usize> {
        let mut by_best: Vec<usize> = (0..self.species.len()).collect();
        by_best.sort_by(|&a, &b| {
            self.species[b]
                .best_fitness
                .total_cmp(&self.species[a].best_fitness)
                .then(self.species[a].id.cmp(&self.species[b].id))
        });
        by_best
    }

    /// Whether the population is stuck: its best fitness has not improved for
    /// `population_stagnation` generations. When it is, the clock restarts.
    fn population_stuck(&mut self, fitness: &[f64], config: &NeatConfig) -> bool {
        let Some(limit) = config.population_stagnation else {
            return false;
        };
        let best = fitness.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        match self.record {
            Some((record, since)) if best <= record => {
                let stuck = self.generation - since >= limit;
                if stuck {
                    self.record = Some((record, self.generation));
                }
                stuck
            }
            _ => {
                self.record = Some((best, self.generation));
                false
            }
        }
    }

    /// Delta coding's allotment (population.cpp:593-630): the species with this
    /// generation's fittest champion gets half the population, the runner-up the
    /// rest (the best takes all when it is alone), and both stagnation clocks
    /// restart.
    fn delta_coding_counts(
        &mut self,
        ranked: &[Vec<usize>],
        fitness: &[f64],
        total: usize,
    ) -> Vec<usize> {
        let order = by_champion(ranked, fitness);
        let mut counts = vec![0; ranked.len()];
        counts[order[0]] = total;
        if let Some(&second) = order.get(1) {
            counts[second] = total - total / 2;
            counts[order[0]] = total / 2;
        }
        for &i in order.iter().take(2) {
            self.species[i].last_improved = self.generation;
        }
        counts
    }

    /// The reference's "obliterate" (population.cpp:476-491): every
    /// `obliterate.every` generations, the worst species (by this generation's
    /// champion) at least `obliterate.min_age` old, or the best species when none
    /// is that old, keeps 1% of its share for the rest of its life.
    fn obliterate_if_due(&mut self, ranked: &[Vec<usize>], fitness: &[f64], config: &NeatConfig) {
        let Some(rule) = config.obliterate else {
            return;
        };
        // The reference counts generations from 1.
        if self.species.is_empty() || !(self.generation + 1).is_multiple_of(rule.every) {
            return;
        }
        let order = by_champion(ranked, fitness);
        let generation = self.generation;
        let doomed = order
            .iter()
            .rev()
            .copied()
            .find(|&i| generation - self.species[i].created >= rule.min_age)
            .unwrap_or(order[0]);
        self.species[doomed].obliterated = true;
    }

    /// Explicit fitness sharing: a species' share is the sum of its members'
    /// fitness divided by its size. Negative fitness is shifted so the worst genome
    /// scores 0. Stagnant species lose their share (or have it scaled, by
    /// `stagnation_penalty`) unless they are among the `protected_species` best.
    fn species_shares(
        &self,
        ranked: &[Vec<usize>],
        fitness: &[f64],
        config: &NeatConfig,
    ) -> Vec<f64> {
        let min = fitness.iter().copied().fold(f64::INFINITY, f64::min);
        let shift = if min < 0.0 { -min } else { 0.0 };
        let by_best = self.species_by_best();
        let protected = &by_best[..config.protected_species.min(by_best.len())];
        self.species
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let members = &ranked[i];
                let total: f64 = members.iter().map(|&m| fitness[m] + shift).sum();
                let share = total / members.len() as f64;
                let share = if s.obliterated { share * 0.01 } else { share };
                let stagnant = s.stagnant_for(self.generation) >= config.stagnation_limit;
                match config.stagnation_penalty {
                    _ if !stagnant || protected.contains(&i) => share,
                    StagnationPenalty::Remove => 0.0,
                    StagnationPenalty::Scale(factor) => share * factor,
                }
            })
            .collect()
    }
}

/// Species indices, fittest champion of this generation first (ties keep
/// species order).
fn by_champion(ranked: &[Vec<usize>], fitness: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| fitness[ranked[b][0]].total_cmp(&fitness[ranked[a][0]]));
    order
}
