//! `--screenshot FILE --frames N`: run N ticks at exactly one tick per frame,
//! capture the window, write the PNG atomically and exit, reporting where the
//! simulation put the player.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use crate::app::Stage;
use crate::controls::Playback;
use crate::scene::player_on_screen;

/// A screenshot request.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Where the PNG goes.
    pub path: PathBuf,
    /// Ticks to run before capturing.
    pub frames: u32,
}

/// What was captured.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureReport {
    /// The PNG written.
    pub path: PathBuf,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Ticks simulated before the capture.
    pub ticks: u64,
    /// The player's centre in window pixels (origin top-left), if a show was
    /// playing.
    pub player_screen: Option<[f32; 2]>,
    /// The player's centre in the simulation, in level sub-pixels.
    pub player_level: Option<[i32; 2]>,
}

/// Where the capture's outcome is handed back to [`crate::run`].
pub type CaptureSlot = Arc<Mutex<Option<Result<CaptureReport, String>>>>;

/// Takes one screenshot after N ticks, then exits.
pub struct CapturePlugin {
    capture: Capture,
    slot: CaptureSlot,
}

impl CapturePlugin {
    /// The plugin for `capture`, reporting into `slot`.
    pub fn new(capture: Capture, slot: CaptureSlot) -> Self {
        CapturePlugin { capture, slot }
    }
}

#[derive(Resource)]
struct CaptureState {
    capture: Capture,
    slot: CaptureSlot,
    requested: bool,
}

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(CaptureState {
            capture: self.capture.clone(),
            slot: self.slot.clone(),
            requested: false,
        })
        .add_systems(Update, request);
    }
}

fn request(
    mut commands: Commands,
    mut state: ResMut<CaptureState>,
    mut playback: ResMut<Playback>,
    stage: Res<Stage>,
) {
    if state.requested || playback.ticks < u64::from(state.capture.frames) {
        return;
    }
    // Freeze the picture: what is drawn this frame is what gets captured.
    playback.paused = true;
    state.requested = true;
    let path = state.capture.path.clone();
    let slot = state.slot.clone();
    let ticks = playback.ticks;
    let player_screen = stage.show.as_ref().map(player_on_screen);
    let player_level = stage.show.as_ref().map(|s| {
        let (x, y) = s.world().player().center();
        [x, y]
    });
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
            let result = save_png(&captured.image, &path).map(|(width, height)| CaptureReport {
                path: path.clone(),
                width,
                height,
                ticks,
                player_screen,
                player_level,
            });
            let ok = result.is_ok();
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            exit.write(if ok {
                AppExit::Success
            } else {
                AppExit::error()
            });
        },
    );
}

/// Writes `image` as an RGB PNG through a temporary file and a rename, so a
/// reader never sees half a file. Returns its size.
fn save_png(image: &Image, path: &Path) -> Result<(u32, u32), String> {
    let rgb = image
        .clone()
        .try_into_dynamic()
        .map_err(|e| format!("cannot read the window's pixels: {e}"))?
        .to_rgb8();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "screenshot".into());
    let temp = path.with_file_name(format!(".{name}.tmp"));
    rgb.save_with_format(&temp, image::ImageFormat::Png)
        .map_err(|e| format!("cannot write {}: {e}", temp.display()))?;
    std::fs::rename(&temp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((rgb.width(), rgb.height()))
}
