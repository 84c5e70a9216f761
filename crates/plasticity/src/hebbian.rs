//! The Hebbian family of local learning rules, for one postsynaptic neuron at a time.
//!
//! Each rule updates the incoming weight vector `w` of a neuron from its presynaptic
//! activities `pre` (one per weight) and its postsynaptic activity `post`, through the
//! common [`NeuronRule`] trait:
//!
//! | rule | update |
//! |---|---|
//! | [`Hebb`] | Δwᵢ = η·post·preᵢ |
//! | [`Covariance`] | Δwᵢ = η·(post − θ_post)·(preᵢ − θ_pre) |
//! | [`Bcm`] | Δwᵢ = η·post·preᵢ·(post − θ), with τθ·dθ/dt = post² − θ |
//! | [`Oja`] | Δwᵢ = η·post·(preᵢ − post·wᵢ) |
//! | [`Abcd`] | Δwᵢ = η·(A·preᵢ·post + B·preᵢ + C·post + D) |
//! | [`Neuromodulated`] | Δwᵢ = tanh(m/2)·η·(A·preᵢ·post + B·preᵢ + C·post + D) |
//!
//! [`Constrained`] wraps any rule with [`WeightConstraints`]: clipping to
//! [`WeightBounds`] and a [`Normalisation`] of the incoming weight vector.
//! Time is discrete (dt = 1 step); `tau_theta` is measured in steps.

use serde::{Deserialize, Serialize};

use crate::error::{Result, check_finite, check_len, check_positive};

/// A plasticity rule for the incoming weights of one neuron.
pub trait NeuronRule {
    /// Updates `weights` in place, given presynaptic activities `pre`
    /// (`pre.len() == weights.len()`) and the postsynaptic activity `post`.
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()>;
}

fn check_rate(eta: f64) -> Result<()> {
    check_finite("eta", eta)
}

fn check_pair(weights: &[f64], pre: &[f64]) -> Result<()> {
    check_len("presynaptic activities", weights.len(), pre.len())
}

/// Plain Hebb: Δwᵢ = η·post·preᵢ. Only potentiates correlated activity and grows
/// without bound unless constrained (see [`Constrained`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hebb {
    /// Learning rate η.
    pub eta: f64,
}

impl NeuronRule for Hebb {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        check_rate(self.eta)?;
        check_pair(weights, pre)?;
        for (w, x) in weights.iter_mut().zip(pre) {
            *w += self.eta * post * x;
        }
        Ok(())
    }
}

/// Covariance rule with pre- and postsynaptic thresholds:
/// Δwᵢ = η·(post − θ_post)·(preᵢ − θ_pre).
///
/// With `pre_threshold = 0` it is the postsynaptic LTP/LTD switch
/// (post below θ_post depresses), with `post_threshold = 0` the presynaptic one; with
/// both thresholds at the mean activities its average is η·C·w (C the input covariance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Covariance {
    /// Learning rate η.
    pub eta: f64,
    /// Presynaptic threshold θ_pre.
    pub pre_threshold: f64,
    /// Postsynaptic threshold θ_post.
    pub post_threshold: f64,
}

impl NeuronRule for Covariance {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        check_rate(self.eta)?;
        check_pair(weights, pre)?;
        let post_term = self.eta * (post - self.post_threshold);
        for (w, x) in weights.iter_mut().zip(pre) {
            *w += post_term * (x - self.pre_threshold);
        }
        Ok(())
    }
}

/// BCM (Bienenstock–Cooper–Munro) with a sliding threshold:
/// Δwᵢ = η·post·preᵢ·(post − θ), then θ ← θ + (post² − θ)/τθ.
///
/// The weight step uses the threshold from before the update. With τθ short
/// compared with the weight time scale the neuron becomes selective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bcm {
    /// Learning rate η.
    pub eta: f64,
    /// Threshold time constant τθ, in steps (≥ 1).
    pub tau_theta: f64,
    /// Current modification threshold θ.
    pub theta: f64,
}

impl NeuronRule for Bcm {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        check_rate(self.eta)?;
        check_pair(weights, pre)?;
        if !(self.tau_theta >= 1.0 && self.tau_theta.is_finite()) {
            return Err(crate::PlasticityError::InvalidParameter {
                name: "tau_theta",
                value: self.tau_theta,
                reason: "must be finite and >= 1 step",
            });
        }
        let factor = self.eta * post * (post - self.theta);
        for (w, x) in weights.iter_mut().zip(pre) {
            *w += factor * x;
        }
        self.theta += (post * post - self.theta) / self.tau_theta;
        Ok(())
    }
}

/// Oja's rule: Δwᵢ = η·post·(preᵢ − post·wᵢ). For a linear neuron (post = w·pre)
/// the weight converges to the unit-norm first principal component of the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Oja {
    /// Learning rate η.
    pub eta: f64,
}

impl NeuronRule for Oja {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        check_rate(self.eta)?;
        check_pair(weights, pre)?;
        for (w, x) in weights.iter_mut().zip(pre) {
            *w += self.eta * post * (x - post * *w);
        }
        Ok(())
    }
}

