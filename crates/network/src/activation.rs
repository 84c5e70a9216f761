//! Activation functions, from Sprout's portable math (`sprout-math`), so a network
//! computes the same bits on every machine.

use sprout_genome::Activation;
use sprout_math::{exp, exp_lanes, sin, tanh, tanh_lanes};

/// Applies `activation` to `x`.
#[inline]
pub fn activate(activation: Activation, x: f64) -> f64 {
    match activation {
        Activation::SteepSigmoid => 1.0 / (1.0 + exp(-4.9 * x)),
        Activation::Sigmoid => 1.0 / (1.0 + exp(-x)),
        Activation::Tanh => tanh(x),
        Activation::Relu => x.max(0.0),
        Activation::Identity => x,
        Activation::Gaussian => exp(-x * x),
        Activation::Sin => sin(x),
        Activation::Abs => x.abs(),
        Activation::Step => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Clamped => x.clamp(-1.0, 1.0),
        Activation::SteepTanh => 2.0 / (1.0 + exp(-4.9 * x)) - 1.0,
    }
}

/// [`activate`] on several sums at once, bit for bit, with the exponential
/// side by side ([`sprout_math::exp_lanes`]).
#[inline]
pub fn activate_lanes<const N: usize>(activation: Activation, x: [f64; N]) -> [f64; N] {
    match activation {
        Activation::SteepSigmoid => exp_lanes(x.map(|x| -4.9 * x)).map(|e| 1.0 / (1.0 + e)),
        Activation::Sigmoid => exp_lanes(x.map(|x| -x)).map(|e| 1.0 / (1.0 + e)),
        Activation::Tanh => tanh_lanes(x),
        Activation::Gaussian => exp_lanes(x.map(|x| -x * x)),
        Activation::SteepTanh => exp_lanes(x.map(|x| -4.9 * x)).map(|e| 2.0 / (1.0 + e) - 1.0),
        other => x.map(|x| activate(other, x)),
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
mod tests {
    use super::*;

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

    #[test]
    fn activations_side_by_side_give_the_scalar_bits() {
        let x = [-800.0, -3.7, -0.0, 0.25, 1.9, 150.0, f64::NAN, 701.0];
        for activation in Activation::ALL {
            // NaN's sign and payload are not specified (Rust leaves them to the
            // platform), so any NaN stands for all.
            let bits = |y: f64| {
                if y.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    y.to_bits()
                }
            };
            let lanes = activate_lanes(activation, x).map(bits);
            assert_eq!(
                lanes,
                x.map(|x| bits(activate(activation, x))),
                "{activation:?}"
            );
        }
    }
}
