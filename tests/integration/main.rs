//! End-to-end tests: they run the `sprout` binary as a user would.

mod bad_input;
mod bench;
mod evolve;
mod many_machines;
mod plasticity;
mod platformer;
mod prune;
mod server;
mod util;
// The window tests need the `viewer` feature (on by default).
#[cfg(feature = "viewer")]
mod window;
