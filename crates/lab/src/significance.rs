//! Two-sample significance tests for benchmark comparisons: Welch's t-test and
//! the Mann–Whitney U test, both two-sided.
//!
//! The t-distribution's tail and `erfc` come from `statrs`; the U test uses the
//! normal approximation with the tie correction and a continuity correction of ½
//! (as R's `wilcox.test(exact = FALSE)` and SciPy's `mannwhitneyu(method =
//! "asymptotic")` do).

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::erf::erfc;

/// Sample mean and standard deviation (n − 1 in the denominator; `None` below two
/// values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation, when n ≥ 2.
    pub sd: Option<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Summary {
    /// Summarises `values` (at least one).
    pub fn of(values: &[f64]) -> Option<Self> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = (n >= 2).then(|| {
            let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (ss / (n - 1) as f64).sqrt()
        });
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Self {
            n,
            mean,
            sd,
            min,
            max,
        })
    }
}

/// The result of Welch's t-test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WelchTest {
    /// t = (mean(a) − mean(b)) / √(s²a/na + s²b/nb).
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Welch's unequal-variance t-test of mean(a) = mean(b). `None` unless both
/// samples have at least two values. When both samples are constant, p is 1 if the
/// means are equal and 0 otherwise.
pub fn welch_t_test(a: &[f64], b: &[f64]) -> Option<WelchTest> {
    let (sa, sb) = (Summary::of(a)?, Summary::of(b)?);
    let (va, vb) = (sa.sd?.powi(2) / sa.n as f64, sb.sd?.powi(2) / sb.n as f64);
    let diff = sa.mean - sb.mean;
    let se2 = va + vb;
    if se2 == 0.0 {
        let p = if diff == 0.0 { 1.0 } else { 0.0 };
        let t = if diff == 0.0 {
            0.0
        } else {
            diff.signum() * f64::INFINITY
        };
        return Some(WelchTest { t, df: f64::NAN, p });
    }
    let t = diff / se2.sqrt();
    let df = se2 * se2 / (va * va / (sa.n - 1) as f64 + vb * vb / (sb.n - 1) as f64);
    Some(WelchTest {
        t,
        df,
        p: student_t_two_sided(t, df),
    })
}

/// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (NaN for a `df`
/// that is not positive).
pub fn student_t_two_sided(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return 0.0;
    }
    // The survival function keeps its precision far into the tail, where
    // 1 − cdf would round to zero.
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |dist| 2.0 * dist.sf(t.abs()))
}

