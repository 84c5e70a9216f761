#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_distr::StandardNormal;

use super::*;
use crate::stats::dot;
use crate::testutil::{covariance, rng, symmetric_eigen};

/// Distance between `w` and the unit vector `pc`, up to the sign of `pc`.
fn sign_invariant_distance(w: &[f64], pc: &[f64]) -> f64 {
    let plus: f64 = w.iter().zip(pc).map(|(a, b)| (a - b).powi(2)).sum();
    let minus: f64 = w.iter().zip(pc).map(|(a, b)| (a + b).powi(2)).sum();
    plus.min(minus).sqrt()
}

fn first_pc(data: &Array2<f64>) -> Vec<f64> {
    let (_, vectors) = symmetric_eigen(&covariance(data));
    vectors.column(0).to_vec()
}

/// The seed simulation: x uniform on [−0.3, 0.3] (shuffled), y = −0.7x, both plus
/// N(0, 0.1²) noise; w₀ = (0.1, 0.4), η = 0.1, one pass of 1,000 steps. Returns the
/// sign-invariant distance between the final weight and the unit first PC.
fn seed_oja_simulation(seed: u64) -> f64 {
    let mut r = rng(seed);
    let n = 1000;
    let mut xs: Vec<f64> = (0..n)
        .map(|i| -0.3 + 0.6 * i as f64 / (n - 1) as f64)
        .collect();
    xs.shuffle(&mut r);
    let mut data = Array2::zeros((n, 2));
    for (i, &x) in xs.iter().enumerate() {
        let nx: f64 = r.sample(StandardNormal);
        let ny: f64 = r.sample(StandardNormal);
        data[[i, 0]] = x + nx / 10.0;
        data[[i, 1]] = -0.7 * x + ny / 10.0;
    }
    let mut w = vec![0.1, 0.4];
    let mut oja = Oja { eta: 0.1 };
    for row in data.rows() {
        let x = row.as_slice().unwrap();
        let y = dot(&w, x);
        oja.update(&mut w, x, y).unwrap();
    }
    sign_invariant_distance(&w, &first_pc(&data))
}

#[test]
fn oja_reaches_unit_first_principal_component_in_2d() {
    let distance = seed_oja_simulation(0);
    eprintln!("oja 2-D (seed 0): distance to unit PC = {distance:.4}");
    assert!(distance < 0.05, "distance {distance}");
}

/// The seed simulation is one noisy pass (η = 0.1) from a start almost orthogonal to
/// the PC, so it is not within 0.05 for every seed: pin how often it is.
#[test]
fn oja_seed_simulation_lands_near_the_pc_for_most_seeds() {
    let distances: Vec<f64> = (0..20).map(seed_oja_simulation).collect();
    let within = distances.iter().filter(|&&d| d < 0.05).count();
    let worst = distances.iter().copied().fold(0.0, f64::max);
    eprintln!("oja 2-D over 20 seeds: {within}/20 within 0.05, worst {worst:.3}");
    assert!(within >= 16, "only {within}/20 seeds within 0.05");
    assert!(worst < 0.1, "worst distance {worst}");
}

/// 5-D Gaussian data with variances (3, 1, 0.5, 0.3, 0.1) along a random rotation.
#[test]
fn oja_converges_to_unit_norm_pc_with_eigengap_in_5d() {
    let mut r = rng(7);
    let d = 5;
    let variances = [3.0, 1.0, 0.5, 0.3, 0.1];
    // Random orthonormal basis by Gram–Schmidt.
    let mut basis: Vec<Array1<f64>> = Vec::new();
    while basis.len() < d {
        let mut v = Array1::from_shape_fn(d, |_| r.sample::<f64, _>(StandardNormal));
        for b in &basis {
            let p = v.dot(b);
            v = v - b * p;
        }
        let norm = v.dot(&v).sqrt();
        basis.push(v / norm);
    }
    let samples = 10_000;
    let mut data = Array2::zeros((samples, d));
    for mut row in data.rows_mut() {
        for (b, var) in basis.iter().zip(variances) {
            let z: f64 = r.sample(StandardNormal);
            row.scaled_add(z * f64::sqrt(var), b);
        }
    }
    let mut w: Vec<f64> = (0..d).map(|_| r.random_range(-0.5..0.5)).collect();
    let mut oja = Oja { eta: 0.002 };
    for row in data.rows() {
        let x = row.as_slice().unwrap();
        let y = dot(&w, x);
        oja.update(&mut w, x, y).unwrap();
    }
    let pc = first_pc(&data);
    let norm = dot(&w, &w).sqrt();
    let cos = dot(&w, &pc).abs() / norm;
    eprintln!("oja 5-D: |w| = {norm:.4}, |cos| = {cos:.5}");
    assert!((norm - 1.0).abs() < 0.02, "norm {norm}");
    assert!(cos > 0.98, "cos {cos}");
}

