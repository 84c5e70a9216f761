use proptest::prelude::*;
use rand::{Rng, RngExt};

use super::*;
use crate::testutil::rng;

fn random_patterns<R: Rng + ?Sized>(count: usize, n: usize, r: &mut R) -> Vec<Vec<i8>> {
    (0..count)
        .map(|_| {
            (0..n)
                .map(|_| if r.random_bool(0.5) { 1 } else { -1 })
                .collect()
        })
        .collect()
}

fn flip_fraction<R: Rng + ?Sized>(pattern: &[i8], fraction: f64, r: &mut R) -> Vec<i8> {
    let mut noisy = pattern.to_vec();
    let flips = (fraction * pattern.len() as f64).round() as usize;
    let mut order: Vec<usize> = (0..pattern.len()).collect();
    order.shuffle(r);
    for &i in &order[..flips] {
        noisy[i] = -noisy[i];
    }
    noisy
}

#[derive(Clone, Copy)]
enum Storage {
    Hebbian,
    Storkey,
}

fn build(patterns: &[Vec<i8>], n: usize, storage: Storage) -> ClassicalHopfield {
    let mut net = ClassicalHopfield::new(n).unwrap();
    for p in patterns {
        match storage {
            Storage::Hebbian => net.store_hebbian(p).unwrap(),
            Storage::Storkey => net.store_storkey(p).unwrap(),
        }
    }
    net
}

/// Mean bit agreement with the stored pattern after asynchronous recall from each
/// stored pattern corrupted by `noise` flips.
fn mean_recall(net: &ClassicalHopfield, patterns: &[Vec<i8>], noise: f64, seed: u64) -> f64 {
    let mut r = rng(seed);
    patterns
        .iter()
        .map(|p| {
            let mut state = flip_fraction(p, noise, &mut r);
            net.recall_async(&mut state, 50, &mut r).unwrap();
            bit_agreement(&state, p)
        })
        .sum::<f64>()
        / patterns.len() as f64
}

#[test]
fn hebbian_storage_recalls_five_percent_load_from_noisy_cues() {
    let n = 400;
    let mut r = rng(1);
    let patterns = random_patterns(n / 20, n, &mut r);
    let net = build(&patterns, n, Storage::Hebbian);
    let recall = mean_recall(&net, &patterns, 0.1, 2);
    eprintln!(
        "hebbian N={n} p={} (0.05N), 10% flips: bit recall {recall:.5}",
        patterns.len()
    );
    assert!(recall >= 0.999, "recall {recall}");
}

#[test]
fn hebbian_storage_breaks_down_well_above_capacity() {
    let n = 400;
    let mut r = rng(3);
    let mut report = Vec::new();
    for load in [0.1, 0.2, 0.3] {
        let count = (load * n as f64) as usize;
        let patterns = random_patterns(count, n, &mut r);
        let net = build(&patterns, n, Storage::Hebbian);
        report.push((load, mean_recall(&net, &patterns, 0.0, 4)));
    }
    eprintln!("hebbian N={n}, recall from the stored patterns by load: {report:.4?}");
    assert!(report[0].1 > 0.99, "below capacity recall {:?}", report[0]);
    assert!(report[2].1 < 0.9, "above capacity recall {:?}", report[2]);
}

#[test]
fn one_step_error_follows_erfc_prediction() {
    let n = 500;
    let mut r = rng(5);
    for load in [0.1, 0.2, 0.4] {
        let count = (load * n as f64) as usize;
        let patterns = random_patterns(count, n, &mut r);
        let net = build(&patterns, n, Storage::Hebbian);
        let mut next = vec![0i8; n];
        let flips: usize = patterns
            .iter()
            .map(|p| net.step_sync(p, &mut next).unwrap())
            .sum();
        let measured = flips as f64 / (n * count) as f64;
        let predicted = theoretical_one_step_error(n, count);
        eprintln!(
            "one-step error N={n} p={count}: measured {measured:.5}, predicted {predicted:.5}"
        );
        assert!(
            (measured - predicted).abs() < 0.15 * predicted + 0.001,
            "load {load}: measured {measured}, predicted {predicted}"
        );
    }
}

