//! `sprout bench generalize` and `sprout bench throughput`: the platformer's
//! benchmarks beyond "evolve until solved".

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde_json::json;
use sprout_evolve::{Evolution, NetworkAgent, Task, evaluate};
use sprout_platformer::{PlatformerTask, generate};

use sprout_evolve::TaskDescription;
use sprout_lab::load_saved_genome;
use sprout_lab::tasks::{TaskSpec, builtin_experiment};

/// What `bench generalize` scores.
pub struct GeneralizeRequest {
    /// The champion file.
    pub genome: PathBuf,
    /// Difficulties of the generated levels.
    pub difficulties: Vec<u32>,
    /// Levels per difficulty.
    pub levels: u32,
    /// First level seed.
    pub seed: u64,
    /// Level length in tiles.
    pub length: Option<u32>,
}

/// Plays a champion on `levels` generated levels per difficulty, with seeds
/// `seed..seed+levels`, none of which training used.
pub fn generalize(request: &GeneralizeRequest, json: bool) -> Result<()> {
    let started = Instant::now();
    let saved = load_saved_genome(&request.genome)?;
    let TaskSpec::Platformer(config) = &saved.experiment.task else {
        bail!("{}: not a platformer champion", request.genome.display());
    };
    let length = request.length.unwrap_or(config.generated_length());
    let task = PlatformerTask::new(config.clone())?;
    let cases: Vec<(u32, u64)> = request
        .difficulties
        .iter()
        .flat_map(|&d| (0..request.levels).map(move |i| (d, request.seed + u64::from(i))))
        .collect();
    let reports = cases
        .par_iter()
        .map(|&(difficulty, seed)| {
            let level = generate(seed, difficulty, length)
                .with_context(|| format!("generating level {seed} at difficulty {difficulty}"))?;
            let mut agent = NetworkAgent::new(&saved.champion.genome, &saved.experiment.neat);
            Ok((difficulty, task.play(&Arc::new(level), &mut agent, false)))
        })
        .collect::<Result<Vec<_>>>()?;
    println!(
        "bench generalize: genome {} from {} on {} unseen levels of {length} tiles (seeds {}..{})",
        saved.champion.genome.id,
        request.genome.display(),
        reports.len(),
        request.seed,
        request.seed + u64::from(request.levels)
    );
    for &d in &request.difficulties {
        let at: Vec<_> = reports
            .iter()
            .filter(|(x, _)| *x == d)
            .map(|(_, r)| r)
            .collect();
        let cleared = at.iter().filter(|r| r.finished).count();
        let progress = at.iter().map(|r| r.progress).sum::<f64>() / at.len().max(1) as f64;
        // How the episodes ended, in order of first appearance.
        let mut ends: Vec<(String, usize)> = Vec::new();
        for r in &at {
            let cause = format!("{:?}", r.cause);
            match ends.iter_mut().find(|(c, _)| *c == cause) {
                Some((_, n)) => *n += 1,
                None => ends.push((cause, 1)),
            }
        }
        let ends: Vec<String> = ends.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        println!(
            "  difficulty {d:>2}: cleared {cleared} of {}, mean progress {progress:.3} (ends: {})",
            at.len(),
            ends.join(", ")
        );
    }
    let cleared = reports.iter().filter(|(_, r)| r.finished).count();
    let progress_mean =
        reports.iter().map(|(_, r)| r.progress).sum::<f64>() / reports.len().max(1) as f64;
    let wall_seconds = started.elapsed().as_secs_f64();
    println!(
        "  total: cleared {cleared} of {}, mean progress {progress_mean:.3} ({wall_seconds:.2} s)",
        reports.len()
    );
    if json {
        println!(
            "{}",
            json!({
                "levels": reports.len(),
                "cleared": cleared,
                "progress_mean": progress_mean,
                "wall_seconds": wall_seconds,
            })
        );
    }
    Ok(())
}

/// Evaluates a whole population of the default platformer experiment on its
/// level, over and over for `seconds`, and reports simulation ticks per second.
/// The population is the one the default experiment has evolved after `warmup`
/// generations (seed 1): networks that play, so episodes last as long as they do
/// in a real run. Each evaluation compiles its network, as in a real generation.
pub fn throughput(threads: usize, seconds: f64, warmup: u64, json: bool) -> Result<()> {
    let experiment = builtin_experiment("platformer")?;
    let task = experiment.task.build().map_err(|e| anyhow::anyhow!(e))?;
    let task: &dyn Task = task.as_ref();
    let mut evolution = Evolution::new(
        &experiment.neat,
        experiment.neat.genome_inputs(task.inputs()),
        task.outputs(),
        1,
    );
    for _ in 0..warmup {
        evolution.step(&experiment.neat, task)?;
    }
    let population = &evolution.population;
    let neat = &experiment.neat;
    let started = Instant::now();
    let (mut steps, mut evaluations, mut rounds) = (0u64, 0u64, 0u64);
    while rounds == 0 || started.elapsed().as_secs_f64() < seconds {
        let round: Vec<u64> = population
            .genomes
            .par_iter()
            .map(|g| evaluate(task, g, neat, 1, rounds).steps)
            .collect();
        steps += round.iter().sum::<u64>();
        evaluations += round.len() as u64;
        rounds += 1;
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    let per_second = steps as f64 / wall_seconds;
    println!(
        "bench throughput: {threads} threads, population {} after {warmup} generations, {rounds} rounds, {evaluations} episodes ({:.0} ticks each), {steps} agent-steps in {wall_seconds:.2} s",
        population.genomes.len(),
        steps as f64 / evaluations as f64
    );
    println!(
        "  {:.2} million agent-steps per second ({:.0} episodes per second)",
        per_second / 1e6,
        evaluations as f64 / wall_seconds
    );
    if json {
        println!(
            "{}",
            json!({
                "threads": threads,
                "agent_steps_per_second": per_second,
                "episodes": evaluations,
                "wall_seconds": wall_seconds,
            })
        );
    }
    Ok(())
}
