//! What Sprout's window shows, computed without Bevy, so it builds and tests in
//! seconds. The Bevy app (`sprout-viewer`) only draws it.
//!
//! - [`feed`]: what the evolution thread posts each generation
//!   ([`GenerationReport::of_generation`] builds it from a run's state);
//! - [`show`]: a pilot (network or keyboard) playing levels tick by tick, exactly
//!   as evaluation plays them;
//! - [`layout`], [`netview`]: where the level, the grid and the network go on
//!   screen;
//! - [`ghosts`]: a whole generation playing at once;
//! - [`art`]: the pixel art and which frame the simulation's state shows;
//! - [`hud_text`]: the HUD's words.

pub mod art;
pub mod feed;
pub mod ghosts;
pub mod hud_text;
pub mod layout;
pub mod netview;
pub mod show;

pub use feed::{Feed, GenerationReport, SpeciesRow};