#[test]
fn storkey_storage_holds_where_hebbian_fails() {
    let n = 200;
    let mut r = rng(7);
    let patterns = random_patterns(n / 5, n, &mut r);
    let hebbian = mean_recall(&build(&patterns, n, Storage::Hebbian), &patterns, 0.0, 8);
    let storkey = mean_recall(&build(&patterns, n, Storage::Storkey), &patterns, 0.0, 8);
    eprintln!(
        "N={n} p={} (0.2N): hebbian recall {hebbian:.4}, storkey recall {storkey:.4}",
        patterns.len()
    );
    assert!(storkey >= 0.99, "storkey {storkey}");
    assert!(hebbian < 0.95, "hebbian {hebbian}");
}

#[test]
fn synchronous_updates_can_cycle_where_asynchronous_converge() {
    let mut net = ClassicalHopfield::new(2).unwrap();
    net.store_hebbian(&[1, -1]).unwrap();
    let mut sync_state = [1i8, 1];
    let sync = net.recall_sync(&mut sync_state, 10).unwrap();
    assert!(
        !sync.converged,
        "synchronous updates oscillate between ±(1, 1)"
    );
    let mut async_state = [1i8, 1];
    let asyn = net.recall_async(&mut async_state, 10, &mut rng(0)).unwrap();
    assert!(asyn.converged);
    assert!(async_state == [1, -1] || async_state == [-1, 1]);
}

#[test]
fn synchronous_recall_completes_patterns_at_low_load() {
    let n = 200;
    let mut r = rng(9);
    let patterns = random_patterns(5, n, &mut r);
    let net = build(&patterns, n, Storage::Hebbian);
    for p in &patterns {
        let mut state = flip_fraction(p, 0.2, &mut r);
        let outcome = net.recall_sync(&mut state, 20).unwrap();
        assert!(outcome.converged);
        assert_eq!(&state, p);
    }
}

#[test]
fn stored_pattern_is_an_energy_minimum_under_both_rules() {
    let n = 64;
    let mut r = rng(11);
    let patterns = random_patterns(4, n, &mut r);
    for storage in [Storage::Hebbian, Storage::Storkey] {
        let net = build(&patterns, n, storage);
        let e = net.energy(&patterns[0]).unwrap();
        for i in 0..n {
            let mut neighbour = patterns[0].clone();
            neighbour[i] = -neighbour[i];
            assert!(net.energy(&neighbour).unwrap() > e);
        }
        let w = net.weights();
        for i in 0..n {
            assert_eq!(w[[i, i]], 0.0);
            for j in 0..n {
                assert!((w[[i, j]] - w[[j, i]]).abs() < 1e-12);
            }
        }
    }
}

#[test]
fn non_bipolar_input_is_rejected() {
    let mut net = ClassicalHopfield::new(3).unwrap();
    assert!(matches!(
        net.store_hebbian(&[1, 0, -1]),
        Err(PlasticityError::InvalidState { index: 1, .. })
    ));
    assert!(net.store_storkey(&[1, 1]).is_err());
    assert!(net.energy(&[1, 2, 1]).is_err());
    assert!(net.local_field(&[1, 1, 1], 3).is_err());
    assert!(net.update_neuron(&mut [1, 1], 0).is_err());
    assert!(ClassicalHopfield::new(0).is_err());
}

proptest! {
    /// Every single-neuron asynchronous update leaves the energy equal or lower.
    #[test]
    fn energy_never_rises_under_asynchronous_updates(
        seed in 0u64..10_000,
        n in 8usize..48,
        count in 1usize..12,
        storkey in any::<bool>(),
    ) {
        let mut r = rng(seed);
        let patterns = random_patterns(count, n, &mut r);
        let storage = if storkey { Storage::Storkey } else { Storage::Hebbian };
        let net = build(&patterns, n, storage);
        let mut state = random_patterns(1, n, &mut r).remove(0);
        let mut energy = net.energy(&state).unwrap();
        for _ in 0..4 * n {
            let i = r.random_range(0..n);
            net.update_neuron(&mut state, i).unwrap();
            let next = net.energy(&state).unwrap();
            prop_assert!(next <= energy + 1e-9, "energy rose from {} to {}", energy, next);
            energy = next;
        }
    }
}
