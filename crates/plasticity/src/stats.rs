//! Small numerical helpers shared by the learning rules: logistic and softplus
//! functions, a stable log-sum-exp and softmax, and a dot product. (`erfc`, for
//! the Hopfield capacity prediction, is statrs's.)
//!
//! Everything is plain `f64` arithmetic with no allocation, and the exponentials and
//! logarithms are Sprout's portable ones (`sprout-math`), so the learning rules give
//! the same bits on every machine.

use sprout_math::{exp, ln, ln_1p};

/// Logistic sigmoid `1 / (1 + e^(−x))`, evaluated without overflow for large `|x|`.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + exp(-x))
    } else {
        let e = exp(x);
        e / (1.0 + e)
    }
}

/// Softplus `ln(1 + e^x)`, evaluated without overflow for large `|x|`.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + ln_1p(exp(-x.abs()))
}

/// `ln Σ exp(xᵢ)`, shifted by the maximum so that it never overflows.
/// Returns `−∞` for an empty slice.
pub fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + ln(xs.iter().map(|&x| exp(x - max)).sum::<f64>())
}

/// Replaces `xs` by `softmax(xs)` in place (max-shifted, so it never overflows).
/// An empty slice is left empty.
pub fn softmax_in_place(xs: &mut [f64]) {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for x in xs.iter_mut() {
        *x = exp(*x - max);
        sum += *x;
    }
    for x in xs.iter_mut() {
        *x /= sum;
    }
}

/// Dot product of two equally long slices (extra elements of the longer are ignored).
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_tabulated_values() {
        use statrs::function::erf::erfc;
        // Reference values from Abramowitz & Stegun, table 7.1.
        let table = [
            (0.0, 1.0),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_1),
            (2.0, 0.004_677_734_981_047_266),
            (3.0, 2.209_049_699_858_544e-5),
            (-1.0, 1.842_700_792_949_715),
        ];
        for (x, want) in table {
            let got = erfc(x);
            assert!(
                ((got - want) / want).abs() < 1e-9,
                "erfc({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn sigmoid_and_softplus_are_stable_at_extremes() {
        assert_eq!(sigmoid(800.0), 1.0);
        assert_eq!(sigmoid(-800.0), 0.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!((softplus(800.0) - 800.0).abs() < 1e-12);
        assert!(softplus(-800.0) >= 0.0 && softplus(-800.0) < 1e-300);
        assert!((softplus(0.0) - std::f64::consts::LN_2).abs() < 1e-15);
    }

    #[test]
    fn log_sum_exp_and_softmax_agree_with_naive_formulas() {
        let xs = [1.0, -2.0, 0.5, 3.0];
        let naive = xs.iter().map(|x: &f64| x.exp()).sum::<f64>().ln();
        assert!((log_sum_exp(&xs) - naive).abs() < 1e-12);
        assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-9);
        let mut p = xs;
        softmax_in_place(&mut p);
        for (pi, xi) in p.iter().zip(xs) {
            assert!((pi - xi.exp() / naive.exp()).abs() < 1e-12);
        }
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }
}
