//! Pictures of the window, deterministic frame by frame: the app runs exactly
//! one tick per frame, so frame N shows tick N whatever the machine.
//!
//! - `--screenshot FILE --frames N`: run N ticks, capture the window, write the
//!   PNG atomically and exit, reporting where the simulation put the player and
//!   where each HUD text ended up.
//! - `--record FILE.gif --frames N | --episode`: capture every `stride`-th tick
//!   from tick 1 (N frames, or until the episode on screen ends) into an
//!   animated GIF, written to a temporary file and renamed when complete.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use image::RgbaImage;

use crate::app::Stage;
use crate::controls::Playback;
use crate::hud::HudText;
use crate::layout::{CHART, Fit};
use crate::scene::{ghosts_on_screen, player_on_screen};
use crate::watch::WatchState;

/// How long a clip runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipLength {
    /// This many frames.
    Frames(u32),
    /// Until the episode on screen ends (all ghosts, with ghosts on), at most
    /// [`MAX_CLIP_FRAMES`].
    Episode,
}

/// Most frames a clip holds.
pub const MAX_CLIP_FRAMES: u32 = 20_000;

/// What to capture.
#[derive(Debug, Clone)]
pub enum Capture {
    /// One PNG after `ticks` ticks.
    Screenshot {
        /// Where the PNG goes.
        path: PathBuf,
        /// Ticks to run first.
        ticks: u32,
    },
    /// An animated GIF.
    Clip {
        /// Where the GIF goes.
        path: PathBuf,
        /// How many frames.
        length: ClipLength,
        /// Ticks between frames (2: 30 frames per second of game time).
        stride: u32,
    },
}

/// What was captured.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureReport {
    /// The file written.
    pub path: PathBuf,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Ticks simulated before the (last) capture.
    pub ticks: u64,
    /// Frames in the file (1 for a screenshot).
    pub frames: u32,
    /// The player's centre in window pixels (origin top-left), if a show was
    /// playing.
    pub player_screen: Option<[f32; 2]>,
    /// The player's centre in the simulation, in level sub-pixels.
    pub player_level: Option<[i32; 2]>,
    /// Ghosts drawn (not dead) at the capture.
    pub ghosts_visible: usize,
    /// Where they are (the champion excepted), in window pixels.
    pub ghosts_screen: Vec<[f32; 2]>,
    /// Each HUD text block with something in it, as (left, top, right,
    /// bottom) window pixels.
    pub texts: Vec<[f32; 4]>,
    /// The fitness chart's box in window pixels (watch mode).
    pub chart: Option<[f32; 4]>,
}

/// Where the capture's outcome is handed back to [`crate::run`].
pub type CaptureSlot = Arc<Mutex<Option<Result<CaptureReport, String>>>>;

/// Captures as asked, then exits.
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

/// A clip being written: frames arrive from the GPU one by one, possibly out
/// of order; they are encoded in order. After the first, each frame stores
/// only the rectangle that changed, with unchanged pixels transparent over the
/// frame before (the sky stays sky while the level scrolls), which keeps clips
/// several times smaller. "Unchanged" is judged against what the GIF shows
/// (its quantized colours), so quantization errors never pile up.
struct ClipWriter {
    file: Option<BufWriter<File>>,
    encoder: Option<gif::Encoder<BufWriter<File>>>,
    temp: PathBuf,
    stride: u32,
    pending: BTreeMap<u32, RgbaImage>,
    /// What the GIF shows after the frames encoded so far.
    canvas: Vec<[u8; 3]>,
    encoded: u32,
    size: [u32; 2],
    error: Option<String>,
}

/// NeuQuant's speed (1 best … 30 fastest): 10 is gif's own default.
const QUANTIZE_SPEED: i32 = 10;
/// A pixel within this of what the GIF already shows (each channel) is left
/// as it is.
const SAME_COLOR: u8 = 6;