/// Coefficients of the generalised Hebbian rule
/// Δw = η·(A·pre·post + B·pre + C·post + D), with its modulated form
/// tanh(m/2)·Δw: the genome's per-connection gene, so the rule has one
/// implementation whether it is evolved per connection or shared by a module.
pub use sprout_genome::PlasticGene as Abcd;

/// Checks that every coefficient of `rule` is finite.
pub(crate) fn validate_rule(rule: &Abcd) -> Result<()> {
    match rule.non_finite_coefficient() {
        Some((name, value)) => check_finite(name, value),
        None => Ok(()),
    }
}

impl NeuronRule for Abcd {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        validate_rule(self)?;
        check_pair(weights, pre)?;
        for (w, &x) in weights.iter_mut().zip(pre) {
            *w += self.delta(x, post);
        }
        Ok(())
    }
}

/// The neuromodulated ABCD rule: the current modulatory input of the neuron gates
/// every update (Δw = tanh(m/2)·η·(A·pre·post + B·pre + C·post + D)). Set
/// `modulation` before each [`NeuronRule::update`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neuromodulated {
    /// The gated rule.
    pub rule: Abcd,
    /// The modulatory signal m reaching this neuron at this step.
    pub modulation: f64,
}

impl NeuronRule for Neuromodulated {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        validate_rule(&self.rule)?;
        check_finite("modulation", self.modulation)?;
        check_pair(weights, pre)?;
        for (w, &x) in weights.iter_mut().zip(pre) {
            *w += self.rule.modulated_delta(x, post, self.modulation);
        }
        Ok(())
    }
}

/// Inclusive weight interval `[min, max]` that weights are clipped to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightBounds {
    min: f64,
    max: f64,
}

impl WeightBounds {
    /// Bounds `[min, max]`; both finite and `min <= max`.
    pub fn new(min: f64, max: f64) -> Result<Self> {
        check_finite("min", min)?;
        check_finite("max", max)?;
        if min > max {
            return Err(crate::PlasticityError::InvalidParameter {
                name: "min",
                value: min,
                reason: "must not exceed max",
            });
        }
        Ok(Self { min, max })
    }

    /// Lower bound.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper bound.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// `w` clipped into the interval.
    pub fn clip(&self, w: f64) -> f64 {
        w.clamp(self.min, self.max)
    }
}

/// How the incoming weight vector of a neuron is renormalised after each update.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum Normalisation {
    /// Leave the weights alone.
    #[default]
    None,
    /// Rescale the vector to Euclidean norm `norm` (an all-zero vector is left alone).
    Multiplicative {
        /// Target L2 norm.
        norm: f64,
    },
    /// Subtract the same amount from every weight so that they sum to `sum`.
    Subtractive {
        /// Target sum of the weights.
        sum: f64,
    },
}

impl Normalisation {
    /// Applies the normalisation to one neuron's incoming weights.
    pub fn apply(&self, weights: &mut [f64]) {
        match *self {
            Normalisation::None => {}
            Normalisation::Multiplicative { norm } => {
                let current = weights.iter().map(|w| w * w).sum::<f64>().sqrt();
                if current > 0.0 {
                    let scale = norm / current;
                    weights.iter_mut().for_each(|w| *w *= scale);
                }
            }
            Normalisation::Subtractive { sum } => {
                if !weights.is_empty() {
                    let shift = (weights.iter().sum::<f64>() - sum) / weights.len() as f64;
                    weights.iter_mut().for_each(|w| *w -= shift);
                }
            }
        }
    }

    fn validate(&self) -> Result<()> {
        match *self {
            Normalisation::None => Ok(()),
            Normalisation::Multiplicative { norm } => check_positive("norm", norm),
            Normalisation::Subtractive { sum } => check_finite("sum", sum),
        }
    }
}

/// Optional clipping plus normalisation, applied to a neuron's incoming weights after
/// a plasticity step (normalisation first, then clipping, so the bounds always hold).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct WeightConstraints {
    /// Clip every weight into these bounds, if set.
    pub bounds: Option<WeightBounds>,
    /// Renormalise the incoming weight vector.
    pub normalisation: Normalisation,
}

impl WeightConstraints {
    /// Checks the normalisation parameters (bounds are checked when built).
    pub fn validate(&self) -> Result<()> {
        self.normalisation.validate()
    }

    /// Normalises, then clips, `weights` in place.
    pub fn apply(&self, weights: &mut [f64]) {
        self.normalisation.apply(weights);
        if let Some(bounds) = self.bounds {
            weights.iter_mut().for_each(|w| *w = bounds.clip(*w));
        }
    }
}

/// Any [`NeuronRule`] followed by [`WeightConstraints`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Constrained<R> {
    /// The underlying rule.
    pub rule: R,
    /// What to enforce after every update.
    pub constraints: WeightConstraints,
}

impl<R: NeuronRule> NeuronRule for Constrained<R> {
    fn update(&mut self, weights: &mut [f64], pre: &[f64], post: f64) -> Result<()> {
        self.constraints.validate()?;
        self.rule.update(weights, pre, post)?;
        self.constraints.apply(weights);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
