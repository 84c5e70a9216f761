//! Lifetime learning for Sprout networks.
//!
//! The science lives in self-contained modules over slices and `ndarray`, with no
//! dependency on the network crate:
//! - [`hebbian`]: plain Hebb, covariance, BCM, Oja, the generalised ABCD rule and its
//!   neuromodulated form, weight bounds and normalisation;
//! - [`delta`]: the supervised delta rule;
//! - [`hopfield`]: classical bipolar (Hebbian and Storkey storage) and modern
//!   continuous Hopfield memories;
//! - [`rbm`] and [`dbn`]: binary restricted Boltzmann machines (CD-k, persistent CD,
//!   exact likelihood and gradient for tiny models) and greedy stacking;
//! - [`pruning`]: magnitude, Optimal Brain Damage, activity and random saliencies over
//!   a weight list plus mask, with an output-path guard;
//! - [`module`]: the proposed [`LifetimeModule`] trait the evaluation loop calls, the
//!   [`SynapseView`] trait a network implements for it, and modules built on them;
//! - [`stats`]: logistic, softplus, log-sum-exp, softmax.
//!
//! Randomness always comes from a caller's generator (`R: rand::Rng + ?Sized`), so a
//! seeded run repeats bit for bit.

pub mod dbn;
pub mod delta;
pub mod error;
pub mod hebbian;
pub mod hopfield;
pub mod module;
pub mod pruning;
pub mod rbm;
pub mod stats;

#[cfg(test)]
mod testutil;

pub use error::{PlasticityError, Result};
pub use module::{LifetimeModule, Synapse, SynapseView};
