#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
use super::*;
use proptest::prelude::*;

proptest! {
    #[test]
    fn exp_matches_libm_within_two_ulp(x in -700.0f64..700.0) {
        let ours = exp(x);
        let libm = x.exp();
        let ulp = (libm.to_bits() as i64 - ours.to_bits() as i64).abs();
        prop_assert!(ulp <= 2, "x={x} ours={ours} libm={libm} ulp={ulp}");
    }
}

#[test]
fn exp_edges() {
    assert_eq!(exp(0.0), 1.0);
    assert_eq!(exp(1000.0), f64::INFINITY);
    assert_eq!(exp(-1000.0), 0.0);
    assert!(exp(f64::NAN).is_nan());
    let tiny = exp(-740.0);
    assert!(tiny > 0.0 && (tiny / (-740.0f64).exp() - 1.0).abs() < 1e-3);
}

/// Ulps between two finite floats of the same sign.
fn ulps(a: f64, b: f64) -> i64 {
    (a.to_bits() as i64 - b.to_bits() as i64).abs()
}

proptest! {
    /// 1 − 2/(e^{2x} + 1) cancels near 0, so the bound is absolute (a few ε),
    /// which is what an activation or a learning gate needs.
    #[test]
    fn tanh_matches_the_platform_within_a_few_epsilon(x in -20.0f64..20.0) {
        let (ours, platform) = (tanh(x), x.tanh());
        prop_assert!((ours - platform).abs() <= 4.0 * f64::EPSILON, "x={x} ours={ours} platform={platform}");
    }

    #[test]
    fn ln_sin_cos_match_the_platform_within_one_ulp(x in 1e-300f64..1e300, a in -1e3f64..1e3) {
        prop_assert!(ulps(ln(x), x.ln()) <= 1);
        prop_assert!(ulps(ln_1p(a.abs()), a.abs().ln_1p()) <= 1);
        prop_assert!(ulps(sin(a), a.sin()) <= 1 || (sin(a) - a.sin()).abs() < 1e-16);
        prop_assert!(ulps(cos(a), a.cos()) <= 1 || (cos(a) - a.cos()).abs() < 1e-16);
    }
}

#[test]
fn tanh_saturates_and_keeps_nan() {
    assert_eq!(tanh(0.0), 0.0);
    assert_eq!(tanh(400.0), 1.0);
    assert_eq!(tanh(-400.0), -1.0);
    assert!(tanh(f64::NAN).is_nan());
}

/// The bits these functions return are part of Sprout's reproducibility promise:
/// a change here moves every run, so it must be deliberate.
#[test]
fn golden_bits_do_not_move() {
    let got = [
        exp(1.0).to_bits(),
        exp(-3.25).to_bits(),
        tanh(0.3).to_bits(),
        ln(10.0).to_bits(),
        ln_1p(1e-3).to_bits(),
        sin(2.5).to_bits(),
        cos(2.5).to_bits(),
    ];
    assert_eq!(got, GOLDEN, "{got:#x?}");
}

/// exp(1), exp(−3.25), tanh(0.3), ln 10, ln(1.001), sin 2.5, cos 2.5.
const GOLDEN: [u64; 7] = [
    0x4005bf0a8b145769,
    0x3fa3da368521902d,
    0x3fd2a4dda7d914fa,
    0x40026bb1bbb55516,
    0x3f5060354f8c3ebf,
    0x3fe326af0dcfcab0,
    0xbfe9a2f7ef858b7d,
];

proptest! {
    /// The side-by-side versions give each lane the scalar bits, in the
    /// vectorized range, outside it, and at the special values.
    #[test]
    fn lanes_give_the_scalar_bits(
        x in prop::array::uniform4(prop_oneof![
            -710.0f64..710.0,
            -800.0f64..800.0,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(700.0),
            Just(-700.0),
            Just(0.0),
            Just(-0.0),
        ]),
    ) {
        // Any NaN stands for all: Rust leaves NaN's sign and payload open.
        let bits = |v: [f64; 4]| v.map(|y| if y.is_nan() { f64::NAN.to_bits() } else { y.to_bits() });
        prop_assert_eq!(bits(exp_lanes(x)), bits(x.map(exp)));
        prop_assert_eq!(bits(tanh_lanes(x)), bits(x.map(tanh)));
    }
}