/// One neuron, inputs e₁ or e₂ with probability ½ each: the neuron becomes
/// selective (response ≈ 2 to one, ≈ 0 to the other) and θ settles near 2.
#[test]
fn bcm_neuron_becomes_selective_to_one_of_two_orthonormal_inputs() {
    let mut r = rng(3);
    let mut w = vec![0.5, 0.45];
    let mut bcm = Bcm {
        eta: 0.002,
        tau_theta: 50.0,
        theta: 0.0,
    };
    let steps = 60_000;
    let mut theta_sum = 0.0;
    let tail = 10_000;
    for step in 0..steps {
        let x = if r.random_bool(0.5) {
            [1.0, 0.0]
        } else {
            [0.0, 1.0]
        };
        let v = dot(&w, &x);
        bcm.update(&mut w, &x, v).unwrap();
        if step >= steps - tail {
            theta_sum += bcm.theta;
        }
    }
    let theta_mean = theta_sum / tail as f64;
    let (high, low) = if w[0] > w[1] {
        (w[0], w[1])
    } else {
        (w[1], w[0])
    };
    eprintln!(
        "bcm: responses ({high:.4}, {low:.4}), mean theta {theta_mean:.4}, final theta {:.4}",
        bcm.theta
    );
    assert!((high - 2.0).abs() < 0.1, "preferred response {high}");
    assert!(low.abs() < 0.1, "other response {low}");
    assert!((theta_mean - 2.0).abs() < 0.1, "theta {theta_mean}");
}

/// The truth table of the slides: plain Hebb only strengthens when both fire.
#[test]
fn hebb_potentiates_only_coincident_activity() {
    for (pre, post, grows) in [
        (0.0, 0.0, false),
        (1.0, 0.0, false),
        (0.0, 1.0, false),
        (1.0, 1.0, true),
    ] {
        let mut w = [0.0];
        Hebb { eta: 1.0 }.update(&mut w, &[pre], post).unwrap();
        assert_eq!(w[0] > 0.0, grows, "pre {pre}, post {post}");
        assert!(w[0] >= 0.0);
    }
}

#[test]
fn covariance_rule_switches_between_ltp_and_ltd_at_thresholds() {
    let mut rule = Covariance {
        eta: 0.5,
        pre_threshold: 0.0,
        post_threshold: 0.5,
    };
    let mut w = [1.0];
    rule.update(&mut w, &[1.0], 0.2).unwrap();
    assert!(w[0] < 1.0, "post below threshold depresses");
    let mut w = [1.0];
    rule.update(&mut w, &[1.0], 0.9).unwrap();
    assert!(w[0] > 1.0, "post above threshold potentiates");
    let mut pre_switch = Covariance {
        eta: 0.5,
        pre_threshold: 0.5,
        post_threshold: 0.0,
    };
    let mut w = [1.0];
    pre_switch.update(&mut w, &[0.2], 1.0).unwrap();
    assert!(w[0] < 1.0, "pre below threshold depresses");
}

/// An input with a large mean but no correlation with the output: plain Hebb drifts
/// with the mean, the covariance rule with thresholds at the means does not.
#[test]
fn covariance_rule_ignores_mean_activity_that_hebb_amplifies() {
    let mut r = rng(11);
    let mut hebb_w = [0.0];
    let mut cov_w = [0.0];
    let mut hebb = Hebb { eta: 0.01 };
    let mut cov = Covariance {
        eta: 0.01,
        pre_threshold: 1.0,
        post_threshold: 1.0,
    };
    for _ in 0..5_000 {
        let pre = 1.0 + r.sample::<f64, _>(StandardNormal) * 0.1;
        let post = 1.0 + r.sample::<f64, _>(StandardNormal) * 0.1;
        hebb.update(&mut hebb_w, &[pre], post).unwrap();
        cov.update(&mut cov_w, &[pre], post).unwrap();
    }
    assert!(hebb_w[0] > 40.0, "hebb {}", hebb_w[0]);
    assert!(cov_w[0].abs() < 0.1, "covariance {}", cov_w[0]);
}

#[test]
fn abcd_reduces_to_hebb_and_to_pure_terms() {
    let hebb_like = Abcd {
        eta: 0.1,
        a: 1.0,
        ..Abcd::FROZEN
    };
    assert!((hebb_like.delta(0.5, 2.0) - 0.1).abs() < 1e-15);
    let pre_only = Abcd {
        eta: 1.0,
        b: 2.0,
        ..Abcd::FROZEN
    };
    assert_eq!(pre_only.delta(3.0, 100.0), 6.0);
    let post_only = Abcd {
        eta: 1.0,
        c: -1.0,
        ..Abcd::FROZEN
    };
    assert_eq!(post_only.delta(100.0, 3.0), -3.0);
    let drift = Abcd {
        eta: 0.5,
        d: 1.0,
        ..Abcd::FROZEN
    };
    assert_eq!(drift.delta(7.0, -7.0), 0.5);
    assert_eq!(Abcd::FROZEN.delta(1.0, 1.0), 0.0);
}

