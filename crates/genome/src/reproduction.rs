//! Offspring allocation and breeding within species.

use rand::{Rng, RngExt};

use crate::config::NeatConfig;
use crate::crossover::{Fitter, crossover};
use crate::genome::{Genome, GenomeId};
use crate::innovation::InnovationTracker;
use crate::mutation::{add_connection, mutate, mutate_weights};
use crate::rules::{Elitism, SurvivalRule, TieGenes};

/// How many of a species' `size` members (best first) may be parents.
fn survivors(config: &NeatConfig, size: usize) -> usize {
    let quota = config.survival_threshold * size as f64;
    match config.survival_rule {
        SurvivalRule::Ceil => (quota.ceil() as usize).max(2),
        SurvivalRule::FloorPlusOne => (quota + 1.0).floor() as usize,
    }
    .min(size)
}

/// Splits `total` offspring among species in proportion to `shares`, by largest
/// remainder, so the counts always add up to exactly `total` (when at least one
/// share is positive; all-zero shares split evenly). Ties in the remainder go to
/// the earlier species.
pub fn allocate(shares: &[f64], total: usize) -> Vec<usize> {
    if shares.is_empty() {
        return Vec::new();
    }
    let sum: f64 = shares.iter().sum();
    let quotas: Vec<f64> = if sum > 0.0 && sum.is_finite() {
        shares.iter().map(|s| s / sum * total as f64).collect()
    } else {
        vec![total as f64 / shares.len() as f64; shares.len()]
    };
    let mut counts: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let assigned: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // Largest fractional part first; stable sort keeps species order on ties.
    order.sort_by(|&a, &b| {
        let fa = quotas[a] - quotas[a].floor();
        let fb = quotas[b] - quotas[b].floor();
        fb.total_cmp(&fa)
    });
    for &i in order.iter().cycle().take(total.saturating_sub(assigned)) {
        counts[i] += 1;
    }
    counts
}

/// Everything breeding needs that is shared across species.
pub(crate) struct Breeder<'a, R: Rng + ?Sized> {
    pub config: &'a NeatConfig,
    pub tracker: &'a mut InnovationTracker,
    pub next_id: &'a mut GenomeId,
    pub rng: &'a mut R,
}

