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
use crate::hud::HudPlugin;
use crate::layout::{WINDOW_H, WINDOW_W};
use crate::overlay::OverlayPlugin;
use crate::scene::{SKY, ScenePlugin};
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
}

/// How the window runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Take one screenshot after N ticks, then exit.
    pub capture: Option<Capture>,
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
}

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
}

fn log_frame(log: Res<FrameLog>, playback: Res<Playback>) {
    let mut outcome = log.outcome.lock().unwrap_or_else(|e| e.into_inner());
    outcome.frames += 1;
    outcome.seconds = log.started.elapsed().as_secs_f64();
    outcome.ticks = playback.ticks;
}

/// Opens the window and runs until it is closed (or until the screenshot is
/// written, or evolution ends, as `options` say).
pub fn run(mode: Mode, options: Options) -> Result<Outcome, ViewerError> {
    let Options {
        capture,
        close_when_done,
        max_fps,
    } = options;
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
                    resolution: (WINDOW_W as u32, WINDOW_H as u32).into(),
                    resizable: false,
                    ..default()
                }),
                ..default()
            })
            .set(LogPlugin {
                filter: "warn,wgpu=error,naga=error,bevy_render=error,bevy_winit=error".into(),
                ..default()
            }),
    )
    .insert_resource(ClearColor(SKY))
    .insert_resource(FramePace {
        frame,
        last: Instant::now(),
    })
    .add_systems(Last, pace_frames)
    .insert_resource(Time::<Fixed>::from_hz(60.0))
    .init_resource::<Playback>()
    .add_plugins((ScenePlugin, OverlayPlugin, HudPlugin, ControlsPlugin));

    let stage = match mode {
        Mode::Watch(setup) => {
            let stage = Stage {
                show: None,
                label: "waiting for the first champion".into(),
                play: setup.play,
                keyboard: false,
            };
            app.insert_resource(WatchState::new(setup, close_when_done))
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
            keyboard: false,
        },
        Mode::Play(setup) => Stage {
            show: Some(Show::keyboard(setup.play, setup.levels)),
            label: "you play".into(),
            play: setup.play,
            keyboard: true,
        },
    };
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