impl ClipWriter {
    fn create(path: &Path, stride: u32) -> Result<ClipWriter, String> {
        let temp = temp_path(path);
        let file =
            File::create(&temp).map_err(|e| format!("cannot write {}: {e}", temp.display()))?;
        Ok(ClipWriter {
            file: Some(BufWriter::new(file)),
            encoder: None,
            temp,
            stride,
            pending: BTreeMap::new(),
            canvas: Vec::new(),
            encoded: 0,
            size: [0, 0],
            error: None,
        })
    }

    /// Takes frame `index` and encodes every frame now in order.
    fn add(&mut self, index: u32, frame: RgbaImage) {
        self.pending.insert(index, frame);
        while let Some(frame) = self.pending.remove(&self.encoded) {
            if let Err(e) = self.encode(&frame) {
                let temp = self.temp.display();
                self.error
                    .get_or_insert(format!("cannot encode {temp}: {e}"));
            }
            self.encoded += 1;
        }
    }

    fn encode(&mut self, frame: &RgbaImage) -> Result<(), String> {
        let (w, h) = frame.dimensions();
        let too_big = || format!("{w}x{h} is larger than a GIF holds");
        let gw = u16::try_from(w).map_err(|_| too_big())?;
        let gh = u16::try_from(h).map_err(|_| too_big())?;
        if self.encoder.is_none() {
            let file = self.file.take().ok_or("the clip's file is gone")?;
            let mut encoder = gif::Encoder::new(file, gw, gh, &[]).map_err(|e| e.to_string())?;
            encoder
                .set_repeat(gif::Repeat::Infinite)
                .map_err(|e| e.to_string())?;
            self.encoder = Some(encoder);
            self.size = [w, h];
            self.canvas = vec![[0, 0, 0]; (w * h) as usize];
        }
        if self.size != [w, h] {
            return Err(format!("the window changed size while recording ({w}x{h})"));
        }
        // The changed rectangle, and its pixels with unchanged ones cleared.
        let first = self.encoded == 0;
        let same = |canvas: &[[u8; 3]], x: u32, y: u32| {
            let p = frame.get_pixel(x, y).0;
            let shown = canvas[(y * w + x) as usize];
            !first && (0..3).all(|c| p[c].abs_diff(shown[c]) <= SAME_COLOR)
        };
        let [x0, y0, x1, y1] = if first {
            [0, 0, w, h]
        } else {
            changed(w, h, |x, y| !same(&self.canvas, x, y)).unwrap_or([0, 0, 1, 1])
        };
        // One palette per frame, learnt from the whole frame (so the sky,
        // mostly unchanged, keeps its exact colour), with one more entry for
        // "as before".
        let quant = color_quant::NeuQuant::new(QUANTIZE_SPEED, 255, frame.as_raw());
        let palette = quant.color_map_rgb();
        let transparent = (palette.len() / 3) as u8;
        let mut indices = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
        for y in y0..y1 {
            for x in x0..x1 {
                if same(&self.canvas, x, y) {
                    indices.push(transparent);
                    continue;
                }
                let index = quant.index_of(&frame.get_pixel(x, y).0);
                indices.push(index as u8);
                let k = 3 * index;
                self.canvas[(y * w + x) as usize] = [palette[k], palette[k + 1], palette[k + 2]];
            }
        }
        let (fw, fh) = ((x1 - x0) as u16, (y1 - y0) as u16);
        let mut gif_frame = gif::Frame::from_indexed_pixels(fw, fh, indices, Some(transparent));
        let mut full = palette;
        full.extend_from_slice(&[0, 0, 0]);
        gif_frame.palette = Some(full);
        gif_frame.left = x0 as u16;
        gif_frame.top = y0 as u16;
        gif_frame.dispose = gif::DisposalMethod::Keep;
        // Game time is 60 ticks per second, a GIF counts in hundredths: frame
        // k lasts until round((k+1)·stride·100/60), so the clip keeps the
        // game's pace without drifting.
        let k = u64::from(self.encoded);
        let at = |k: u64| (k * u64::from(self.stride) * 100 + 30) / 60;
        gif_frame.delay = (at(k + 1) - at(k)).max(2) as u16;
        let encoder = self.encoder.as_mut().ok_or("no encoder")?;
        encoder.write_frame(&gif_frame).map_err(|e| e.to_string())
    }

