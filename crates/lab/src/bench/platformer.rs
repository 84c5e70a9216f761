//! `sprout bench generalize` (a platformer champion on generated levels no
//! training saw) and `sprout bench throughput` (agent-steps per second).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use sprout_evolve::{Budget, Evolution, NetworkAgent, Task, TaskDescription, evaluate};
use sprout_platformer::{PlatformerTask, generate};

use crate::error::LabError;
use crate::interval::{mean_ci95, rate_ci95};
use crate::tasks::{TaskSpec, builtin_experiment};

/// What `bench generalize` scores.
#[derive(Debug, Clone)]
pub struct GeneralizeRequest {
    /// The champion file.
    pub genome: PathBuf,
    /// Difficulties of the generated levels.
    pub difficulties: Vec<u32>,
    /// Levels per difficulty.
    pub levels: u32,
    /// First level seed.
    pub seed: u64,
    /// Level length in tiles (default: the training levels' length, or 150).
    pub length: Option<u32>,
}

/// How one difficulty went.
#[derive(Debug, Clone, PartialEq)]
pub struct DifficultyRow {
    /// The difficulty.
    pub difficulty: u32,
    /// Levels played at it.
    pub levels: usize,
    /// Levels cleared.
    pub cleared: usize,
    /// Mean fraction of the level covered.
    pub progress_mean: f64,
    /// How the episodes ended (`Fell ×3`), in order of first appearance.
    pub ends: Vec<(String, usize)>,
}

/// The result of `bench generalize`; its fields are the `--json` keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneralizeReport {
    /// Levels played.
    pub levels: usize,
    /// Levels cleared.
    pub cleared: usize,
    /// 95% interval of the rate at which this champion clears such levels
    /// (Clopper–Pearson, over the levels played).
    pub cleared_rate_ci95: Option<[f64; 2]>,
    /// Mean fraction of a level covered.
    pub progress_mean: f64,
    /// Its 95% interval (Student's t, over the levels played).
    pub progress_ci95: Option<[f64; 2]>,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
    /// The header line's facts: genome id, file, level length, seeds.
    #[serde(skip)]
    pub header: String,
    /// One row per difficulty.
    #[serde(skip)]
    pub rows: Vec<DifficultyRow>,
}

/// Plays a champion on `levels` generated levels per difficulty, with seeds
/// `seed..seed+levels`, none of which training used.
pub fn generalize(request: &GeneralizeRequest) -> Result<GeneralizeReport, LabError> {
    let started = Instant::now();
    let saved = crate::load_saved_genome(&request.genome)?;
    let TaskSpec::Platformer(config) = &saved.experiment.task else {
        return Err(LabError::NotPlatformer(request.genome.clone()));
    };
    let length = request.length.unwrap_or(config.generated_length());
    let task = PlatformerTask::new(config.clone()).map_err(|e| LabError::Task(e.to_string()))?;
    let cases: Vec<(u32, u64)> = request
        .difficulties
        .iter()
        .flat_map(|&d| (0..request.levels).map(move |i| (d, request.seed + u64::from(i))))
        .collect();
    let reports = cases
        .par_iter()
        .map(|&(difficulty, seed)| {
            let level = generate(seed, difficulty, length).map_err(|e| LabError::Generate {
                seed,
                difficulty,
                message: e.to_string(),
            })?;
            let mut agent = NetworkAgent::new(&saved.champion.genome, &saved.experiment.neat);
            Ok((difficulty, task.play(&Arc::new(level), &mut agent, false)))
        })
        .collect::<Result<Vec<_>, LabError>>()?;
    let rows = request
        .difficulties
        .iter()
        .map(|&d| {
            let at: Vec<_> = reports
                .iter()
                .filter(|(x, _)| *x == d)
                .map(|(_, r)| r)
                .collect();
            let mut ends: Vec<(String, usize)> = Vec::new();
            for r in &at {
                let cause = format!("{:?}", r.cause);
                match ends.iter_mut().find(|(c, _)| *c == cause) {
                    Some((_, n)) => *n += 1,
                    None => ends.push((cause, 1)),
                }
            }
            DifficultyRow {
                difficulty: d,
                levels: at.len(),
                cleared: at.iter().filter(|r| r.finished).count(),
                progress_mean: at.iter().map(|r| r.progress).sum::<f64>() / at.len().max(1) as f64,
                ends,
            }
        })
        .collect();
    let cleared = reports.iter().filter(|(_, r)| r.finished).count();
    let progress: Vec<f64> = reports.iter().map(|(_, r)| r.progress).collect();
    Ok(GeneralizeReport {
        levels: reports.len(),
        cleared,
        cleared_rate_ci95: rate_ci95(cleared, reports.len()),
        progress_ci95: mean_ci95(&progress),
        progress_mean: reports.iter().map(|(_, r)| r.progress).sum::<f64>()
            / reports.len().max(1) as f64,
        wall_seconds: started.elapsed().as_secs_f64(),
        header: format!(
            "genome {} from {} on {} unseen levels of {length} tiles (seeds {}..{})",
            saved.champion.genome.id,
            request.genome.display(),
            reports.len(),
            request.seed,
            request.seed + u64::from(request.levels)
        ),
        rows,
    })
}

