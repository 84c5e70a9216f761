use proptest::prelude::*;
use rand::RngExt;
use rand::seq::SliceRandom;

use super::*;
use crate::testutil::rng;

fn bipolar(r: &mut impl rand::Rng, dim: usize) -> Vec<f64> {
    (0..dim)
        .map(|_| if r.random_bool(0.5) { 1.0 } else { -1.0 })
        .collect()
}

/// d = 64, 10,000 stored random ±1 patterns, β = 1: 200 random stored patterns with
/// 10% of their bits flipped come back, sign for sign, after one update.
#[test]
fn retrieves_ten_thousand_patterns_in_one_step_from_ten_percent_flips() {
    let dim = 64;
    let count = 10_000;
    let mut r = rng(2020);
    let mut memory = ModernHopfield::new(dim, count, 1.0).unwrap();
    let patterns: Vec<Vec<f64>> = (0..count).map(|_| bipolar(&mut r, dim)).collect();
    for p in &patterns {
        memory.store(p).unwrap();
    }
    assert_eq!(memory.len(), count);
    let flips = (0.1 * dim as f64).round() as usize;
    let mut positions: Vec<usize> = (0..dim).collect();
    let mut out = vec![0.0; dim];
    let queries = 200;
    let mut exact = 0;
    for _ in 0..queries {
        let target = &patterns[r.random_range(0..count)];
        let mut query = target.clone();
        positions.shuffle(&mut r);
        for &i in &positions[..flips] {
            query[i] = -query[i];
        }
        memory.retrieve_into(&query, &mut out).unwrap();
        if out.iter().zip(target).all(|(o, t)| o.signum() == *t) {
            exact += 1;
        }
    }
    eprintln!("modern hopfield d={dim}, M={count}, β=1, {flips} flips: {exact}/{queries} exact");
    assert_eq!(exact, queries);
}

#[test]
fn ring_memory_overwrites_the_oldest_pattern() {
    let mut memory = ModernHopfield::new(2, 2, 10.0).unwrap();
    memory.store(&[1.0, 0.0]).unwrap();
    memory.store(&[0.0, 1.0]).unwrap();
    memory.store(&[-1.0, 0.0]).unwrap();
    assert_eq!(memory.len(), 2);
    let mut out = [0.0; 2];
    memory.retrieve_into(&[0.9, 0.1], &mut out).unwrap();
    // (1, 0) was overwritten, so the closest pattern left is (0, 1).
    assert!(out[1] > 0.9, "{out:?}");
    memory.clear();
    assert!(memory.is_empty());
    memory.retrieve_into(&[0.3, -0.2], &mut out).unwrap();
    assert_eq!(out, [0.3, -0.2]);
}

#[test]
fn invalid_memories_and_queries_are_rejected() {
    assert!(ModernHopfield::new(0, 1, 1.0).is_err());
    assert!(ModernHopfield::new(1, 0, 1.0).is_err());
    assert!(ModernHopfield::new(1, 1, 0.0).is_err());
    let mut memory = ModernHopfield::new(2, 2, 1.0).unwrap();
    assert!(memory.store(&[1.0]).is_err());
    assert!(memory.store(&[1.0, f64::NAN]).is_err());
    assert!(memory.energy(&[0.0, 0.0]).is_err());
    let mut out = [0.0; 3];
    assert!(memory.retrieve_into(&[1.0, 1.0], &mut out).is_err());
}

proptest! {
    /// Ramsauer et al., theorem 1: the update never raises the energy.
    #[test]
    fn update_never_raises_energy(
        seed in 0u64..10_000,
        dim in 2usize..12,
        count in 1usize..30,
        beta in 0.05f64..8.0,
    ) {
        let mut r = rng(seed);
        let mut memory = ModernHopfield::new(dim, count, beta).unwrap();
        for _ in 0..count {
            let p: Vec<f64> = (0..dim).map(|_| r.random_range(-1.0..1.0)).collect();
            memory.store(&p).unwrap();
        }
        let mut xi: Vec<f64> = (0..dim).map(|_| r.random_range(-2.0..2.0)).collect();
        let mut next = vec![0.0; dim];
        let mut energy = memory.energy(&xi).unwrap();
        for _ in 0..5 {
            memory.retrieve_into(&xi, &mut next).unwrap();
            std::mem::swap(&mut xi, &mut next);
            let e = memory.energy(&xi).unwrap();
            prop_assert!(e <= energy + 1e-9, "energy rose from {} to {}", energy, e);
            energy = e;
        }
    }
}