impl<R: Rng + ?Sized> Breeder<'_, R> {
    fn fresh_id(&mut self) -> GenomeId {
        let id = *self.next_id;
        *self.next_id += 1;
        id
    }

    /// Breeds `count` children of one species. `ranked` holds the species'
    /// members, best first; `population` and `fitness` are the whole generation,
    /// for interspecies mating.
    pub fn breed_species(
        &mut self,
        ranked: &[usize],
        count: usize,
        population: &[Genome],
        fitness: &[f64],
        children: &mut Vec<Genome>,
    ) {
        if count == 0 || ranked.is_empty() {
            return;
        }
        let mut made = 0;
        let elite_size = match self.config.elitism {
            Elitism::SpeciesSize => ranked.len(),
            Elitism::Offspring => count,
        };
        if elite_size > self.config.elitism_min_size {
            let mut elite = population[ranked[0]].clone();
            elite.id = self.fresh_id();
            children.push(elite);
            made += 1;
        }
        let parents = &ranked[..survivors(self.config, ranked.len())];
        while made < count {
            let child = self.breed_one(parents, population, fitness);
            children.push(child);
            made += 1;
        }
    }

    /// The reference's delta coding: `count` copies of `champion`, each with
    /// weight mutation only (80%) or an add-connection mutation (always weights
    /// when add-connection is off), except the last, which stays unchanged.
    pub fn breed_clones(&mut self, champion: &Genome, count: usize, children: &mut Vec<Genome>) {
        for made in 0..count {
            let mut child = champion.clone();
            child.id = self.fresh_id();
            if made + 1 < count {
                if self.config.add_connection_prob == 0.0 || self.rng.random_bool(0.8) {
                    mutate_weights(&mut child, self.config, self.rng);
                } else {
                    add_connection(&mut child, self.config, self.tracker, self.rng);
                }
            }
            children.push(child);
        }
    }

    fn breed_one(&mut self, parents: &[usize], population: &[Genome], fitness: &[f64]) -> Genome {
        let config = self.config;
        let mom = parents[self.rng.random_range(0..parents.len())];
        let mutation_only = parents.len() < 2 || self.rng.random_bool(config.mutate_only_prob);
        let mut child = if mutation_only {
            let mut child = population[mom].clone();
            child.id = self.fresh_id();
            child
        } else {
            let dad = if self.rng.random_bool(config.interspecies_prob) {
                self.rng.random_range(0..population.len())
            } else {
                parents[self.rng.random_range(0..parents.len())]
            };
            let smaller_first = || {
                if population[mom].conns.len() < population[dad].conns.len() {
                    (mom, dad, Fitter::First)
                } else {
                    (dad, mom, Fitter::First)
                }
            };
            let (first, second, fitter) = match fitness[mom].total_cmp(&fitness[dad]) {
                std::cmp::Ordering::Greater => (mom, dad, Fitter::First),
                std::cmp::Ordering::Less => (dad, mom, Fitter::First),
                std::cmp::Ordering::Equal => match config.tie_genes {
                    TieGenes::Both => (mom, dad, Fitter::Tie),
                    TieGenes::Smaller => smaller_first(),
                },
            };
            let id = self.fresh_id();
            let child = crossover(
                id,
                &population[first],
                &population[second],
                fitter,
                config,
                self.rng,
            );
            // A crossover of a genome with itself, or with an identical copy, is
            // that genome again: it always mutates (the reference does too), so no
            // evaluation is spent on a duplicate.
            let mutates = self.rng.random_bool(config.mutate_after_crossover_prob)
                || mom == dad
                || (population[mom].conns == population[dad].conns
                    && population[mom].nodes == population[dad].nodes);
            if !mutates {
                return child;
            }
            child
        };
        mutate(&mut child, config, self.tracker, self.rng);
        child
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_is_proportional_and_exact() {
        assert_eq!(allocate(&[1.0, 1.0, 2.0], 8), vec![2, 2, 4]);
        assert_eq!(allocate(&[1.0, 1.0, 1.0], 10).iter().sum::<usize>(), 10);
        assert_eq!(allocate(&[0.0, 0.0], 5).iter().sum::<usize>(), 5);
        assert_eq!(allocate(&[0.0, 3.0], 5), vec![0, 5]);
    }

    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    /// A two-input, one-output innovation tracker and an RNG seeded with `seed`.
    fn fixtures(seed: u64) -> (InnovationTracker, Xoshiro256PlusPlus) {
        let tracker = InnovationTracker::new(Genome::first_hidden_id(2, 1));
        (tracker, Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// Breeds `count` children of one species whose members, best first, are
    /// `ranked`.
    fn breed(
        config: &NeatConfig,
        (tracker, rng): (&mut InnovationTracker, &mut Xoshiro256PlusPlus),
        population: &[Genome],
        ranked: &[usize],
        fitness: &[f64],
        count: usize,
    ) -> Vec<Genome> {
        let mut next_id = population.len() as GenomeId;
        let mut breeder = Breeder {
            config,
            tracker,
            next_id: &mut next_id,
            rng,
        };
        let mut children = Vec::new();
        breeder.breed_species(ranked, count, population, fitness, &mut children);
        children
    }

    #[test]
    fn elitism_by_offspring_keeps_the_champion_of_a_small_species_with_many_children() {
        for (elitism, kept) in [(Elitism::Offspring, true), (Elitism::SpeciesSize, false)] {
            let config = NeatConfig {
                weight_mutation_prob: 1.0,
                elitism,
                ..NeatConfig::default()
            };
            let (mut tracker, mut rng) = fixtures(3);
            let population: Vec<Genome> = (0..3)
                .map(|id| Genome::initial(id, 2, 1, &config, &mut tracker, &mut rng))
                .collect();
            // Three members (not more than elitism_min_size 5), ten children.
            let fitness = [1.0, 0.0, 2.0];
            let children = breed(
                &config,
                (&mut tracker, &mut rng),
                &population,
                &[2, 0, 1],
                &fitness,
                10,
            );
            assert_eq!(children.len(), 10);
            let copied = children[0].conns == population[2].conns;
            assert_eq!(copied, kept, "{elitism:?}");
        }
    }

    #[test]
    fn equally_fit_parents_pass_on_the_smaller_genome_under_the_reference_tie_rule() {
        for (tie_genes, union) in [(TieGenes::Both, true), (TieGenes::Smaller, false)] {
            let config = NeatConfig {
                feed_forward: false,
                mutate_only_prob: 0.0,
                mutate_after_crossover_prob: 0.0,
                // Self-crosses mutate anyway: weights only, so no gene appears.
                add_node_prob: 0.0,
                add_connection_prob: 0.0,
                interspecies_prob: 0.0,
                elitism_min_size: 100,
                tie_genes,
                ..NeatConfig::default()
            };
            let (mut tracker, mut rng) = fixtures(4);
            let mut small = Genome::initial(0, 2, 1, &config, &mut tracker, &mut rng);
            let mut big = small.clone();
            big.id = 1;
            // Each parent gets genes of its own; the big one more of them.
            crate::mutation::add_node(&mut small, &config, &mut tracker, &mut rng);
            while big.conns.len() <= small.conns.len() + 1 {
                crate::mutation::add_node(&mut big, &config, &mut tracker, &mut rng);
            }
            let population = vec![small.clone(), big.clone()];
            let children = breed(
                &config,
                (&mut tracker, &mut rng),
                &population,
                &[0, 1],
                &[1.0, 1.0],
                20,
            );
            // A child of the two (not of one parent twice) has genes of both
            // (the union), or only the smaller parent's.
            let has = |g: &Genome, of: &Genome| {
                of.conns
                    .iter()
                    .filter(|c| small.conns.iter().all(|d| d.innovation != c.innovation))
                    .any(|c| g.conns.iter().any(|d| d.innovation == c.innovation))
            };
            let unique_to_small = |g: &Genome| {
                small.conns.iter().any(|c| {
                    big.conns.iter().all(|d| d.innovation != c.innovation)
                        && g.conns.iter().any(|d| d.innovation == c.innovation)
                })
            };
            let mixed = children
                .iter()
                .filter(|c| has(c, &big) && unique_to_small(c))
                .count();
            assert_eq!(mixed > 0, union, "{tie_genes:?}");
        }
    }

    #[test]
    fn a_crossover_of_a_genome_with_itself_always_mutates() {
        let config = NeatConfig {
            mutate_only_prob: 0.0,
            mutate_after_crossover_prob: 0.0,
            weight_mutation_prob: 1.0,
            elitism_min_size: 100,
            ..NeatConfig::default()
        };
        let (mut tracker, mut rng) = fixtures(9);
        let parent = Genome::initial(0, 2, 1, &config, &mut tracker, &mut rng);
        let twin = Genome {
            id: 1,
            ..parent.clone()
        };
        let population = vec![parent.clone(), twin];
        let children = breed(
            &config,
            (&mut tracker, &mut rng),
            &population,
            &[0, 1],
            &[1.0, 1.0],
            10,
        );
        assert!(children.iter().all(|c| c.conns != parent.conns));
    }

    #[test]
    fn survivors_follow_the_configured_rule() {
        let ceil = NeatConfig {
            survival_threshold: 0.4,
            ..NeatConfig::default()
        };
        let reference = NeatConfig {
            survival_rule: SurvivalRule::FloorPlusOne,
            ..ceil.clone()
        };
        // ⌈0.4·10⌉ = 4; ⌊0.4·10 + 1⌋ = 5 (species.cpp:324).
        assert_eq!(survivors(&ceil, 10), 4);
        assert_eq!(survivors(&reference, 10), 5);
        // Sprout keeps two parents where it can; the reference keeps one of two.
        assert_eq!(survivors(&ceil, 2), 2);
        assert_eq!(survivors(&reference, 2), 1);
        assert_eq!(survivors(&ceil, 1), 1);
        assert_eq!(survivors(&reference, 1), 1);
    }
}
