//! `sprout replay` and `sprout inspect`: what a saved genome is and does.

use std::path::Path;

use anyhow::{Result, bail};
use sprout_evolve::NetworkAgent;
use sprout_network::to_dot;

use sprout_platformer::PlatformerTask;

use crate::levels::LevelArgs;
use sprout_evolve::TaskDescription;
use sprout_lab::inspect::Inspection;
use sprout_lab::{SavedGenome, TaskSpec, load_saved_genome};

/// `sprout replay FILE --headless`: reruns the genome's evaluation and compares
/// it with the recorded one; with a level option, plays that level instead and
/// reports the episode.
pub fn replay(path: &Path, levels: &LevelArgs) -> Result<()> {
    let saved = load_saved_genome(path)?;
    let task = saved
        .experiment
        .task
        .build()
        .map_err(|e| anyhow::anyhow!(e))?;
    saved.check_shape(task.as_ref())?;
    if levels.chosen() {
        return replay_on_level(&saved, levels);
    }
    let champion = &saved.champion;
    let replayed = saved.replay(task.as_ref());
    let recorded = champion.evaluation;
    println!(
        "task {}: genome {} from generation {} (seed {})",
        task.name(),
        champion.genome.id,
        champion.generation,
        saved.seed
    );
    println!("recorded fitness {}", recorded.fitness);
    println!(
        "replayed fitness {}  solved {}  steps {}",
        replayed.fitness, replayed.solved, replayed.steps
    );
    if replayed.fitness.to_bits() != recorded.fitness.to_bits() {
        bail!(
            "{}: replayed fitness {} differs from the recorded {}",
            path.display(),
            replayed.fitness,
            recorded.fitness
        );
    }
    println!("replay matches the recording exactly");
    Ok(())
}

/// The genome on the level the options name: one episode, reported.
fn replay_on_level(saved: &SavedGenome, levels: &LevelArgs) -> Result<()> {
    let TaskSpec::Platformer(config) = &saved.experiment.task else {
        bail!(
            "{}: --level, --seed and --difficulty choose platformer levels, and this genome is not a platformer one",
            saved.path.display()
        );
    };
    let level = levels.resolve(config)?.expect("a level option was given");
    let task = PlatformerTask::new(config.clone())?;
    let mut agent = NetworkAgent::new(&saved.champion.genome, &saved.experiment.neat);
    let report = task.play(&level, &mut agent, false);
    println!(
        "genome {} on level {}: fitness {:.1}, progress {:.1}%, {}, {} ticks",
        saved.champion.genome.id,
        report.level,
        report.fitness,
        100.0 * report.progress,
        if report.finished {
            "finished".to_string()
        } else {
            format!("{:?}", report.cause)
        },
        report.ticks
    );
    Ok(())
}

/// `sprout inspect FILE [--dot]`.
pub fn inspect(path: &Path, dot: bool) -> Result<()> {
    let saved = load_saved_genome(path)?;
    if dot {
        print!("{}", to_dot(&saved.champion.genome));
    } else {
        print!(
            "{}",
            Inspection {
                saved: &saved,
                path
            }
        );
    }
    Ok(())
}
