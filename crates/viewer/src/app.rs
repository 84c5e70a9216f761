//! The Bevy app: one window, the level below a band that holds the overlay and the
//! HUD. The simulation steps in `FixedUpdate` at 60 Hz; drawing reads it in
//! `Update`. Evolution never runs in here: it runs on worker threads and posts
//! [`GenerationReport`](crate::feed::GenerationReport)s to a [`Feed`].

use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};

use bevy::log::LogPlugin;
use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use sprout_genome::{Genome, NeatConfig};
use sprout_platformer::{Level, PlaySettings, Variations};

use crate::capture::{Capture, CapturePlugin, CaptureReport, CaptureSlot};
use crate::controls::{ControlsPlugin, Playback};
use crate::error::ViewerError;
use crate::feed::Feed;
use crate::ghosts::{Generation, Ghosts, Pick};
use crate::hud::HudPlugin;
use crate::layout::{Fit, WINDOW_H, WINDOW_W};
use crate::overlay::OverlayPlugin;
use crate::scene::{LETTERBOX, ScenePlugin};
use crate::show::Show;
use crate::watch::{WatchPlugin, WatchState};

/// Frames per second the window draws at most, unless told otherwise. The
/// simulation keeps its 60 Hz (FixedUpdate runs as often as needed per frame);
/// the cap leaves the CPU to evolution, which matters most where the GPU is
/// emulated (Mesa's llvmpipe costs about 25 ms of CPU per frame here).
pub const DEFAULT_FPS: f64 = 30.0;

/// `sprout watch`: evolution posts to `feed`; the window plays its champion.
pub struct WatchSetup {
    /// Where the evolution thread posts each generation.
    pub feed: Feed,
    /// How genomes are compiled (stepping, plasticity).
    pub neat: NeatConfig,
    /// What the champion sees and the episode rules.
    pub play: PlaySettings,
    /// How episodes vary (mirrored controls, hidden cells).
    pub variations: Variations,
    /// The experiment's name, for the title.
    pub name: String,
}

/// `sprout replay` with a window: a saved genome on chosen levels.
pub struct ReplaySetup {
    /// The genome.
    pub genome: Genome,
    /// How it is compiled.
    pub neat: NeatConfig,
    /// What it sees and the episode rules.
    pub play: PlaySettings,
    /// How episodes vary (mirrored controls, hidden cells).
    pub variations: Variations,
    /// Levels it plays in turn (at least one).
    pub levels: Vec<Arc<Level>>,
    /// One line saying what is replayed.
    pub label: String,
    /// The generation G (or `--ghosts`) plays as ghosts, when the replayed
    /// file is a checkpoint.
    pub generation: Option<Arc<Generation>>,
}

/// `sprout play`: the keyboard on chosen levels.
pub struct PlaySetup {
    /// Episode rules and the sensor grid shown in the overlay.
    pub play: PlaySettings,
    /// Levels played in turn (at least one).
    pub levels: Vec<Arc<Level>>,
}

/// What the window does.
pub enum Mode {
    /// Watch evolution.
    Watch(WatchSetup),
    /// Replay a genome.
    Replay(ReplaySetup),
    /// Play by hand.
    Play(PlaySetup),
}

/// The show on screen (none while watch waits for its first generation).
#[derive(Resource, Default)]
pub struct Stage {
    /// What plays.
    pub show: Option<Show>,
    /// One line naming the pilot.
    pub label: String,
    /// The sensor grid and rules, known before any show starts.
    pub play: PlaySettings,
    /// Whether a person plays.
    pub keyboard: bool,
    /// The whole generation at once, when the ghost view is on.
    pub ghosts: Option<Ghosts>,
    /// Whether the ghost view is wanted (G): it starts as soon as a generation
    /// is known.
    pub want_ghosts: bool,
    /// Which genomes play as ghosts.
    pub pick: Pick,
    /// The newest generation that can play as ghosts.
    pub generation: Option<Arc<Generation>>,
    /// How ghosts are compiled and which variations they play.
    pub neat: NeatConfig,
    /// The variations ghosts play.
    pub variations: Variations,
}

impl Stage {
    /// The show the overlay, the HUD and the camera follow: the champion
    /// ghost's with ghosts on, else the show.
    pub fn shown(&self) -> Option<&Show> {
        match &self.ghosts {
            Some(ghosts) => Some(&ghosts.champion().show),
            None => self.show.as_ref(),
        }
    }

