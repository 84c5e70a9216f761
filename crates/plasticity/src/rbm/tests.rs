#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::RngExt;

use super::*;
use crate::testutil::rng;

/// The bits of `index` as 0/1 values, least significant first.
fn write_bits(index: usize, out: &mut [f64]) {
    for (k, o) in out.iter_mut().enumerate() {
        *o = ((index >> k) & 1) as f64;
    }
}

/// The 14 distinct 3×3 bars-and-stripes patterns (row-major pixels).
pub(crate) fn bars_and_stripes() -> Array2<f64> {
    let mut patterns: Vec<[f64; 9]> = Vec::new();
    for mask in 0..8usize {
        let mut stripes = [0.0; 9];
        let mut bars = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                stripes[3 * r + c] = ((mask >> r) & 1) as f64;
                bars[3 * r + c] = ((mask >> c) & 1) as f64;
            }
        }
        for p in [stripes, bars] {
            if !patterns.contains(&p) {
                patterns.push(p);
            }
        }
    }
    Array2::from_shape_fn((patterns.len(), 9), |(i, j)| patterns[i][j])
}

fn trained(estimator: Estimator, lr: f64, momentum: f64, epochs: usize, seed: u64) -> Rbm {
    let data = bars_and_stripes();
    let mut r = rng(seed);
    let mut rbm = Rbm::new(9, 8, 0.1, &mut r).unwrap();
    let config = TrainingConfig {
        estimator,
        learning_rate: lr,
        momentum,
        weight_decay: 0.0,
    };
    let mut trainer = RbmTrainer::new(&rbm, config, &mut r).unwrap();
    trainer
        .train(&mut rbm, data.view(), epochs, data.nrows(), &mut r)
        .unwrap();
    rbm
}

#[test]
fn bars_and_stripes_has_fourteen_patterns_and_optimum_minus_ln_14() {
    let data = bars_and_stripes();
    assert_eq!(data.nrows(), 14);
    // No RBM can beat the uniform distribution over the data: −ln 14 ≈ −2.639.
    let optimum = -(14f64.ln());
    assert!((optimum + 2.639).abs() < 1e-3);
    let untrained = Rbm::new(9, 8, 0.0, &mut rng(0)).unwrap();
    let uniform = untrained.exact_log_likelihood(data.view()).unwrap();
    assert!(
        (uniform + 9.0 * 2f64.ln()).abs() < 1e-12,
        "all-zero RBM is uniform"
    );
}

#[test]
fn exact_gradient_training_nears_the_optimum_on_bars_and_stripes() {
    let rbm = trained(Estimator::Exact, 0.5, 0.9, 500, 1);
    let ll = rbm.exact_log_likelihood(bars_and_stripes().view()).unwrap();
    eprintln!(
        "exact gradient, 8 hidden, 500 steps: log-likelihood {ll:.4} (optimum {:.4})",
        -(14f64.ln())
    );
    assert!(ll >= -2.70, "log-likelihood {ll}");
    assert!(ll <= -(14f64.ln()) + 1e-9);
}

#[test]
fn cd10_ends_at_least_as_high_as_cd1() {
    let data = bars_and_stripes();
    for seed in 0..2 {
        let cd1 = trained(
            Estimator::ContrastiveDivergence { k: 1 },
            0.1,
            0.5,
            1000,
            seed,
        );
        let cd10 = trained(
            Estimator::ContrastiveDivergence { k: 10 },
            0.1,
            0.5,
            1000,
            seed,
        );
        let ll1 = cd1.exact_log_likelihood(data.view()).unwrap();
        let ll10 = cd10.exact_log_likelihood(data.view()).unwrap();
        eprintln!("seed {seed}, 1000 epochs: CD-1 {ll1:.4}, CD-10 {ll10:.4}");
        assert!(ll10 >= ll1, "CD-10 {ll10} < CD-1 {ll1}");
    }
}

/// With a rate small enough for the fantasy chains to keep up, PCD follows the true
/// gradient more closely than CD-1 (mean over two seeds, 2,000 epochs, lr 0.1).
#[test]
fn persistent_cd_with_many_chains_beats_cd1_at_equal_budget() {
    let data = bars_and_stripes();
    let mean_ll = |estimator| {
        (0..2)
            .map(|seed| {
                trained(estimator, 0.1, 0.0, 2000, seed)
                    .exact_log_likelihood(data.view())
                    .unwrap()
            })
            .sum::<f64>()
            / 2.0
    };
    let ll1 = mean_ll(Estimator::ContrastiveDivergence { k: 1 });
    let llp = mean_ll(Estimator::Persistent { k: 1, chains: 50 });
    eprintln!("2000 epochs, lr 0.1, mean of 2 seeds: CD-1 {ll1:.4}, PCD-1 (50 chains) {llp:.4}");
    assert!(llp > ll1 + 0.05, "PCD {llp} vs CD-1 {ll1}");
}

#[test]
fn cd_training_lowers_reconstruction_error() {
    let data = bars_and_stripes();
    let before = Rbm::new(9, 8, 0.1, &mut rng(4)).unwrap();
    let after = trained(Estimator::ContrastiveDivergence { k: 1 }, 0.1, 0.0, 1000, 4);
    let e0 = before.reconstruction_error(data.view()).unwrap();
    let e1 = after.reconstruction_error(data.view()).unwrap();
    eprintln!("reconstruction error: {e0:.4} -> {e1:.4}");
    assert!(e1 < 0.5 * e0, "{e0} -> {e1}");
}

