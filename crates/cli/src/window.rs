//! The window commands: `watch`, `replay` with a window, and `play`. They need
//! the `viewer` feature (on by default); a build without it explains how to get
//! it instead.

use std::path::PathBuf;

/// `--screenshot FILE --frames N`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ShotArgs {
    /// Render, save a PNG of the window to this file, and exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Ticks to render before the screenshot (one tick per frame).
    #[arg(long, default_value_t = 120, requires = "screenshot")]
    pub frames: u32,
    /// Most frames per second to draw (default 30). The game runs at 60 ticks
    /// per second whatever this is; fewer frames leave more CPU to evolution.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=240))]
    pub fps: Option<u32>,
}

/// `watch`'s window options.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WatchArgs {
    #[command(flatten)]
    pub shot: ShotArgs,
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
    use sprout_platformer::PlatformerTask;
    use sprout_viewer::{
        Capture, Feed, GenerationReport, Mode, Options, Outcome, PlaySetup, ReplaySetup, WatchSetup,
    };

    use super::{ShotArgs, WatchArgs};
    use crate::levels::LevelArgs;
    use sprout_evolve::{Ending, Evaluator, Local, TaskDescription};
    use sprout_lab::tasks::{self, TaskSpec};
    use sprout_lab::{SproutRequest, SproutRun, load_saved_genome};

    use crate::stop::Stop;

    impl ShotArgs {
        fn options(&self) -> Options {
            Options {
                capture: self.screenshot.as_ref().map(|path| Capture {
                    path: path.clone(),
                    frames: self.frames,
                }),
                close_when_done: false,
                max_fps: self.fps.map(f64::from),
            }
        }
    }

    /// Prints what a screenshot captured as one JSON line.
    fn print_capture(outcome: &Outcome) {
        if let Some(r) = &outcome.capture {
            let line = serde_json::json!({
                "screenshot": r.path,
                "width": r.width,
                "height": r.height,
                "ticks": r.ticks,
                "player_screen": r.player_screen,
                "player_level": r.player_level,
            });
            println!("{line}");
        }
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
                let result = pool.install(|| {
                    prepared.evolve_with(evaluator, flag.flag(), |stats, evolution| {
                        feed.publish(GenerationReport::of_generation(
                            stats, evolution, choice, &task,
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
            ..args.shot.options()
        };
        let shown = sprout_viewer::run(Mode::Watch(setup), options);
        stop.request();
        let (prepared, result) = worker
            .join()
            .map_err(|_| anyhow!("the evolution thread panicked"))?;
        let ending = result?;
        let outcome = shown?;
        print_capture(&outcome);
        println!(
            "window: {} frames in {:.1} s ({:.1} per second), {} ticks played",
            outcome.frames,
            outcome.seconds,
            outcome.frames as f64 / outcome.seconds.max(1e-9),
            outcome.ticks
        );
        crate::run::print_ending(&prepared, ending, "watch");
        if let Some(code) = stop.exit_code() {
            std::process::exit(code);
        }
        Ok(())
    }

    /// `sprout replay FILE` with a window.
    pub fn replay(path: &Path, levels: &LevelArgs, shot: &ShotArgs) -> Result<()> {
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
        let setup = ReplaySetup {
            genome: champion.genome.clone(),
            neat: saved.experiment.neat.clone(),
            play: *task.play_settings(),
            variations: config.variations(),
            levels,
            label,
        };
        print_capture(&sprout_viewer::run(Mode::Replay(setup), shot.options())?);
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
        print_capture(&sprout_viewer::run(Mode::Play(setup), shot.options())?);
        Ok(())
    }
}

#[cfg(not(feature = "viewer"))]
mod without_viewer {
    use std::path::Path;

    use anyhow::{Result, bail};

    use super::{ShotArgs, WatchArgs};
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
    pub fn replay(_: &Path, _: &LevelArgs, _: &ShotArgs) -> Result<()> {
        bail!(NO_WINDOW)
    }

    /// `sprout play` needs the viewer.
    pub fn play(_: Option<&Path>, _: &LevelArgs, _: &ShotArgs) -> Result<()> {
        bail!(NO_WINDOW)
    }
}

/// Whether this build can open a window.
pub const HAS_WINDOW: bool = cfg!(feature = "viewer");