    /// The level x (sub-pixels) the camera keeps in view: the player's, or the
    /// leading ghost's.
    pub fn camera_x(&self) -> Option<i32> {
        match &self.ghosts {
            Some(ghosts) => Some(ghosts.leader().show.world().player().center().0),
            None => self.show.as_ref().map(|s| s.world().player().center().0),
        }
    }

    /// Starts the ghost view on the newest generation when it is wanted and
    /// the ghosts on screen are done (or there are none); stops it when not
    /// wanted.
    pub fn refresh_ghosts(&mut self) {
        if !self.want_ghosts {
            self.ghosts = None;
            return;
        }
        let Some(generation) = self.generation.as_ref() else {
            return;
        };
        let stale = self.ghosts.as_ref().is_none_or(|g| {
            g.ended() && (g.generation() != generation.number || g.pick() != self.pick)
        });
        if stale {
            let (play, variations, neat) = (self.play, self.variations, &self.neat);
            let start = |pick| Ghosts::new(generation, pick, play, variations, neat);
            let mut ghosts = start(self.pick);
            if ghosts.is_none() {
                // The species picked died out: show the whole generation.
                self.pick = Pick::All;
                ghosts = start(Pick::All);
            }
            self.ghosts = ghosts;
        }
    }
}

/// How the window runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Take a screenshot or record a clip, then exit.
    pub capture: Option<Capture>,
    /// The window's size in pixels (default 1280×720); it can be resized, and
    /// the picture scales to fit.
    pub window: Option<[u32; 2]>,
    /// Start with the ghost view on (`--ghosts`), with these genomes.
    pub ghosts: Option<Pick>,
    /// Watch mode: close the window once evolution has stopped.
    pub close_when_done: bool,
    /// Most frames per second drawn ([`DEFAULT_FPS`] when `None`).
    pub max_fps: Option<f64>,
}

/// What a window session did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// What the screenshot captured, if one was asked for.
    pub capture: Option<CaptureReport>,
    /// Frames drawn.
    pub frames: u64,
    /// Seconds the window was open.
    pub seconds: f64,
    /// Simulation ticks run.
    pub ticks: u64,
    /// Frames per second once started up (after the first
    /// [`WARM_UP_FRAMES`], which compile pipelines and upload textures).
    pub steady_fps: Option<f64>,
}

/// Frames not counted in [`Outcome::steady_fps`].
pub const WARM_UP_FRAMES: u64 = 30;

/// The frame cap: the main thread sleeps out the rest of each frame's share.
/// (Winit's reactive update mode does not cap the rate: window events keep
/// waking it.)
#[derive(Resource)]
struct FramePace {
    frame: Duration,
    last: Instant,
}

fn pace_frames(mut pace: ResMut<FramePace>) {
    let elapsed = pace.last.elapsed();
    if elapsed < pace.frame {
        std::thread::sleep(pace.frame - elapsed);
    }
    pace.last = Instant::now();
}

/// Frame statistics shared with [`run`]'s caller (the app's world is gone once it
/// exits).
/// Wall-clock time, because screenshot mode makes Bevy's own clocks step by
/// exactly one tick per frame.
#[derive(Resource, Clone)]
struct FrameLog {
    outcome: Arc<Mutex<Outcome>>,
    started: Instant,
    /// When the warm-up frames were done.
    warm: Arc<Mutex<Option<f64>>>,
}

fn log_frame(log: Res<FrameLog>, playback: Res<Playback>) {
    let mut outcome = log.outcome.lock().unwrap_or_else(|e| e.into_inner());
    outcome.frames += 1;
    let seconds = log.started.elapsed().as_secs_f64();
    outcome.ticks = playback.ticks;
    let mut warm = log.warm.lock().unwrap_or_else(|e| e.into_inner());
    if outcome.frames == WARM_UP_FRAMES {
        *warm = Some(seconds);
    }
    if let Some(since) = *warm
        && outcome.frames > WARM_UP_FRAMES
    {
        outcome.steady_fps = Some((outcome.frames - WARM_UP_FRAMES) as f64 / (seconds - since));
    }
    outcome.seconds = seconds;
}