impl fmt::Display for GeneralizeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "bench generalize: {}", self.header)?;
        for row in &self.rows {
            let ends: Vec<String> = row.ends.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
            writeln!(
                f,
                "  difficulty {:>2}: cleared {} of {}, mean progress {:.3} (ends: {})",
                row.difficulty,
                row.cleared,
                row.levels,
                row.progress_mean,
                ends.join(", ")
            )?;
        }
        let rate = self.cleared_rate_ci95.map_or(String::new(), |[lo, hi]| {
            format!(
                " (95% CI of the rate {:.1}%–{:.1}%)",
                100.0 * lo,
                100.0 * hi
            )
        });
        let progress = self.progress_ci95.map_or(String::new(), |[lo, hi]| {
            format!(" (95% CI {lo:.3}–{hi:.3})")
        });
        write!(
            f,
            "  total: cleared {} of {}{rate}, mean progress {:.3}{progress} ({:.2} s)",
            self.cleared, self.levels, self.progress_mean, self.wall_seconds
        )
    }
}

/// The result of `bench throughput`; its fields are the `--json` keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThroughputReport {
    /// Worker threads.
    pub threads: usize,
    /// Agent decisions (simulation plus network) per second.
    pub agent_steps_per_second: f64,
    /// Episodes played.
    pub episodes: u64,
    /// Wall-clock seconds measured.
    pub wall_seconds: f64,
    /// Genomes in the population.
    #[serde(skip)]
    pub population: usize,
    /// Generations evolved before measuring.
    #[serde(skip)]
    pub warmup: u64,
    /// Passes over the population.
    #[serde(skip)]
    pub rounds: u64,
    /// Agent-steps in all.
    #[serde(skip)]
    pub steps: u64,
}

/// Evaluates a whole population of the default platformer experiment on its
/// level, over and over for `seconds`, on the current rayon pool of `threads`
/// threads. The population is the one the default experiment has evolved after
/// `warmup` generations (seed 1): networks that play, so episodes last as long
/// as they do in a real run. Each evaluation compiles its network, as in a real
/// generation.
pub fn throughput(threads: usize, seconds: f64, warmup: u64) -> Result<ThroughputReport, LabError> {
    let experiment = builtin_experiment("platformer")?;
    let task = experiment
        .task
        .build()
        .map_err(|e| LabError::Task(e.to_string()))?;
    let task: &dyn Task = task.as_ref();
    let neat = &experiment.neat;
    let mut evolution = Evolution::new(neat, task, 1);
    let budget = Budget {
        generations: warmup,
        stop_when_solved: false,
    };
    evolution.run(neat, task, budget)?;
    let population = &evolution.population;
    let started = Instant::now();
    let (mut steps, mut episodes, mut rounds) = (0u64, 0u64, 0u64);
    while rounds == 0 || started.elapsed().as_secs_f64() < seconds {
        let round: Vec<u64> = population
            .genomes
            .par_iter()
            .map(|g| evaluate(task, g, neat, 1, rounds).steps)
            .collect();
        steps += round.iter().sum::<u64>();
        episodes += round.len() as u64;
        rounds += 1;
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    Ok(ThroughputReport {
        threads,
        agent_steps_per_second: steps as f64 / wall_seconds,
        episodes,
        wall_seconds,
        population: population.genomes.len(),
        warmup,
        rounds,
        steps,
    })
}

impl fmt::Display for ThroughputReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "bench throughput: {} threads, population {} after {} generations, {} rounds, {} episodes ({:.0} ticks each), {} agent-steps in {:.2} s",
            self.threads,
            self.population,
            self.warmup,
            self.rounds,
            self.episodes,
            self.steps as f64 / self.episodes as f64,
            self.steps,
            self.wall_seconds
        )?;
        write!(
            f,
            "  {:.2} million agent-steps per second ({:.0} episodes per second)",
            self.agent_steps_per_second / 1e6,
            self.episodes as f64 / self.wall_seconds
        )
    }
}