    /// Writes the trailer, flushes, and moves the file into place.
    fn finish(&mut self, path: &Path) -> Result<(), String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", self.temp.display());
        let mut file = self
            .encoder
            .take()
            .ok_or("no frame was recorded")?
            .into_inner()
            .map_err(|e| fail(&e))?;
        std::io::Write::flush(&mut file).map_err(|e| fail(&e))?;
        drop(file);
        std::fs::rename(&self.temp, path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// The smallest rectangle (x0, y0, x1, y1) of a `w` × `h` frame holding every
/// pixel `differs` says, or `None` when there is none.
fn changed(w: u32, h: u32, differs: impl Fn(u32, u32) -> bool) -> Option<[u32; 4]> {
    let mut rect: Option<[u32; 4]> = None;
    for y in 0..h {
        for x in 0..w {
            if differs(x, y) {
                let r = rect.get_or_insert([x, y, x + 1, y + 1]);
                r[0] = r[0].min(x);
                r[1] = r[1].min(y);
                r[2] = r[2].max(x + 1);
                r[3] = r[3].max(y + 1);
            }
        }
    }
    rect
}

#[derive(Resource)]
struct CaptureState {
    capture: Capture,
    slot: CaptureSlot,
    /// Frames asked of the GPU so far.
    requested: u32,
    /// No more frames will be asked for.
    done_requesting: bool,
    clip: Option<Arc<Mutex<ClipWriter>>>,
}

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        let clip = match &self.capture {
            Capture::Clip { path, stride, .. } => match ClipWriter::create(path, *stride) {
                Ok(writer) => Some(Arc::new(Mutex::new(writer))),
                Err(e) => {
                    *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(Err(e));
                    app.add_systems(Startup, |mut exit: MessageWriter<AppExit>| {
                        exit.write(AppExit::error());
                    });
                    None
                }
            },
            Capture::Screenshot { .. } => None,
        };
        app.insert_resource(CaptureState {
            capture: self.capture.clone(),
            slot: self.slot.clone(),
            requested: 0,
            done_requesting: false,
            clip,
        })
        .add_systems(PostUpdate, request.after(bevy::ui::UiSystems::Layout));
    }
}

/// What the report says besides the file: the player and the HUD's boxes.
#[allow(clippy::type_complexity)]
fn describe(
    stage: &Stage,
    window: &Window,
    texts: &Query<(&ComputedNode, &UiGlobalTransform), With<HudText>>,
    watch: bool,
) -> CaptureReport {
    let size = window.physical_size();
    let fit = Fit::new(size.x as f32, size.y as f32);
    // UI nodes are placed within the camera's viewport: add its offset.
    let [dx, dy] = fit.offset;
    let boxes = texts
        .iter()
        .filter(|(node, _)| node.size().x > 0.0 && node.size().y > 0.0)
        .map(|(node, transform)| {
            let center = transform.translation;
            let half = node.size() / 2.0;
            [
                dx + center.x - half.x,
                dy + center.y - half.y,
                dx + center.x + half.x,
                dy + center.y + half.y,
            ]
        })
        .collect();
    let chart = watch.then(|| {
        let [l, t, r, b] = CHART;
        let [l, t] = fit.to_window([l, t]);
        let [r, b] = fit.to_window([r, b]);
        [l, t, r, b]
    });
    CaptureReport {
        path: PathBuf::new(),
        width: size.x,
        height: size.y,
        ticks: 0,
        frames: 0,
        player_screen: player_on_screen(stage).map(|p| fit.to_window(p)),
        player_level: stage.shown().map(|s| {
            let (x, y) = s.world().player().center();
            [x, y]
        }),
        ghosts_visible: stage.ghosts.as_ref().map_or(0, |g| g.alive()),
        ghosts_screen: ghosts_on_screen(stage)
            .into_iter()
            .map(|p| fit.to_window(p))
            .collect(),
        texts: boxes,
        chart,
    }
}

