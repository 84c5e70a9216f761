//! Why the window could not run.

/// Errors of the viewer.
#[derive(Debug, thiserror::Error)]
pub enum ViewerError {
    /// No X11 or Wayland display to open a window on.
    #[error(
        "no display to open a window on (DISPLAY is not set); run headless (`--headless`, `sprout evolve`) or under `xvfb-run`"
    )]
    NoDisplay,
    /// The app stopped with an error code.
    #[error("the window stopped with error code {0}")]
    Exit(u8),
    /// The screenshot could not be taken or saved.
    #[error("screenshot failed: {0}")]
    Screenshot(String),
}
