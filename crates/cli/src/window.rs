//! The window commands: `watch`, `replay` with a window, and `play`. They need
//! the `viewer` feature (on by default); a build without it explains how to get
//! it instead.

use std::path::PathBuf;

/// `--screenshot FILE --frames N`, `--record FILE --frames N | --episode`, the
/// window's size and frame rate.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ShotArgs {
    /// Render, save a PNG of the window to this file, and exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Record an animated GIF of the window, frame by frame from tick 1, to
    /// this file, and exit.
    #[arg(long, value_name = "GIF", conflicts_with = "screenshot")]
    pub record: Option<PathBuf>,
    /// Ticks to render before the screenshot (one tick per frame), or frames
    /// in the clip.
    #[arg(long, default_value_t = 120)]
    pub frames: u32,
    /// With --record: record until the episode on screen ends (with ghosts,
    /// until all have ended).
    #[arg(long, requires = "record", conflicts_with = "frames")]
    pub episode: bool,
    /// With --record: ticks between frames (2: 30 frames per second of play).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub stride: u32,
    /// The window's size, WIDTHxHEIGHT (default 1280x720); the picture scales
    /// to fit it, and the window can be resized.
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub window: Option<[u32; 2]>,
    /// Most frames per second to draw (default 30). The game runs at 60 ticks
    /// per second whatever this is; fewer frames leave more CPU to evolution.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=240))]
    pub fps: Option<u32>,
}

/// `WIDTHxHEIGHT`, each 64..=8192 pixels.
fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let bad = || format!("`{text}` is not WIDTHxHEIGHT (like 960x540)");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let size = [w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?];
    if size.iter().any(|v| !(64..=8192).contains(v)) {
        return Err(format!("`{text}`: each side must be 64 to 8192 pixels"));
    }
    Ok(size)
}

/// The ghost view: a whole generation playing at once.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GhostArgs {
    /// Start with every genome of the latest generation playing at once as
    /// ghosts coloured by species (key G toggles). `replay` takes them from a
    /// checkpoint (or a run directory's newest).
    #[arg(long)]
    pub ghosts: bool,
    /// With --ghosts: only the K fittest.
    #[arg(long, value_name = "K", requires = "ghosts", value_parser = clap::value_parser!(u64).range(1..))]
    pub top: Option<u64>,
    /// With --ghosts: only the members of this species.
    #[arg(long, value_name = "ID", requires = "ghosts", conflicts_with = "top")]
    pub species: Option<u64>,
}

/// `watch`'s window options.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WatchArgs {
    #[command(flatten)]
    pub shot: ShotArgs,
    #[command(flatten)]
    pub ghosts: GhostArgs,
    /// Close the window once evolution stops (for scripted runs and
    /// measurements); by default it stays open, replaying the champion.
    #[arg(long)]
    pub close_when_done: bool,
}

#[cfg(feature = "viewer")]
pub use with_viewer::{play, replay, watch};
#[cfg(not(feature = "viewer"))]
pub use without_viewer::{play, replay, watch};

#[cfg(feature = "viewer")]
mod with_viewer {
    use std::path::Path;

    use anyhow::{Context, Result, anyhow, bail};
    use std::sync::Arc;

    use sprout_evolve::saves::{checkpoint_generation, load_checkpoint, resolve_checkpoint};
    use sprout_platformer::PlatformerTask;
    use sprout_viewer::ghosts::{Generation, Pick, Recorder};
    use sprout_viewer::{
        Capture, ClipLength, Feed, GenerationReport, Mode, Options, Outcome, PlaySetup,
        ReplaySetup, WatchSetup,
    };

    use super::{GhostArgs, ShotArgs, WatchArgs};
    use crate::levels::LevelArgs;
    use sprout_evolve::{Ending, Evaluator, Local, TaskDescription};
    use sprout_lab::tasks::{self, TaskSpec};
    use sprout_lab::{SproutRequest, SproutRun, load_saved_genome};

    use crate::stop::Stop;

    impl ShotArgs {
        fn options(&self, ghosts: Option<Pick>) -> Options {
            let screenshot = self.screenshot.as_ref().map(|path| Capture::Screenshot {
                path: path.clone(),
                ticks: self.frames,
            });
            let clip = self.record.as_ref().map(|path| Capture::Clip {
                path: path.clone(),
                length: if self.episode {
                    ClipLength::Episode
                } else {
                    ClipLength::Frames(self.frames.max(1))
                },
                stride: self.stride,
            });
            Options {
                capture: screenshot.or(clip),
                window: self.window,
                ghosts,
                close_when_done: false,
                max_fps: self.fps.map(f64::from),
            }
        }
    }

    impl GhostArgs {
        fn pick(&self) -> Option<Pick> {
            self.ghosts.then_some(match (self.top, self.species) {
                (Some(k), _) => Pick::Top(k as usize),
                (None, Some(id)) => Pick::Species(id),
                (None, None) => Pick::All,
            })
        }
    }

