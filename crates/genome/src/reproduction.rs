//! Offspring allocation and breeding within species.

use rand::{Rng, RngExt};

use crate::config::NeatConfig;
use crate::crossover::{Fitter, crossover};
use crate::genome::{Genome, GenomeId};
use crate::innovation::InnovationTracker;
use crate::mutation::mutate;

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
        if ranked.len() > self.config.elitism_min_size {
            let mut elite = population[ranked[0]].clone();
            elite.id = self.fresh_id();
            children.push(elite);
            made += 1;
        }
        let survivors = ((self.config.survival_threshold * ranked.len() as f64).ceil() as usize)
            .max(2)
            .min(ranked.len());
        let parents = &ranked[..survivors];
        while made < count {
            let child = self.breed_one(parents, population, fitness);
            children.push(child);
            made += 1;
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
            let (first, second, fitter) = match fitness[mom].total_cmp(&fitness[dad]) {
                std::cmp::Ordering::Greater => (mom, dad, Fitter::First),
                std::cmp::Ordering::Less => (dad, mom, Fitter::First),
                std::cmp::Ordering::Equal => (mom, dad, Fitter::Tie),
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
            if !self.rng.random_bool(config.mutate_after_crossover_prob) {
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
}
