//! Sprout's window: watch evolution live, replay a saved champion, or play a
//! level by hand. The only crate of the workspace that depends on Bevy.
//!
//! The data half has no Bevy in it and is tested on its own:
//! - [`feed`]: what the evolution thread posts each generation;
//! - [`show`]: a pilot (network or keyboard) playing levels tick by tick, exactly
//!   as evaluation plays them;
//! - [`layout`], [`netview`]: where the level, the grid and the network go on
//!   screen;
//! - [`hud_text`]: the HUD's words.
//!
//! The rendering half is a Bevy app ([`run`]): the simulation steps in
//! `FixedUpdate` at 60 Hz (1×, 4× or as fast as a frame allows), sprites and
//! gizmos draw the level, the MarI/O overlay and the HUD in `Update`, and
//! `--screenshot` captures a frame deterministically. Evolution never runs
//! inside the app: it runs on worker threads and posts to a [`Feed`].

// Bevy systems name their parameters `Res<T>`, `Query<…>`, `Commands`: spelling
// out the elided lifetimes would only add noise.
#![allow(elided_lifetimes_in_paths)]

mod app;
mod capture;
mod controls;
pub mod error;
pub mod feed;
mod hud;
pub mod hud_text;
pub mod layout;
pub mod netview;
mod overlay;
mod scene;
pub mod show;
mod watch;

pub use app::{
    DEFAULT_FPS, Mode, Options, Outcome, PlaySetup, ReplaySetup, WatchSetup, check_display, run,
};
pub use capture::{Capture, CaptureReport};
pub use error::ViewerError;
pub use feed::{Feed, GenerationReport, SpeciesRow};
pub use scene::PLAYER_COLOR;
