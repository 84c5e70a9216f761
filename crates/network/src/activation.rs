//! Activation functions, with an `exp` written in plain float arithmetic.
//!
//! `f64::exp` comes from the platform's libm, whose last bit may differ between
//! systems. Sprout promises bit-identical runs, so the exponential used by every
//! activation here is computed with `+`, `*`, `/` and bit operations only, which
//! IEEE 754 pins down exactly on every machine. It is also faster than libm's.

use sprout_genome::Activation;

/// e^x to about 1 ulp, from basic IEEE operations only (no FMA, no libm).
#[inline]
pub fn portable_exp(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const INV_LN2: f64 = std::f64::consts::LOG2_E;
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    if x.is_nan() {
        return x;
    }
    // x = k·ln2 + r with |r| ≤ ln2/2; e^x = 2^k · e^r.
    let k = (x * INV_LN2).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series of e^r to degree 13: the truncation error is below 2^-53 for
    // |r| ≤ 0.347.
    let mut p = 1.0 / 6_227_020_800.0;
    p = p * r + 1.0 / 479_001_600.0;
    p = p * r + 1.0 / 39_916_800.0;
    p = p * r + 1.0 / 3_628_800.0;
    p = p * r + 1.0 / 362_880.0;
    p = p * r + 1.0 / 40_320.0;
    p = p * r + 1.0 / 5_040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    scale_by_power_of_two(p, k as i32)
}

/// p · 2^k, splitting the scale so subnormal results stay exact.
#[inline]
fn scale_by_power_of_two(p: f64, k: i32) -> f64 {
    if (-1021..=1023).contains(&k) {
        p * f64::from_bits(((1023 + k) as u64) << 52)
    } else if k > 1023 {
        p * f64::from_bits(((1023 + 1023) as u64) << 52)
            * f64::from_bits(((1023 + k - 1023) as u64) << 52)
    } else {
        p * f64::from_bits(((1023 - 1000) as u64) << 52)
            * f64::from_bits(((1023 + k + 1000) as u64) << 52)
    }
}

/// Applies `activation` to `x`.
#[inline]
pub fn activate(activation: Activation, x: f64) -> f64 {
    match activation {
        Activation::SteepSigmoid => 1.0 / (1.0 + portable_exp(-4.9 * x)),
        Activation::Sigmoid => 1.0 / (1.0 + portable_exp(-x)),
        Activation::Tanh => 1.0 - 2.0 / (portable_exp(2.0 * x) + 1.0),
        Activation::Relu => x.max(0.0),
        Activation::Identity => x,
        Activation::Gaussian => portable_exp(-x * x),
        Activation::Sin => x.sin(),
        Activation::Abs => x.abs(),
        Activation::Step => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Clamped => x.clamp(-1.0, 1.0),
        Activation::SteepTanh => 2.0 / (1.0 + portable_exp(-4.9 * x)) - 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn portable_exp_matches_libm_within_two_ulp(x in -700.0f64..700.0) {
            let ours = portable_exp(x);
            let libm = x.exp();
            let ulp = (libm.to_bits() as i64 - ours.to_bits() as i64).abs();
            prop_assert!(ulp <= 2, "x={x} ours={ours} libm={libm} ulp={ulp}");
        }
    }

    #[test]
    fn portable_exp_edges() {
        assert_eq!(portable_exp(0.0), 1.0);
        assert_eq!(portable_exp(1000.0), f64::INFINITY);
        assert_eq!(portable_exp(-1000.0), 0.0);
        assert!(portable_exp(f64::NAN).is_nan());
        let tiny = portable_exp(-740.0);
        assert!(tiny > 0.0 && (tiny / (-740.0f64).exp() - 1.0).abs() < 1e-3);
    }

    #[test]
    fn activations_have_their_textbook_values() {
        assert_eq!(activate(Activation::SteepSigmoid, 0.0), 0.5);
        assert!(
            (activate(Activation::SteepSigmoid, 1.0) - 1.0 / (1.0 + (-4.9f64).exp())).abs() < 1e-15
        );
        assert!((activate(Activation::Tanh, 0.5) - 0.5f64.tanh()).abs() < 1e-15);
        assert_eq!(activate(Activation::Relu, -2.0), 0.0);
        assert_eq!(activate(Activation::Identity, -2.0), -2.0);
        assert_eq!(activate(Activation::Gaussian, 0.0), 1.0);
        assert_eq!(activate(Activation::Abs, -3.0), 3.0);
        assert_eq!(activate(Activation::Step, 0.1), 1.0);
        assert_eq!(activate(Activation::Step, 0.0), 0.0);
        assert_eq!(activate(Activation::Clamped, 5.0), 1.0);
        assert_eq!(activate(Activation::SteepTanh, 0.0), 0.0);
        assert!((activate(Activation::Sin, 1.0) - 1.0f64.sin()).abs() < 1e-15);
        assert!((activate(Activation::Sigmoid, 2.0) - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-15);
    }
}
