//! Seeds derived as pure functions of (run seed, generation, genome id).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

use sprout_task::EvalContext;

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of one evaluation. It depends on nothing but its arguments, so the
/// evaluation gives the same result on any thread, in any order, after a resume,
/// and on replay.
pub fn evaluation_seed(run_seed: u64, generation: u64, genome_id: u64) -> u64 {
    mix(mix(mix(run_seed) ^ generation) ^ genome_id)
}

/// The context of one evaluation.
pub fn evaluation_context(run_seed: u64, generation: u64, genome_id: u64) -> EvalContext {
    EvalContext {
        generation,
        rng: Xoshiro256PlusPlus::seed_from_u64(evaluation_seed(run_seed, generation, genome_id)),
    }
}

/// The seed of the population's master RNG for a run.
pub fn master_seed(run_seed: u64) -> u64 {
    mix(run_seed ^ 0x5350_524f_5554)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_seeds_differ_by_every_argument() {
        let base = evaluation_seed(1, 2, 3);
        assert_ne!(base, evaluation_seed(0, 2, 3));
        assert_ne!(base, evaluation_seed(1, 3, 3));
        assert_ne!(base, evaluation_seed(1, 2, 4));
        assert_ne!(evaluation_seed(1, 2, 3), evaluation_seed(1, 3, 2));
        assert_eq!(base, evaluation_seed(1, 2, 3));
    }
}
