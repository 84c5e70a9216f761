//! Hopfield associative memories.
//!
//! - [`classical`]: bipolar (±1) networks with Hebbian (outer-product) or Storkey
//!   storage, asynchronous and synchronous updates and the energy function.
//! - [`modern`]: the continuous modern Hopfield network of Ramsauer et al. (2020),
//!   ξ ← X·softmax(β·Xᵀξ), with a fixed-capacity ring memory.

pub mod classical;
pub mod modern;

pub use classical::{ClassicalHopfield, Recall, bit_agreement, theoretical_one_step_error};
pub use modern::ModernHopfield;