/// The result of the Mann–Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitneyTest {
    /// U of the first sample: the number of pairs (a, b) with a > b, ties counting ½.
    pub u: f64,
    /// The normal deviate, continuity- and tie-corrected.
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// The Mann–Whitney U test (Wilcoxon rank-sum) of "a and b come from the same
/// distribution", by the normal approximation with tie and continuity
/// corrections. `None` when a sample is empty. When every value ties, p is 1.
pub fn mann_whitney_u(a: &[f64], b: &[f64]) -> Option<MannWhitneyTest> {
    let (na, nb) = (a.len(), b.len());
    if na == 0 || nb == 0 {
        return None;
    }
    // Rank the pooled values, ties taking their average rank.
    let mut pooled: Vec<(f64, bool)> = a
        .iter()
        .map(|&v| (v, true))
        .chain(b.iter().map(|&v| (v, false)))
        .collect();
    pooled.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = pooled.len();
    let (mut rank_sum_a, mut tie_term) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && pooled[j].0 == pooled[i].0 {
            j += 1;
        }
        // Ranks i+1 ..= j share their mean.
        let rank = (i + 1 + j) as f64 / 2.0;
        let ties = (j - i) as f64;
        tie_term += ties * ties * ties - ties;
        rank_sum_a += rank * pooled[i..j].iter().filter(|p| p.1).count() as f64;
        i = j;
    }
    let (na, nb, n) = (na as f64, nb as f64, n as f64);
    let u = rank_sum_a - na * (na + 1.0) / 2.0;
    let mean = na * nb / 2.0;
    let variance = na * nb / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    if variance <= 0.0 || !variance.is_finite() {
        return Some(MannWhitneyTest { u, z: 0.0, p: 1.0 });
    }
    let excess = ((u - mean).abs() - 0.5).max(0.0);
    let z = excess.copysign(u - mean) / variance.sqrt();
    let p = erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0);
    Some(MannWhitneyTest { u, z, p })
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, tolerance: f64) {
        assert!(
            (got - want).abs() <= tolerance,
            "got {got}, want {want} ± {tolerance}"
        );
    }

    #[test]
    fn t_tails_match_cauchy_and_two_degrees_of_freedom_exactly() {
        for t in [0.0f64, 0.3, 1.0, 2.5, 12.0] {
            // df = 1 is the Cauchy distribution; df = 2 has a closed form.
            let cauchy = 1.0 - 2.0 * t.atan() / std::f64::consts::PI;
            close(student_t_two_sided(t, 1.0), cauchy, 1e-13);
            close(
                student_t_two_sided(-t, 2.0),
                1.0 - t / (2.0 + t * t).sqrt(),
                1e-13,
            );
        }
    }

    #[test]
    fn t_tails_keep_their_precision_far_out() {
        // df = 2: P(|T| ≥ t) = 1 − t/√(2+t²) = 2 / (√(2+t²)·(√(2+t²) + t)),
        // the second form exact in floating point where the first cancels.
        for t in [10.0f64, 1e3, 1e6] {
            let r = (2.0 + t * t).sqrt();
            let want = 2.0 / (r * (r + t));
            let got = student_t_two_sided(t, 2.0);
            assert!(
                (got - want).abs() <= 1e-9 * want,
                "t = {t}: {got} vs {want}"
            );
        }
        assert!(student_t_two_sided(1.0, 0.0).is_nan());
    }

    #[test]
    fn t_tails_match_the_printed_critical_values() {
        // Two-sided 5% and 1% points of Student's t with 10 degrees of freedom,
        // and the normal limit.
        close(student_t_two_sided(2.228_138_85, 10.0), 0.05, 1e-8);
        close(student_t_two_sided(3.169_272_67, 10.0), 0.01, 1e-8);
        close(student_t_two_sided(1.959_963_98, 1e9), 0.05, 1e-7);
    }

    // Reference values for the worked examples, computed independently in plain
    // Python: t and df from their formulas, the Welch p-value by Simpson's rule on
    // the t density (2·10⁶ intervals), U by counting pairs, and the U test's
    // p-value with math.erfc. The Welch example is Wikipedia's (t = −2.46,
    // df = 24.99, p = 0.021).
    const WELCH_T: f64 = -2.45535639828601;
    const WELCH_DF: f64 = 24.98852929023142;
    const WELCH_P: f64 = 0.021378001462835194;
    const MW_U: f64 = 11.0;
    const MW_Z: f64 = -1.925035649138405;
    const MW_P: f64 = 0.054224898519599274;

    #[test]
    fn welch_matches_a_worked_example() {
        // Reference: t, the Welch–Satterthwaite df and the p-value computed
        // independently (the p-value by numerically integrating the t density).
        let a = [
            27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7,
            21.4,
        ];
        let b = [
            27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5,
            24.4,
        ];
        let w = welch_t_test(&a, &b).unwrap();
        close(w.t, WELCH_T, 1e-12);
        close(w.df, WELCH_DF, 1e-9);
        close(w.p, WELCH_P, 1e-9);
        // Swapping the samples flips t and keeps p.
        let s = welch_t_test(&b, &a).unwrap();
        assert_eq!((s.t, s.p), (-w.t, w.p));
    }

    #[test]
    fn welch_handles_constant_and_tiny_samples() {
        assert_eq!(welch_t_test(&[1.0], &[2.0, 3.0]), None);
        assert_eq!(welch_t_test(&[5.0, 5.0], &[5.0, 5.0]).unwrap().p, 1.0);
        assert_eq!(welch_t_test(&[5.0, 5.0], &[4.0, 4.0]).unwrap().p, 0.0);
    }

    #[test]
    fn mann_whitney_matches_a_worked_example_with_ties() {
        let a = [1.0, 2.0, 2.0, 3.0, 5.0, 8.0, 8.0];
        let b = [2.0, 4.0, 6.0, 8.0, 9.0, 9.0, 10.0, 11.0];
        let m = mann_whitney_u(&a, &b).unwrap();
        close(m.u, MW_U, 1e-12);
        close(m.z, MW_Z, 1e-12);
        close(m.p, MW_P, 1e-6);
        let swapped = mann_whitney_u(&b, &a).unwrap();
        close(swapped.u, 7.0 * 8.0 - m.u, 1e-12);
        close(swapped.p, m.p, 1e-12);
    }

    #[test]
    fn mann_whitney_separates_disjoint_samples_and_not_equal_ones() {
        let low: Vec<f64> = (0..10).map(f64::from).collect();
        let high: Vec<f64> = (20..30).map(f64::from).collect();
        let m = mann_whitney_u(&high, &low).unwrap();
        assert_eq!(m.u, 100.0);
        assert!(m.p < 0.001, "{m:?}");
        assert_eq!(mann_whitney_u(&[3.0; 4], &[3.0; 5]).unwrap().p, 1.0);
        assert!(mann_whitney_u(&low, &low).unwrap().p > 0.99);
        assert_eq!(mann_whitney_u(&[], &low), None);
    }

    #[test]
    fn summary_uses_the_sample_standard_deviation() {
        let s = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        close(s.mean, 5.0, 0.0);
        close(s.sd.unwrap(), (32.0f64 / 7.0).sqrt(), 1e-15);
        assert_eq!((s.min, s.max), (2.0, 9.0));
        assert_eq!(Summary::of(&[1.0]).unwrap().sd, None);
        assert_eq!(Summary::of(&[]), None);
    }
}
