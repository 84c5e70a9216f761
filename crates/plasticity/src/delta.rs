//! The delta (Widrow–Hoff, LMS) rule: the supervised counterpart of Hebbian
//! learning, Δwᵢ = α·(t − y)·xᵢ with the linear prediction y = w·x.
//!
//! Append a constant `1.0` to `x` for a bias weight. On a fixed data set with a
//! small α the weights approach the least-squares solution.

use serde::{Deserialize, Serialize};

use crate::error::{Result, check_finite, check_len};
use crate::stats::dot;

/// The delta rule with learning rate α.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeltaRule {
    /// Learning rate α.
    pub alpha: f64,
}

impl DeltaRule {
    /// One supervised step on the example (`x`, `target`). Returns the prediction
    /// w·x made before the weights changed.
    pub fn update(&self, weights: &mut [f64], x: &[f64], target: f64) -> Result<f64> {
        check_finite("alpha", self.alpha)?;
        check_finite("target", target)?;
        check_len("delta-rule input", weights.len(), x.len())?;
        let prediction = dot(weights, x);
        let step = self.alpha * (target - prediction);
        for (w, xi) in weights.iter_mut().zip(x) {
            *w += step * xi;
        }
        Ok(prediction)
    }
}

#[cfg(test)]
mod tests {
    use ndarray::{Array1, Array2};
    use rand::RngExt;
    use rand_distr::StandardNormal;

    use super::*;
    use crate::testutil::{rng, solve};

    /// The slides' data: samples alternate between class −1 (even i) and class +1
    /// (odd i); classes are Gaussian clouds (σ = 0.3) centred on ∓(1, 0.5).
    fn two_class_data(n: usize) -> (Array2<f64>, Array1<f64>) {
        let mut r = rng(42);
        let mut xs = Array2::<f64>::zeros((2 * n, 2));
        let mut targets = Array1::<f64>::zeros(2 * n);
        for i in 0..2 * n {
            let t = if i % 2 == 0 { -1.0 } else { 1.0 };
            targets[i] = t;
            xs[[i, 0]] = t + 0.3 * r.sample::<f64, _>(StandardNormal);
            xs[[i, 1]] = t * 0.5 + 0.3 * r.sample::<f64, _>(StandardNormal);
        }
        (xs, targets)
    }

    /// Runs `passes` passes of the delta rule (η = 0.01) from w = (−1, 0.5), which
    /// gets every sample wrong, and returns the weights with the mean squared error of
    /// the first and last 100 steps.
    fn train(xs: &Array2<f64>, targets: &Array1<f64>, passes: usize) -> (Vec<f64>, f64, f64) {
        let mut w = vec![-1.0, 0.5];
        let rule = DeltaRule { alpha: 0.01 };
        let mut errors = Vec::new();
        for _ in 0..passes {
            for (x, &t) in xs.rows().into_iter().zip(targets) {
                let pred = rule.update(&mut w, x.as_slice().unwrap(), t).unwrap();
                errors.push((t - pred).powi(2));
            }
        }
        let early = errors[..100].iter().sum::<f64>() / 100.0;
        let late = errors[errors.len() - 100..].iter().sum::<f64>() / 100.0;
        (w, early, late)
    }

    /// The slides' simulation: one pass over 2N = 1,000 samples separates the classes.
    #[test]
    fn delta_rule_separates_the_two_class_simulation() {
        let (xs, targets) = two_class_data(500);
        let (w, early, late) = train(&xs, &targets, 1);
        let correct = xs
            .rows()
            .into_iter()
            .zip(&targets)
            .filter(|(x, t)| dot(&w, x.as_slice().unwrap()).signum() == **t)
            .count();
        let accuracy = correct as f64 / targets.len() as f64;
        eprintln!(
            "delta rule, one pass: accuracy {accuracy:.4}, mse first 100 {early:.3} → last 100 {late:.3}"
        );
        assert!(accuracy >= 0.99, "accuracy {accuracy}");
        assert!(late < 0.5 * early, "mse {early} → {late}");
    }

    /// Given time, the delta rule settles at the least-squares weights.
    #[test]
    fn delta_rule_approaches_least_squares_solution() {
        let (xs, targets) = two_class_data(500);
        let (w, _, _) = train(&xs, &targets, 30);
        let least_squares = solve(&xs.t().dot(&xs), &xs.t().dot(&targets));
        let gap = ((w[0] - least_squares[0]).powi(2) + (w[1] - least_squares[1]).powi(2)).sqrt();
        eprintln!("delta rule, 30 passes: w {w:.3?}, least squares {least_squares:.3}");
        assert!(gap < 0.05, "distance to least squares {gap}");
    }

    #[test]
    fn delta_rule_stops_when_prediction_is_exact() {
        let mut w = [0.5, -0.25];
        let x = [2.0, 4.0];
        let target = 0.0;
        let pred = DeltaRule { alpha: 0.1 }.update(&mut w, &x, target).unwrap();
        assert_eq!(pred, 0.0);
        assert_eq!(w, [0.5, -0.25]);
        let mut w = [0.0, 0.0];
        DeltaRule { alpha: 0.1 }.update(&mut w, &x, 1.0).unwrap();
        assert!((w[0] - 0.2).abs() < 1e-15 && (w[1] - 0.4).abs() < 1e-15);
    }

    #[test]
    fn delta_rule_rejects_bad_input() {
        let mut w = [0.0; 2];
        let rule = DeltaRule { alpha: 0.1 };
        assert!(rule.update(&mut w, &[1.0], 1.0).is_err());
        assert!(rule.update(&mut w, &[1.0, 1.0], f64::NAN).is_err());
    }
}