#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn request(
    mut commands: Commands,
    mut state: ResMut<CaptureState>,
    mut playback: ResMut<Playback>,
    stage: Res<Stage>,
    window: Single<&Window>,
    texts: Query<(&ComputedNode, &UiGlobalTransform), With<HudText>>,
    watch: Option<Res<WatchState>>,
) {
    if state.done_requesting {
        return;
    }
    let due = match &state.capture {
        Capture::Screenshot { ticks, .. } => u64::from(*ticks),
        // Frames at ticks 1, 1 + stride, 1 + 2·stride, …
        Capture::Clip { stride, .. } => 1 + u64::from(state.requested) * u64::from(*stride),
    };
    if playback.ticks < due {
        return;
    }
    let mut report = describe(&stage, &window, &texts, watch.is_some());
    report.ticks = playback.ticks;
    let slot = state.slot.clone();
    match state.capture.clone() {
        Capture::Screenshot { path, .. } => {
            // Freeze the picture: what is drawn this frame is what gets captured.
            playback.paused = true;
            state.done_requesting = true;
            report.path = path.clone();
            report.frames = 1;
            commands.spawn(Screenshot::primary_window()).observe(
                move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                    let result =
                        save_png(&captured.image, &path).map(|(width, height)| CaptureReport {
                            width,
                            height,
                            ..report.clone()
                        });
                    finish(&slot, result, &mut exit);
                },
            );
        }
        Capture::Clip { path, length, .. } => {
            let Some(writer) = state.clip.clone() else {
                return;
            };
            let index = state.requested;
            state.requested += 1;
            let ended = stage.ghosts.as_ref().map_or_else(
                || stage.shown().is_some_and(|s| s.end().is_some()),
                |g| g.ended(),
            );
            let last = match length {
                ClipLength::Frames(n) => state.requested >= n,
                ClipLength::Episode => ended || state.requested >= MAX_CLIP_FRAMES,
            };
            state.done_requesting = last;
            let total = last.then_some(state.requested);
            if last {
                playback.paused = true;
            }
            report.path = path.clone();
            commands.spawn(Screenshot::primary_window()).observe(
                move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                    let mut clip = writer.lock().unwrap_or_else(|e| e.into_inner());
                    match rgba(&captured.image) {
                        Ok(frame) => clip.add(index, frame),
                        Err(e) => {
                            clip.error.get_or_insert(e);
                        }
                    }
                    // The last frame asked for is the last one encoded.
                    if let Some(total) = total
                        && clip.encoded == total
                    {
                        let [width, height] = clip.size;
                        let result = clip.finish(&path).map(|()| CaptureReport {
                            width,
                            height,
                            frames: total,
                            ..report.clone()
                        });
                        finish(&slot, result, &mut exit);
                    }
                },
            );
        }
    }
}

/// Hands the outcome back and closes the app.
fn finish(
    slot: &CaptureSlot,
    result: Result<CaptureReport, String>,
    exit: &mut MessageWriter<AppExit>,
) {
    let ok = result.is_ok();
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    exit.write(if ok {
        AppExit::Success
    } else {
        AppExit::error()
    });
}

fn rgba(image: &Image) -> Result<RgbaImage, String> {
    Ok(image
        .clone()
        .try_into_dynamic()
        .map_err(|e| format!("cannot read the window's pixels: {e}"))?
        .to_rgba8())
}

/// `.NAME.tmp` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "capture".into());
    path.with_file_name(format!(".{name}.tmp"))
}

/// Writes `image` as an RGB PNG through a temporary file and a rename, so a
/// reader never sees half a file. Returns its size.
fn save_png(image: &Image, path: &Path) -> Result<(u32, u32), String> {
    let rgb = image::DynamicImage::ImageRgba8(rgba(image)?).to_rgb8();
    let temp = temp_path(path);
    rgb.save_with_format(&temp, image::ImageFormat::Png)
        .map_err(|e| format!("cannot write {}: {e}", temp.display()))?;
    std::fs::rename(&temp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((rgb.width(), rgb.height()))
}