#[test]
fn neuromodulation_gates_and_reverses_the_update() {
    let rule = Abcd {
        eta: 0.2,
        a: 1.0,
        b: 0.3,
        c: -0.2,
        d: 0.05,
    };
    let plain = rule.delta(0.8, 0.6);
    assert_eq!(rule.modulated_delta(0.8, 0.6, 0.0), 0.0);
    let up = rule.modulated_delta(0.8, 0.6, 2.0);
    let down = rule.modulated_delta(0.8, 0.6, -2.0);
    assert!((up - 1f64.tanh() * plain).abs() < 1e-15);
    assert!((up + down).abs() < 1e-15);
    assert!(rule.modulated_delta(0.8, 0.6, 100.0) <= plain + 1e-15);
    let mut w = [0.0, 0.0];
    let mut gated = Neuromodulated {
        rule,
        modulation: 0.0,
    };
    gated.update(&mut w, &[1.0, 0.5], 1.0).unwrap();
    assert_eq!(w, [0.0, 0.0]);
}

#[test]
fn abcd_round_trips_through_serde() {
    let rule = Abcd {
        eta: 0.01,
        a: 1.5,
        b: -0.25,
        c: 0.125,
        d: -1e-3,
    };
    let text = serde_json::to_string(&rule).unwrap();
    let back: Abcd = serde_json::from_str(&text).unwrap();
    assert_eq!(back, rule);
}

/// Hebb alone diverges; with multiplicative normalisation it converges to the first
/// principal component of (zero-mean) data, like Oja's rule.
#[test]
fn normalised_hebb_finds_principal_direction_where_plain_hebb_diverges() {
    let mut r = rng(5);
    let mut data = Array2::zeros((4000, 2));
    for mut row in data.rows_mut() {
        let a: f64 = r.sample(StandardNormal);
        let b: f64 = r.sample(StandardNormal);
        row[0] = a + 0.3 * b;
        row[1] = a - 0.3 * b;
    }
    let mut plain = vec![0.3, -0.1];
    let mut normalised = plain.clone();
    let mut constrained = Constrained {
        rule: Hebb { eta: 0.002 },
        constraints: WeightConstraints {
            bounds: None,
            normalisation: Normalisation::Multiplicative { norm: 1.0 },
        },
    };
    for row in data.rows() {
        let x = row.as_slice().unwrap();
        let y = dot(&plain, x);
        Hebb { eta: 0.002 }.update(&mut plain, x, y).unwrap();
        let y = dot(&normalised, x);
        constrained.update(&mut normalised, x, y).unwrap();
    }
    assert!(dot(&plain, &plain).sqrt() > 1e3);
    let pc = first_pc(&data);
    assert!(sign_invariant_distance(&normalised, &pc) < 0.05);
}

#[test]
fn rules_reject_mismatched_lengths_and_bad_parameters() {
    let mut w = [0.0; 3];
    assert!(Hebb { eta: 0.1 }.update(&mut w, &[1.0], 1.0).is_err());
    assert!(
        Oja { eta: f64::NAN }
            .update(&mut w, &[1.0; 3], 1.0)
            .is_err()
    );
    let mut bcm = Bcm {
        eta: 0.1,
        tau_theta: 0.5,
        theta: 0.0,
    };
    assert!(bcm.update(&mut w, &[1.0; 3], 1.0).is_err());
    assert!(WeightBounds::new(1.0, -1.0).is_err());
    let mut bad = Constrained {
        rule: Hebb { eta: 0.1 },
        constraints: WeightConstraints {
            bounds: None,
            normalisation: Normalisation::Multiplicative { norm: -1.0 },
        },
    };
    assert!(bad.update(&mut w, &[1.0; 3], 1.0).is_err());
}

proptest! {
    /// Whatever the rule does, constrained weights stay inside their bounds and a
    /// subtractive normalisation keeps the sum fixed (before clipping bites).
    #[test]
    fn constraints_hold_after_any_update(
        w0 in prop::collection::vec(-1.0f64..1.0, 1..8),
        eta in 0.0f64..2.0,
        a in -3.0f64..3.0,
        b in -3.0f64..3.0,
        post in -5.0f64..5.0,
        seed in 0u64..1000,
    ) {
        let mut r = rng(seed);
        let pre: Vec<f64> = w0.iter().map(|_| r.random_range(-5.0..5.0)).collect();
        let bounds = WeightBounds::new(-0.5, 0.75).unwrap();
        let mut clipped = Constrained {
            rule: Abcd { eta, a, b, c: 0.0, d: 0.1 },
            constraints: WeightConstraints { bounds: Some(bounds), normalisation: Normalisation::None },
        };
        let mut w = w0.clone();
        clipped.update(&mut w, &pre, post).unwrap();
        prop_assert!(w.iter().all(|&x| (-0.5..=0.75).contains(&x)));

        let mut summed = Constrained {
            rule: Abcd { eta, a, b, c: 0.0, d: 0.1 },
            constraints: WeightConstraints { bounds: None, normalisation: Normalisation::Subtractive { sum: 0.25 } },
        };
        let mut w = w0.clone();
        summed.update(&mut w, &pre, post).unwrap();
        prop_assert!((w.iter().sum::<f64>() - 0.25).abs() < 1e-9);
    }
}
