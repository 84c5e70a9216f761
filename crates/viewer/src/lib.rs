//! Sprout's window: watch evolution live, replay a saved champion, or play a
//! level by hand. The only crate of the workspace that depends on Bevy.
//!
//! What it shows is computed by the data half, `sprout-viewer-core` (no Bevy,
//! re-exported here): the evolution [`feed`], the [`show`] played tick by tick
//! exactly as evaluation plays it, the [`layout`] and [`netview`] geometry and the
//! [`hud_text`]. This crate is the rendering half, a Bevy app ([`run`]): the simulation steps in
//! `FixedUpdate` at 60 Hz (1×, 4× or as fast as a frame allows), sprites and
//! gizmos draw the level (pixel art from [`art`]), the ghosts of a whole
//! generation ([`ghosts`]), the MarI/O overlay and the HUD in `Update`; the
//! 1280×720 picture scales to any window size; `--screenshot` and `--record`
//! capture frames deterministically. Evolution never runs
//! inside the app: it runs on worker threads and posts to a [`Feed`].

// Bevy systems name their parameters `Res<T>`, `Query<…>`, `Commands`: spelling
// out the elided lifetimes would only add noise.
#![allow(elided_lifetimes_in_paths)]

mod app;
mod capture;
mod controls;
pub mod error;
mod hud;
mod overlay;
mod scene;
mod watch;

pub use sprout_viewer_core::{art, feed, ghosts, hud_text, layout, netview, show};

pub use app::{
    DEFAULT_FPS, Mode, Options, Outcome, PlaySetup, ReplaySetup, WARM_UP_FRAMES, WatchSetup,
    check_display, run,
};
pub use capture::{Capture, CaptureReport, ClipLength, MAX_CLIP_FRAMES};
pub use error::ViewerError;
pub use sprout_viewer_core::{Feed, GenerationReport, SpeciesRow};