/// Opens the window and runs until it is closed (or until the screenshot is
/// written, or evolution ends, as `options` say).
pub fn run(mode: Mode, options: Options) -> Result<Outcome, ViewerError> {
    let Options {
        capture,
        window,
        ghosts,
        close_when_done,
        max_fps,
    } = options;
    let [width, height] = window.unwrap_or([WINDOW_W as u32, WINDOW_H as u32]);
    let frame = Duration::from_secs_f64(1.0 / max_fps.unwrap_or(DEFAULT_FPS).clamp(1.0, 1000.0));
    check_display()?;
    let title = match &mode {
        Mode::Watch(w) => format!("Sprout: watching {} evolve", w.name),
        Mode::Replay(r) => format!("Sprout: {}", r.label),
        Mode::Play(_) => "Sprout: play".to_string(),
    };
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title,
                    resolution: (width, height).into(),
                    resizable: true,
                    ..default()
                }),
                ..default()
            })
            .set(LogPlugin {
                filter: "warn,wgpu=error,naga=error,bevy_render=error,bevy_winit=error".into(),
                ..default()
            }),
    )
    .insert_resource(ClearColor(LETTERBOX))
    .insert_resource(FramePace {
        frame,
        last: Instant::now(),
    })
    .add_systems(Last, pace_frames)
    .add_systems(PreUpdate, fit_window)
    .insert_resource(Time::<Fixed>::from_hz(60.0))
    .init_resource::<Playback>()
    .add_plugins((ScenePlugin, OverlayPlugin, HudPlugin, ControlsPlugin));

    let mut stage = match mode {
        Mode::Watch(setup) => {
            let stage = Stage {
                show: None,
                label: "waiting for the first champion".into(),
                play: setup.play,
                neat: setup.neat,
                variations: setup.variations,
                ..Stage::default()
            };
            app.insert_resource(WatchState::new(setup.feed, close_when_done))
                .add_plugins(WatchPlugin);
            stage
        }
        Mode::Replay(setup) => Stage {
            show: Some(Show::of_genome(
                setup.play,
                setup.variations,
                setup.levels,
                &setup.genome,
                &setup.neat,
            )),
            label: setup.label,
            play: setup.play,
            generation: setup.generation,
            neat: setup.neat,
            variations: setup.variations,
            ..Stage::default()
        },
        Mode::Play(setup) => Stage {
            show: Some(Show::keyboard(setup.play, setup.levels)),
            label: "you play".into(),
            play: setup.play,
            keyboard: true,
            ..Stage::default()
        },
    };
    if let Some(pick) = ghosts {
        stage.want_ghosts = true;
        stage.pick = pick;
        stage.refresh_ghosts();
    }
    app.insert_resource(stage);

    let slot: CaptureSlot = Arc::new(Mutex::new(None));
    if let Some(capture) = capture {
        // One fixed step per frame, whatever the wall clock does, so frame N
        // shows tick N and the picture repeats byte for byte.
        app.insert_resource(TimeUpdateStrategy::FixedTimesteps(1))
            .add_plugins(CapturePlugin::new(capture, slot.clone()));
    }
    let log = FrameLog {
        outcome: Arc::default(),
        started: Instant::now(),
        warm: Arc::default(),
    };
    app.insert_resource(log.clone())
        .add_systems(Last, log_frame);
    match app.run() {
        AppExit::Success => {}
        AppExit::Error(code) => return Err(ViewerError::Exit(code.get())),
    }
    let mut outcome = log
        .outcome
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    outcome.capture = match slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some(Err(why)) => return Err(ViewerError::Screenshot(why)),
        Some(Ok(report)) => Some(report),
        None => None,
    };
    Ok(outcome)
}

/// Sizes the camera's viewport to the largest 16:9 rectangle the window holds
/// (centred) and scales the UI with it, so the 1280×720 layout fits any window
/// without stretching or cutting.
fn fit_window(
    window: Single<&Window>,
    mut camera: Single<&mut Camera>,
    mut ui_scale: ResMut<UiScale>,
) {
    let size = window.physical_size();
    if size.x == 0 || size.y == 0 {
        return; // minimised
    }
    let fit = Fit::new(size.x as f32, size.y as f32);
    let [w, h] = fit.size();
    let (position, size) = (
        UVec2::new(fit.offset[0] as u32, fit.offset[1] as u32),
        UVec2::new(w.max(1), h.max(1)),
    );
    let current = camera
        .viewport
        .as_ref()
        .map(|v| (v.physical_position, v.physical_size));
    if current != Some((position, size)) {
        camera.viewport = Some(bevy::camera::Viewport {
            physical_position: position,
            physical_size: size,
            ..default()
        });
    }
    // UI lengths are logical pixels of the camera's viewport.
    let scale = fit.scale / window.scale_factor();
    if (ui_scale.0 - scale).abs() > 1e-6 {
        ui_scale.0 = scale;
    }
}

/// Fails early, with a clear message, where no window can open.
pub fn check_display() -> Result<(), ViewerError> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(ViewerError::NoDisplay);
    }
    Ok(())
}