/// One exact step with a small rate raises the log-likelihood by rate·‖∇‖², with the
/// gradient measured by central finite differences of the exact log-likelihood.
#[test]
fn exact_estimator_follows_the_true_gradient() {
    let data = bars_and_stripes();
    let mut r = rng(9);
    for (nv_first, nh) in [(true, 12), (false, 5)] {
        let base = Rbm::new(9, nh, 0.5, &mut r).unwrap();
        let ll = |rbm: &Rbm| rbm.exact_log_likelihood(data.view()).unwrap();
        let eps = 1e-5;
        let mut grad_sq = 0.0;
        let mut perturbed = |f: &dyn Fn(&mut Rbm)| {
            let mut plus = base.clone();
            let mut minus = base.clone();
            f(&mut plus);
            // Mirror the change for the minus side.
            for ((m, p), b) in minus.w.iter_mut().zip(&plus.w).zip(&base.w) {
                *m = 2.0 * b - p;
            }
            for ((m, p), b) in minus.b.iter_mut().zip(&plus.b).zip(&base.b) {
                *m = 2.0 * b - p;
            }
            for ((m, p), b) in minus.c.iter_mut().zip(&plus.c).zip(&base.c) {
                *m = 2.0 * b - p;
            }
            let g = (ll(&plus) - ll(&minus)) / (2.0 * eps);
            grad_sq += g * g;
        };
        for idx in 0..base.w.len() {
            perturbed(&|rbm: &mut Rbm| {
                let cols = rbm.w.ncols();
                rbm.w[[idx / cols, idx % cols]] += eps;
            });
        }
        for idx in 0..9 {
            perturbed(&|rbm: &mut Rbm| rbm.b[idx] += eps);
        }
        for idx in 0..nh {
            perturbed(&|rbm: &mut Rbm| rbm.c[idx] += eps);
        }
        let lr = 1e-6;
        let config = TrainingConfig {
            estimator: Estimator::Exact,
            learning_rate: lr,
            momentum: 0.0,
            weight_decay: 0.0,
        };
        let mut stepped = base.clone();
        let mut trainer = RbmTrainer::new(&stepped, config, &mut r).unwrap();
        trainer.step(&mut stepped, data.view(), &mut r).unwrap();
        let gain = ll(&stepped) - ll(&base);
        let predicted = lr * grad_sq;
        assert!(
            (gain - predicted).abs() < 1e-3 * predicted,
            "visible enumerated: {nv_first}; gain {gain}, predicted {predicted}"
        );
    }
}

#[test]
fn invalid_configurations_and_data_are_rejected() {
    let mut r = rng(0);
    let rbm = Rbm::new(3, 2, 0.1, &mut r).unwrap();
    let bad = |estimator, momentum| TrainingConfig {
        estimator,
        learning_rate: 0.1,
        momentum,
        weight_decay: 0.0,
    };
    assert!(
        RbmTrainer::new(
            &rbm,
            bad(Estimator::ContrastiveDivergence { k: 0 }, 0.0),
            &mut r
        )
        .is_err()
    );
    assert!(
        RbmTrainer::new(
            &rbm,
            bad(Estimator::Persistent { k: 1, chains: 0 }, 0.0),
            &mut r
        )
        .is_err()
    );
    assert!(RbmTrainer::new(&rbm, bad(Estimator::Exact, 1.0), &mut r).is_err());
    let wrong_width = Array2::<f64>::zeros((2, 4));
    assert!(rbm.reconstruction_error(wrong_width.view()).is_err());
    let not_binary = Array2::from_elem((1, 3), 0.5);
    assert!(rbm.exact_log_likelihood(not_binary.view()).is_err());
    let wide = Rbm::new(21, 21, 0.1, &mut r).unwrap();
    assert!(matches!(
        wide.log_partition(),
        Err(PlasticityError::TooLargeToEnumerate { units: 21, .. })
    ));
    assert!(Rbm::from_parts(Array2::zeros((2, 0)), Array1::zeros(2), Array1::zeros(0)).is_err());
    assert!(rbm.energy(&[1.0, 0.0], &[1.0, 1.0]).is_err());
}

proptest! {
    /// p(v) ∝ exp(−F(v)) equals the marginal of the joint exp(−E(v, h))/Z obtained by
    /// brute force over every (v, h), whichever layer `log_partition` enumerates.
    #[test]
    fn free_energy_marginal_matches_joint_enumeration(
        seed in 0u64..10_000,
        nv in 1usize..6,
        nh in 1usize..6,
        scale in 0.1f64..2.0,
    ) {
        let mut r = rng(seed);
        let mut rbm = Rbm::new(nv, nh, scale, &mut r).unwrap();
        rbm.b = Array1::from_shape_fn(nv, |_| scale * r.sample::<f64, _>(StandardNormal));
        rbm.c = Array1::from_shape_fn(nh, |_| scale * r.sample::<f64, _>(StandardNormal));
        let mut v = vec![0.0; nv];
        let mut h = vec![0.0; nh];
        let mut joint = Vec::new();
        let mut marginal = vec![Vec::new(); 1 << nv];
        for (vs, terms) in marginal.iter_mut().enumerate() {
            write_bits(vs, &mut v);
            for hs in 0..1usize << nh {
                write_bits(hs, &mut h);
                let neg_e = -rbm.energy(&v, &h).unwrap();
                joint.push(neg_e);
                terms.push(neg_e);
            }
        }
        let log_z_joint = log_sum_exp(&joint);
        let log_z = rbm.log_partition().unwrap();
        prop_assert!((log_z - log_z_joint).abs() < 1e-9, "ln Z {} vs {}", log_z, log_z_joint);
        for (vs, terms) in marginal.iter().enumerate() {
            write_bits(vs, &mut v);
            let from_free_energy = -rbm.free_energy(&v).unwrap();
            prop_assert!((from_free_energy - log_sum_exp(terms)).abs() < 1e-9);
        }
    }
}
