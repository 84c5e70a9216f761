#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rand::RngExt;
use rand_distr::StandardNormal;

use super::*;
use crate::testutil::{rng, solve};

/// Mean squared-error loss (1/2n)·Σ(x·w − y)².
fn linear_loss(x: &Array2<f64>, y: &Array1<f64>, w: &Array1<f64>) -> f64 {
    let r = x.dot(w) - y;
    0.5 * r.dot(&r) / x.nrows() as f64
}

/// Linear least squares with independent inputs of different scales, fitted exactly.
fn linear_problem() -> (Array2<f64>, Array1<f64>, Array1<f64>) {
    let mut r = rng(17);
    let (n, d) = (4000, 6);
    let scales = [3.0, 0.2, 1.0, 0.5, 2.0, 0.05];
    let truth = [0.1, 2.0, -0.7, 0.3, -0.05, 5.0];
    let x = Array2::from_shape_fn((n, d), |(_, k)| {
        scales[k] * r.sample::<f64, _>(StandardNormal)
    });
    let y = Array1::from_shape_fn(n, |i| {
        (0..d).map(|k| truth[k] * x[[i, k]]).sum::<f64>() + 0.3 * r.sample::<f64, _>(StandardNormal)
    });
    let w = solve(&x.t().dot(&x), &x.t().dot(&y));
    (x, y, w)
}

fn linear_saliency(x: &Array2<f64>, w: &Array1<f64>) -> Vec<f64> {
    let mut gn = GaussNewtonDiagonal::new(w.len());
    for row in x.rows() {
        gn.add_sample(row.as_slice().unwrap(), 1.0).unwrap();
    }
    obd_saliency(w.as_slice().unwrap(), &gn.diagonal().unwrap()).unwrap()
}

#[test]
fn obd_saliency_equals_loss_increase_on_linear_least_squares() {
    let (x, y, w) = linear_problem();
    let base = linear_loss(&x, &y, &w);
    let saliency = linear_saliency(&x, &w);
    for k in 0..w.len() {
        let mut cut = w.clone();
        cut[k] = 0.0;
        let increase = linear_loss(&x, &y, &cut) - base;
        eprintln!(
            "weight {k}: saliency {:.6e}, loss increase {increase:.6e}",
            saliency[k]
        );
        assert!(
            (increase - saliency[k]).abs() <= 1e-8 * saliency[k].max(1e-12),
            "weight {k}: saliency {}, increase {increase}",
            saliency[k]
        );
    }
}

/// Independent inputs make the Hessian (nearly) diagonal, so saliencies add up when
/// several weights are deleted together.
#[test]
fn obd_saliencies_add_up_for_independent_inputs() {
    let (x, y, w) = linear_problem();
    let base = linear_loss(&x, &y, &w);
    let saliency = linear_saliency(&x, &w);
    let mut cut = w.clone();
    for k in [1, 2, 5] {
        cut[k] = 0.0;
    }
    let increase = linear_loss(&x, &y, &cut) - base;
    let predicted = saliency[1] + saliency[2] + saliency[5];
    assert!(
        (increase - predicted).abs() < 0.03 * predicted,
        "{increase} vs {predicted}"
    );
}

/// A 2–10–1 tanh network for y = sin(x₁) + 4·x₂ with x₁ ∈ [−3, 3], x₂ ∈ [−0.25, 0.25]:
/// input scales differ, so weight size is a poor guide to importance.
struct Mlp {
    w1: Array2<f64>,
    b1: Array1<f64>,
    w2: Array1<f64>,
    b2: f64,
}

const HIDDEN: usize = 10;

impl Mlp {
    /// Prunable weights: w1 row-major, then w2 (biases are never pruned).
    fn weights(&self) -> Vec<f64> {
        self.w1.iter().chain(self.w2.iter()).copied().collect()
    }

