//! 95% confidence intervals for benchmark reports: of a median (exact, from order
//! statistics), of a mean (Student's t) and of a success rate (Clopper–Pearson,
//! exact).
//!
//! All three are deterministic, so a report is the same every time its runs are;
//! the median and rate intervals assume nothing about the distribution, which
//! matters because evolution's outcomes are bimodal (most runs solve early, a few
//! very late or never).

use statrs::distribution::{Beta, Binomial, ContinuousCDF, DiscreteCDF, StudentsT};

use crate::significance::Summary;

/// Each tail's share outside a 95% interval.
const TAIL: f64 = 0.025;

/// The exact distribution-free interval for the median: the order statistics
/// x₍ⱼ₎ and x₍ₙ₊₁₋ⱼ₎ with the largest j for which P(B < j) ≤ 2.5%, B ~ Bin(n, ½),
/// so that it covers the median with probability at least 95%. `None` below six
/// values (with five, even [min, max] covers it only 94% of the time).
pub fn median_ci95(values: &[f64]) -> Option<[f64; 2]> {
    let n = values.len();
    let half = Binomial::new(0.5, n as u64).ok()?;
    // P(B ≤ j − 1) ≤ TAIL for j = 1 ..= j_max; the cdf rises with j.
    let j = (1..=n / 2)
        .take_while(|&j| half.cdf(j as u64 - 1) <= TAIL)
        .last()?;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some([sorted[j - 1], sorted[n - j]])
}

/// The t interval for the mean: mean ± t₀.₉₇₅,ₙ₋₁ · s/√n. `None` below two values.
pub fn mean_ci95(values: &[f64]) -> Option<[f64; 2]> {
    let summary = Summary::of(values)?;
    let n = summary.n as f64;
    let se = summary.sd? / n.sqrt();
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .ok()?
        .inverse_cdf(1.0 - TAIL);
    Some([summary.mean - t * se, summary.mean + t * se])
}

/// Welch's interval for the difference of means, mean(a) − mean(b) ±
/// t₀.₉₇₅,ν · √(s²a/na + s²b/nb), with the Welch–Satterthwaite ν. `None` unless
/// both samples have two values; a single point when both are constant.
pub fn difference_ci95(a: &[f64], b: &[f64]) -> Option<[f64; 2]> {
    let (sa, sb) = (Summary::of(a)?, Summary::of(b)?);
    let (va, vb) = (sa.sd?.powi(2) / sa.n as f64, sb.sd?.powi(2) / sb.n as f64);
    let diff = sa.mean - sb.mean;
    let se2 = va + vb;
    if se2 == 0.0 {
        return Some([diff, diff]);
    }
    let df = se2 * se2 / (va * va / (sa.n - 1) as f64 + vb * vb / (sb.n - 1) as f64);
    let t = StudentsT::new(0.0, 1.0, df).ok()?.inverse_cdf(1.0 - TAIL);
    let half = t * se2.sqrt();
    Some([diff - half, diff + half])
}