    /// Prints how fast the window drew, on stderr (stdout ends with the
    /// capture's JSON line).
    fn print_frames(outcome: &Outcome) {
        let steady = outcome.steady_fps.map_or_else(String::new, |fps| {
            format!(", {fps:.1} per second after start-up")
        });
        eprintln!(
            "window: {} frames in {:.1} s{steady}, {} ticks played",
            outcome.frames, outcome.seconds, outcome.ticks
        );
    }

    /// Prints what a screenshot or clip captured as one JSON line.
    fn print_capture(outcome: &Outcome) {
        if let Some(r) = &outcome.capture {
            let line = serde_json::json!({
                "capture": r.path,
                "width": r.width,
                "height": r.height,
                "ticks": r.ticks,
                "frames": r.frames,
                "player_screen": r.player_screen,
                "player_level": r.player_level,
                "ghosts_visible": r.ghosts_visible,
                "ghosts_screen": r.ghosts_screen,
                "texts": r.texts,
                "chart": r.chart,
            });
            println!("{line}");
        }
    }

    /// The checkpoint `--ghosts` replays: `path` itself, the newest of a run
    /// directory, or the newest beside a champion file.
    fn ghost_checkpoint(path: &Path) -> Result<std::path::PathBuf> {
        let named = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(checkpoint_generation)
            .is_some();
        if named || path.is_dir() {
            return Ok(resolve_checkpoint(path)?);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        resolve_checkpoint(dir).with_context(|| {
            format!(
                "--ghosts replays a whole generation, which {} does not hold: give a checkpoint or a run directory",
                path.display()
            )
        })
    }

    /// The platformer settings of an experiment's task, or why there are none.
    fn platformer(task: &TaskSpec, what: &str) -> Result<PlatformerTask> {
        match task {
            TaskSpec::Platformer(config) => Ok(PlatformerTask::new(config.clone())?),
            other => bail!(
                "the window shows the platformer, and {what} runs task `{}`; use `sprout evolve` or `sprout replay --headless`",
                other.build().map_err(|e| anyhow!(e))?.name()
            ),
        }
    }

    /// `sprout watch`: `evolve` on worker threads, the champion in a window.
    pub fn watch(
        request: SproutRequest,
        threads: Option<usize>,
        farm: &crate::farm::MasterArgs,
        args: &WatchArgs,
    ) -> Result<()> {
        let mut prepared = SproutRun::prepare(request)?;
        for warning in &prepared.warnings {
            eprintln!("{warning}");
        }
        let experiment = &prepared.experiment;
        let task = platformer(
            &experiment.task,
            &format!("experiment `{}`", experiment.name),
        )?;
        sprout_viewer::check_display()?;
        let setup = WatchSetup {
            feed: Feed::with_history(
                prepared
                    .evolution
                    .history
                    .iter()
                    .map(|s| [s.best_fitness, s.mean_fitness])
                    .collect(),
            ),
            neat: experiment.neat.clone(),
            play: *task.play_settings(),
            variations: task.config().variations(),
            name: experiment.name.clone(),
        };
        let choice = experiment.champion;
        println!(
            "watching `{}` (seed {}, population {}) evolve into {}",
            experiment.name,
            prepared.evolution.seed,
            experiment.neat.population_size,
            prepared.dir.path.display()
        );
        // Closing the window stops evolution after the generation in flight, as
        // Ctrl-C, SIGTERM and SIGHUP do; all leave a checkpoint.
        let stop = Stop::on_signals(crate::stop::RUN)?;
        let pool = crate::thread_pool(threads)?;
        // The window shows the generation; the workers' state goes to the terminal.
        let remote = farm.evaluator(&prepared, |_| {})?;
        let feed = setup.feed.clone();
        let flag = stop.clone();
        let worker = std::thread::Builder::new()
            .name("evolution".into())
            .spawn(move || {
                let evaluator: &(dyn Evaluator + Sync) = match &remote {
                    Some(remote) => remote.as_ref(),
                    None => &Local,
                };
                // Keeps each evaluated generation for the ghost view.
                let recorder = Recorder::new(evaluator);
                let result = pool.install(|| {
                    prepared.evolve_with(&recorder, flag.flag(), |stats, evolution| {
                        feed.publish(GenerationReport::of_generation(
                            stats,
                            evolution,
                            choice,
                            &task,
                            recorder.take(),
                        ));
                    })
                });
                // Short words: the HUD line is narrow. An error is printed in full
                // on the terminal once the window closes.
                feed.end(match &result {
                    Ok(Ending::Solved) => "solved",
                    Ok(Ending::Finished) => "finished",
                    Ok(Ending::Interrupted) => "stopped",
                    Err(_) => "failed (see the terminal)",
                });
                (prepared, result)
            })
            .context("cannot start the evolution thread")?;
        let options = Options {
            close_when_done: args.close_when_done,
            ..args.shot.options(args.ghosts.pick())
        };
        let shown = sprout_viewer::run(Mode::Watch(setup), options);
        stop.request();
        let (prepared, result) = worker
            .join()
            .map_err(|_| anyhow!("the evolution thread panicked"))?;
        let ending = result?;
        let outcome = shown?;
        print_capture(&outcome);
        print_frames(&outcome);
        crate::run::print_ending(&prepared, ending, "watch");
        if let Some(code) = stop.exit_code() {
            std::process::exit(code);
        }
        Ok(())
    }

    /// `sprout replay FILE` with a window.
    pub fn replay(
        path: &Path,
        levels: &LevelArgs,
        shot: &ShotArgs,
        ghosts: &GhostArgs,
    ) -> Result<()> {
        let checkpoint = ghosts.ghosts.then(|| ghost_checkpoint(path)).transpose()?;
        let path = checkpoint.as_deref().unwrap_or(path);
        let saved = load_saved_genome(path)?;
        let task = platformer(&saved.experiment.task, &path.display().to_string())?;
        saved.check_shape(&task)?;
        let TaskSpec::Platformer(config) = &saved.experiment.task else {
            unreachable!("platformer() checked the task");
        };
        let champion = &saved.champion;
        let levels = match levels.resolve(config)? {
            Some(level) => vec![level],
            None => task.levels(champion.generation).to_vec(),
        };
        sprout_viewer::check_display()?;
        let label = format!(
            "{}: genome {} (generation {}, fitness {:.1})",
            path.display(),
            champion.genome.id,
            champion.generation,
            champion.evaluation.fitness
        );
        let generation = match checkpoint {
            Some(file) => {
                let evolution = load_checkpoint::<TaskSpec>(&file)?.evolution;
                let neat = &saved.experiment.neat;
                Some(Arc::new(Generation::of_checkpoint(
                    &evolution, neat, &task,
                )?))
            }
            None => None,
        };
        let setup = ReplaySetup {
            genome: champion.genome.clone(),
            neat: saved.experiment.neat.clone(),
            play: *task.play_settings(),
            variations: config.variations(),
            levels,
            label,
            generation,
        };
        let outcome = sprout_viewer::run(Mode::Replay(setup), shot.options(ghosts.pick()))?;
        print_capture(&outcome);
        print_frames(&outcome);
        Ok(())
    }

    /// `sprout play`: the keyboard on a level.
    pub fn play(config: Option<&Path>, levels: &LevelArgs, shot: &ShotArgs) -> Result<()> {
        let experiment = tasks::load_experiment(config)?;
        let task = platformer(
            &experiment.task,
            &format!("experiment `{}`", experiment.name),
        )?;
        let TaskSpec::Platformer(platformer_config) = &experiment.task else {
            unreachable!("platformer() checked the task");
        };
        let levels = match levels.resolve(platformer_config)? {
            Some(level) => vec![level],
            None => task.levels(0).to_vec(),
        };
        sprout_viewer::check_display()?;
        let mut play = *task.play_settings();
        // A person pauses to look; MarI/O's stall rule would end the episode.
        play.rules.stall_frames = play.rules.max_ticks.max(1) * 4;
        let setup = PlaySetup { play, levels };
        let outcome = sprout_viewer::run(Mode::Play(setup), shot.options(None))?;
        print_capture(&outcome);
        print_frames(&outcome);
        Ok(())
    }
}

#[cfg(not(feature = "viewer"))]
mod without_viewer {
    use std::path::Path;

    use anyhow::{Result, bail};

    use super::{GhostArgs, ShotArgs, WatchArgs};
    use crate::levels::LevelArgs;
    use sprout_lab::SproutRequest as RunRequest;

    const NO_WINDOW: &str = "this sprout was built without the window (--no-default-features); rebuild with the default features for `watch`, `play` and `replay` with a window";

    /// `sprout watch` needs the viewer.
    pub fn watch(
        _: RunRequest,
        _: Option<usize>,
        _: &crate::farm::MasterArgs,
        _: &WatchArgs,
    ) -> Result<()> {
        bail!(NO_WINDOW)
    }

    /// `sprout replay` with a window needs the viewer.
    pub fn replay(_: &Path, _: &LevelArgs, _: &ShotArgs, _: &GhostArgs) -> Result<()> {
        bail!(NO_WINDOW)
    }

    /// `sprout play` needs the viewer.
    pub fn play(_: Option<&Path>, _: &LevelArgs, _: &ShotArgs) -> Result<()> {
        bail!(NO_WINDOW)
    }
}

/// Whether this build can open a window.
pub const HAS_WINDOW: bool = cfg!(feature = "viewer");