    fn with_mask(&self, alive: &[bool]) -> Mlp {
        let mut m = Mlp {
            w1: self.w1.clone(),
            b1: self.b1.clone(),
            w2: self.w2.clone(),
            b2: self.b2,
        };
        let n1 = m.w1.len();
        for (k, w) in m.w1.iter_mut().enumerate() {
            if !alive[k] {
                *w = 0.0;
            }
        }
        for (k, w) in m.w2.iter_mut().enumerate() {
            if !alive[n1 + k] {
                *w = 0.0;
            }
        }
        m
    }

    fn hidden(&self, x: &[f64]) -> Array1<f64> {
        Array1::from_shape_fn(HIDDEN, |j| {
            (self.b1[j] + self.w1[[j, 0]] * x[0] + self.w1[[j, 1]] * x[1]).tanh()
        })
    }

    fn predict(&self, x: &[f64]) -> f64 {
        self.b2 + self.w2.dot(&self.hidden(x))
    }

    fn loss(&self, data: &[([f64; 2], f64)]) -> f64 {
        data.iter()
            .map(|(x, y)| 0.5 * (self.predict(x) - y).powi(2))
            .sum::<f64>()
            / data.len() as f64
    }

    /// ∂f/∂(prunable weights) at `x`, in the order of [`Mlp::weights`].
    fn output_gradient(&self, x: &[f64], out: &mut Vec<f64>) {
        let a = self.hidden(x);
        out.clear();
        for j in 0..HIDDEN {
            let da = self.w2[j] * (1.0 - a[j] * a[j]);
            out.push(da * x[0]);
            out.push(da * x[1]);
        }
        out.extend(a.iter());
    }

    /// Full-batch Adam on every parameter.
    fn train(data: &[([f64; 2], f64)], steps: usize, seed: u64) -> Mlp {
        let mut r = rng(seed);
        let mut m = Mlp {
            w1: Array2::from_shape_fn((HIDDEN, 2), |_| 0.5 * r.sample::<f64, _>(StandardNormal)),
            b1: Array1::from_shape_fn(HIDDEN, |_| 0.5 * r.sample::<f64, _>(StandardNormal)),
            w2: Array1::from_shape_fn(HIDDEN, |_| 0.5 * r.sample::<f64, _>(StandardNormal)),
            b2: 0.0,
        };
        let p = 4 * HIDDEN + 1;
        let (mut mom, mut var) = (vec![0.0; p], vec![0.0; p]);
        let (lr, b1, b2) = (0.01, 0.9, 0.999);
        for t in 1..=steps {
            let mut g = vec![0.0; p];
            for (x, y) in data {
                let a = m.hidden(x);
                let err = m.predict(x) - y;
                for j in 0..HIDDEN {
                    let da = err * m.w2[j] * (1.0 - a[j] * a[j]);
                    g[2 * j] += da * x[0];
                    g[2 * j + 1] += da * x[1];
                    g[2 * HIDDEN + j] += err * a[j];
                    g[3 * HIDDEN + j] += da;
                }
                g[4 * HIDDEN] += err;
            }
            let mut params: Vec<&mut f64> =
                m.w1.iter_mut()
                    .chain(m.w2.iter_mut())
                    .chain(m.b1.iter_mut())
                    .chain(std::iter::once(&mut m.b2))
                    .collect();
            for (i, param) in params.iter_mut().enumerate() {
                let gi = g[i] / data.len() as f64;
                mom[i] = b1 * mom[i] + (1.0 - b1) * gi;
                var[i] = b2 * var[i] + (1.0 - b2) * gi * gi;
                let mh = mom[i] / (1.0 - b1.powi(t as i32));
                let vh = var[i] / (1.0 - b2.powi(t as i32));
                **param -= lr * mh / (vh.sqrt() + 1e-8);
            }
        }
        m
    }
}