/// The Clopper–Pearson interval for a rate of `successes` in `trials`: the
/// rates under which seeing that many or more (fewer) successes has probability
/// 2.5%. `None` for no trials.
pub fn rate_ci95(successes: usize, trials: usize) -> Option<[f64; 2]> {
    if trials == 0 || successes > trials {
        return None;
    }
    let (k, n) = (successes as f64, trials as f64);
    let lower = if successes == 0 {
        0.0
    } else {
        Beta::new(k, n - k + 1.0).ok()?.inverse_cdf(TAIL)
    };
    let upper = if successes == trials {
        1.0
    } else {
        Beta::new(k + 1.0, n - k).ok()?.inverse_cdf(1.0 - TAIL)
    };
    Some([lower, upper])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(got: [f64; 2], want: [f64; 2], tolerance: f64) {
        assert!(
            (got[0] - want[0]).abs() <= tolerance && (got[1] - want[1]).abs() <= tolerance,
            "got {got:?}, want {want:?} ± {tolerance}"
        );
    }

    #[test]
    fn median_interval_takes_the_tabled_order_statistics() {
        // The ranks of the exact 95% interval, from the Bin(n, ½) cdf summed
        // exactly in Python: n = 6 → 1 and 6, n = 10 → 2 and 9, n = 50 → 18 and
        // 33, n = 100 → 40 and 61.
        for (n, low, high) in [(6, 1, 6), (10, 2, 9), (50, 18, 33), (100, 40, 61)] {
            // Values 1..=n in reverse, so the ranks are the values.
            let values: Vec<f64> = (1..=n).rev().map(f64::from).collect();
            assert_eq!(
                median_ci95(&values),
                Some([f64::from(low), f64::from(high)]),
                "n = {n}"
            );
        }
        assert_eq!(median_ci95(&[1.0, 2.0, 3.0, 4.0, 5.0]), None);
        assert_eq!(median_ci95(&[]), None);
    }

    #[test]
    fn mean_interval_uses_students_t() {
        // n = 10, mean 5.5, s = √(55/6); t₀.₉₇₅,₉ = 2.262157.
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let half = 2.262_157_162_8 * (55.0f64 / 6.0 / 10.0).sqrt();
        close(mean_ci95(&values).unwrap(), [5.5 - half, 5.5 + half], 1e-8);
        assert_eq!(mean_ci95(&[3.0, 3.0, 3.0]), Some([3.0, 3.0]));
        assert_eq!(mean_ci95(&[1.0]), None);
    }

    #[test]
    fn difference_interval_is_welch_s() {
        // Against a constant sample, Welch's ν is n − 1 of the other one, and
        // the interval is that sample's t interval, shifted.
        let a: Vec<f64> = (1..=10).map(f64::from).collect();
        let [low, high] = mean_ci95(&a).unwrap();
        close(
            difference_ci95(&a, &[2.0, 2.0, 2.0]).unwrap(),
            [low - 2.0, high - 2.0],
            1e-9,
        );
        // Swapping the samples mirrors it.
        let b = [3.0, 7.0, 4.0, 9.0];
        let [low, high] = difference_ci95(&a, &b).unwrap();
        assert!(low < 5.5 - 5.75 && 5.5 - 5.75 < high);
        close(difference_ci95(&b, &a).unwrap(), [-high, -low], 1e-9);
        assert_eq!(
            difference_ci95(&[1.0, 1.0], &[3.0, 3.0]),
            Some([-2.0, -2.0])
        );
        assert_eq!(difference_ci95(&[1.0], &b), None);
    }

    #[test]
    fn rate_interval_matches_clopper_pearson_tables() {
        // The rates where the binomial tails reach 2.5%, found by bisection on
        // the exact binomial cdf in Python.
        close(rate_ci95(0, 10).unwrap(), [0.0, 0.308_497_1], 1e-6);
        close(rate_ci95(5, 10).unwrap(), [0.187_086_0, 0.812_914_0], 1e-6);
        close(rate_ci95(48, 50).unwrap(), [0.862_862_4, 0.995_118_6], 1e-6);
        close(rate_ci95(50, 50).unwrap(), [0.928_878_3, 1.0], 1e-6);
        assert_eq!(rate_ci95(1, 0), None);
    }

    proptest! {
        #[test]
        fn median_interval_holds_the_median_and_lies_within_the_values(
            values in prop::collection::vec(-1e6f64..1e6, 6..200)
        ) {
            let [low, high] = median_ci95(&values).unwrap();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            let median = (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0;
            prop_assert!(sorted[0] <= low && low <= median && median <= high && high <= sorted[n - 1]);
        }

        #[test]
        fn rate_interval_holds_the_observed_rate(trials in 1usize..500, share in 0.0f64..=1.0) {
            let successes = (share * trials as f64).round() as usize;
            let [low, high] = rate_ci95(successes, trials).unwrap();
            let rate = successes as f64 / trials as f64;
            prop_assert!(0.0 <= low && low <= rate && rate <= high && high <= 1.0);
        }
    }
}
