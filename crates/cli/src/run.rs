//! `sprout evolve`: a headless run with progress, saves, checkpoints and a
//! graceful stop.

use anyhow::Result;
use sprout_evolve::{Ending, Evaluator, Local};
use sprout_lab::{SproutRequest, SproutRun};

use crate::farm::MasterArgs;
use crate::progress::{LogArgs, Progress};
use crate::stop::Stop;

/// `sprout evolve`.
pub fn evolve(request: SproutRequest, log: &LogArgs, farm: &MasterArgs) -> Result<()> {
    let mut prepared = SproutRun::prepare(request)?;
    let stop = Stop::on_signals(crate::stop::RUN)?;
    announce(&prepared, "evolving");
    let mut progress = Progress::new(
        log,
        prepared.generations,
        prepared.evolution.generation(),
        prepared.evolution.evaluations,
    );
    let remote = farm.evaluator(&prepared, progress.farm_reporter())?;
    let evaluator: &dyn Evaluator = remote.as_deref().map_or(&Local, |e| e as &dyn Evaluator);
    let ending = prepared.evolve_with(evaluator, stop.flag(), |stats, _| progress.update(stats));
    progress.finish();
    let ending = ending?;
    print_ending(&prepared, ending, "evolve");
    if let Some(code) = stop.exit_code() {
        std::process::exit(code);
    }
    Ok(())
}

/// Prints what a run is about to do, and its warnings.
pub fn announce(prepared: &SproutRun, verb: &str) {
    for warning in &prepared.warnings {
        eprintln!("{warning}");
    }
    println!(
        "{verb} `{}` (task {}, seed {}, population {}) into {}",
        prepared.experiment.name,
        prepared.task.name(),
        prepared.evolution.seed,
        prepared.experiment.neat.population_size,
        prepared.dir.path.display()
    );
}

/// Prints how a run ended and where its files are. `command` is the one that
/// resumes it (`evolve` or `watch`).
pub fn print_ending(prepared: &SproutRun, ending: Ending, command: &str) {
    let evolution = &prepared.evolution;
    let dir = prepared.dir.path.display();
    match ending {
        Ending::Solved => {
            let s = evolution.solution.as_ref().expect("solved");
            println!(
                "solved in generation {} after {} evaluations (fitness {}, {} hidden nodes, {} enabled connections)",
                s.generation,
                evolution.evaluations,
                s.evaluation.fitness,
                s.genome.hidden_count(),
                s.genome.enabled_count()
            );
        }
        Ending::Finished => {
            let best = evolution
                .best
                .as_ref()
                .map_or(f64::NAN, |b| b.evaluation.fitness);
            println!(
                "finished {} generations, {} evaluations; best fitness {best}",
                evolution.generation(),
                evolution.evaluations
            );
        }
        Ending::Interrupted => {
            println!(
                "stopped after generation {}; checkpoint saved in {}. Continue with:\n  sprout {command} --resume {dir}",
                evolution.generation(),
                prepared.dir.checkpoint(evolution.generation()).display()
            );
        }
    }
    println!("saved {dir}/champion.ron, stats.csv, fitness.png and checkpoints/");
}