/// Losses after one-shot pruning (no retraining) of a freshly trained network, by
/// sparsity: (OBD, magnitude, mean of 10 random draws).
fn pruning_losses(net_seed: u64, sparsities: &[f64]) -> Vec<(f64, f64, f64)> {
    let mut r = rng(23 + net_seed);
    let data: Vec<([f64; 2], f64)> = (0..120)
        .map(|_| {
            let x: [f64; 2] = [r.random_range(-3.0..3.0), r.random_range(-0.25..0.25)];
            (x, x[0].sin() + 4.0 * x[1])
        })
        .collect();
    let net = Mlp::train(&data, 2000, net_seed);
    let trained_loss = net.loss(&data);
    assert!(trained_loss < 0.01, "training failed: loss {trained_loss}");
    let weights = net.weights();
    let mut gn = GaussNewtonDiagonal::new(weights.len());
    let mut grad = Vec::new();
    for (x, _) in &data {
        net.output_gradient(x, &mut grad);
        gn.add_sample(&grad, 1.0).unwrap();
    }
    let obd = obd_saliency(&weights, &gn.diagonal().unwrap()).unwrap();
    let magnitude = magnitude_saliency(&weights);
    let pruned_loss = |saliency: &[f64], sparsity: f64| {
        let mut alive = vec![true; weights.len()];
        prune_to_sparsity(saliency, &mut alive, sparsity, |_, _| true).unwrap();
        net.with_mask(&alive).loss(&data)
    };
    sparsities
        .iter()
        .map(|&sparsity| {
            let random = (0..10)
                .map(|s| pruned_loss(&random_saliency(weights.len(), &mut rng(100 + s)), sparsity))
                .sum::<f64>()
                / 10.0;
            (
                pruned_loss(&obd, sparsity),
                pruned_loss(&magnitude, sparsity),
                random,
            )
        })
        .collect()
}

/// OBD is a single-deletion estimate: it must win while deletions are few. Pinned at
/// 20% and 30% of the 30 weights, for four independently trained networks.
#[test]
fn obd_beats_magnitude_and_random_on_a_trained_mlp_without_retraining() {
    let sparsities = [0.2, 0.3];
    for net_seed in 5..9 {
        let losses = pruning_losses(net_seed, &sparsities);
        for (&sparsity, &(obd, magnitude, random)) in sparsities.iter().zip(&losses) {
            eprintln!(
                "net {net_seed}, sparsity {sparsity}: loss OBD {obd:.4}, magnitude {magnitude:.4}, random {random:.4}"
            );
            assert!(
                obd < magnitude,
                "net {net_seed}, sparsity {sparsity}: OBD {obd} vs magnitude {magnitude}"
            );
            assert!(
                obd < random,
                "net {net_seed}, sparsity {sparsity}: OBD {obd} vs random {random}"
            );
        }
    }
}

#[test]
fn pruning_removes_lowest_saliency_first_and_is_deterministic() {
    let saliency = [0.5, 0.1, 0.9, 0.1, 0.3];
    let mut alive = [true; 5];
    let removed = prune_to_sparsity(&saliency, &mut alive, 0.4, |_, _| true).unwrap();
    assert_eq!(removed, 2);
    assert_eq!(alive, [true, false, true, false, true]);
    // Already-dead weights count towards the target.
    let removed = prune_to_sparsity(&saliency, &mut alive, 0.6, |_, _| true).unwrap();
    assert_eq!(removed, 1);
    assert_eq!(alive, [true, false, true, false, false]);
    // A veto skips to the next candidate.
    let mut alive = [true; 5];
    prune_to_sparsity(&saliency, &mut alive, 0.2, |k, _| k != 1).unwrap();
    assert_eq!(alive, [true, true, true, false, true]);
}

#[test]
fn pruning_rejects_bad_arguments() {
    let mut alive = [true; 2];
    assert!(prune_to_sparsity(&[0.1], &mut alive, 0.5, |_, _| true).is_err());
    assert!(prune_to_sparsity(&[0.1, 0.2], &mut alive, 1.5, |_, _| true).is_err());
    assert!(prune_to_sparsity(&[0.1, f64::NAN], &mut alive, 0.5, |_, _| true).is_err());
    assert!(obd_saliency(&[1.0], &[]).is_err());
    assert!(GaussNewtonDiagonal::new(2).diagonal().is_err());
    assert!(ActivityTracker::new(2, 0.0).is_err());
}

