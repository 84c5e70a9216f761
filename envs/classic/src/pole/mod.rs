//! Pole balancing: single pole, and double pole with and without velocities, as in
//! the NEAT reference experiments.
//!
//! - [`physics`]: Wieland's cart-pole equations for any number of poles, integrated
//!   with 4th-order Runge–Kutta (two 0.01 s steps per decision).
//! - [`config`]: [`PoleConfig`], the `task` section of an experiment file.
//! - [`task`]: [`PoleTask`], the [`sprout_task::Task`] implementation.
//! - [`damping`]: Gruau's damping fitness (double pole without velocities).
//! - [`generalization`]: the 625 starts of the generalization test.
//!
//! The single-pole task uses the same equations and integrator with the long pole
//! alone (with no friction they are exactly the Barto–Sutton–Anderson equations),
//! a continuous force, and the classic ±12° failure angle.

pub mod config;
pub mod damping;
pub mod generalization;
pub mod physics;
pub mod task;

#[cfg(test)]
mod test_agents;

pub use config::{ForceMapping, PoleConfig, PoleError, PoleVariant};
pub use physics::{CartPole, PoleState};
pub use task::PoleTask;
