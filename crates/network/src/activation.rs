//! Activation functions, from Sprout's portable math (`sprout-math`), so a network
//! computes the same bits on every machine.

use sprout_genome::Activation;
use sprout_math::{exp, sin, tanh};

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
}