#[test]
fn activity_tracker_scores_silent_connections_lowest() {
    let mut tracker = ActivityTracker::new(3, 0.1).unwrap();
    for step in 0..200 {
        tracker.observe(0, 0.5, 1.0);
        tracker.observe(1, 2.0, 0.0);
        tracker.observe(2, -0.1, if step % 2 == 0 { 1.0 } else { -1.0 });
    }
    let usage = tracker.usage();
    assert!((usage[0] - 0.5).abs() < 1e-6);
    assert_eq!(
        usage[1], 0.0,
        "a large weight that never carries signal is unused"
    );
    assert!((usage[2] - 0.1).abs() < 1e-6);
    let mut alive = [true; 3];
    prune_to_sparsity(usage, &mut alive, 1.0 / 3.0, |_, _| true).unwrap();
    assert_eq!(alive, [true, false, true]);
}

#[test]
fn guard_keeps_the_last_path_to_each_output() {
    // inputs 10, 11; hidden 20; outputs 30, 31.
    let edges = [(10, 20), (11, 20), (20, 30), (10, 30), (11, 31)];
    let mut guard = OutputPathGuard::new(&edges, &[10, 11], &[30, 31]);
    let mut alive = [true; 5];
    let removed = prune_to_sparsity(&[0.0; 5], &mut alive, 1.0, |k, a| {
        guard.allows_removal(k, a)
    })
    .unwrap();
    // 11→31 is the only path to 31; one path to 30 must survive.
    assert!(alive[4]);
    let paths_to_30 = (alive[0] || alive[1]) && alive[2] || alive[3];
    assert!(paths_to_30);
    assert_eq!(removed, 3);
}

proptest! {
    /// Guarded pruning at any sparsity never disconnects an output that was reachable.
    #[test]
    fn guarded_pruning_never_disconnects_a_reachable_output(
        seed in 0u64..10_000,
        edge_count in 1usize..40,
        sparsity in 0.0f64..=1.0,
    ) {
        let mut r = rng(seed);
        // Layered DAG: nodes 0..3 inputs, 3..9 hidden, 9..12 outputs.
        let edges: Vec<(usize, usize)> = (0..edge_count)
            .map(|_| {
                let s = r.random_range(0..9);
                let t = r.random_range((s.max(2) + 1)..12);
                (s, t)
            })
            .collect();
        let inputs = [0, 1, 2];
        let outputs = [9, 10, 11];
        let mut guard = OutputPathGuard::new(&edges, &inputs, &outputs);
        let full = vec![true; edges.len()];
        let mut probe = OutputPathGuard::new(&edges, &inputs, &outputs);
        probe.reach(&full, None);
        let before: Vec<bool> = outputs.iter().map(|&o| probe.seen[probe_index(&edges, &inputs, &outputs, o)]).collect();
        let mut alive = full.clone();
        let saliency = random_saliency(edges.len(), &mut r);
        prune_to_sparsity(&saliency, &mut alive, sparsity, |k, a| guard.allows_removal(k, a)).unwrap();
        probe.reach(&alive, None);
        for (n, &o) in outputs.iter().enumerate() {
            let now = probe.seen[probe_index(&edges, &inputs, &outputs, o)];
            prop_assert!(!before[n] || now, "output {} lost its last path", o);
        }
    }
}

/// The dense index the guard gives node `id`.
fn probe_index(edges: &[(usize, usize)], inputs: &[usize], outputs: &[usize], id: usize) -> usize {
    let mut ids: Vec<usize> = edges
        .iter()
        .flat_map(|&(s, t)| [s, t])
        .chain(inputs.iter().copied())
        .chain(outputs.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.binary_search(&id).unwrap()
}
