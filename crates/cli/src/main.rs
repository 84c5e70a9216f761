//! `sprout`: evolve, replay, inspect and benchmark NEAT networks.

mod farm;
mod levels;
mod progress;
mod run;
mod saved;
mod stop;
mod window;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use sprout_evolve::{RunRequest, Start};
use sprout_lab::tasks::{builtin_experiment, load_experiment};
use sprout_lab::{bench, prune};

// Evolution allocates many small genomes and networks per generation; mimalloc
// is markedly faster at that than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Sprout: NEAT neuroevolution, reproducible bit for bit.
#[derive(Parser)]
#[command(name = "sprout", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evolve headless: progress bar, checkpoints, champion, stats and plot.
    Evolve(RunArgs),
    /// Evaluate genomes for the masters (`evolve --redis URL`) on a Redis
    /// server, until Ctrl-C or SIGTERM.
    Worker(farm::WorkerArgs),
    /// Evolve as `evolve` does, on worker threads, and watch the champion play in
    /// a window with the MarI/O overlay and the HUD (platformer experiments).
    Watch {
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        window: window::WatchArgs,
    },
    /// Play a saved champion (or a checkpoint's best) in a window, or with
    /// `--headless` rerun it and check its fitness bit for bit.
    Replay {
        /// champion.ron or a checkpoint.
        genome: PathBuf,
        /// No window: rerun the evaluation and compare it with the recorded one
        /// (or, with a level option, report the episode on that level).
        #[arg(long)]
        headless: bool,
        #[command(flatten)]
        level: levels::LevelArgs,
        #[command(flatten)]
        shot: window::ShotArgs,
        #[command(flatten)]
        ghosts: window::GhostArgs,
    },
    /// Play a level with the keyboard (the embedded platformer experiment's rules
    /// and first level unless told otherwise).
    Play {
        /// A platformer experiment whose levels and sensor grid to use.
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(flatten)]
        level: levels::LevelArgs,
        #[command(flatten)]
        shot: window::ShotArgs,
    },
    /// Print a saved genome's structure.
    Inspect {
        /// champion.ron or a checkpoint.
        genome: PathBuf,
        /// Print Graphviz DOT instead.
        #[arg(long)]
        dot: bool,
    },
    /// Prune a saved genome's connections by saliency, without retraining, and
    /// chart fitness against the fraction removed beside the magnitude and random
    /// baselines (prune.csv, prune.png).
    Prune {
        /// champion.ron or a checkpoint.
        genome: PathBuf,
        /// How connections are ranked for removal (lowest first): magnitude
        /// (|w|), obd (Optimal Brain Damage, ½·h_kk·w²), activity (mean |pre·w|
        /// while the genome plays its task) or random (the seeded baseline).
        #[arg(long, value_parser = method_parser())]
        method: prune::Method,
        /// Fractions of the enabled connections to remove, each in [0, 1).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9"
        )]
        fractions: Vec<f64>,
        /// Output directory (default: the genome file's directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed of the random baseline.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// End with one line holding a JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Benchmarks: seeded runs summarised, generalization, throughput.
    Bench {
        #[command(subcommand)]
        which: BenchCommand,
    },
}

/// `--method`: one of the pruning methods' names.
fn method_parser() -> impl clap::builder::TypedValueParser<Value = prune::Method> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(prune::Method::ALL.map(prune::Method::name))
        .map(|name| name.parse().expect("clap checked the name"))
}

/// Options of a run (`evolve`, `watch`).
#[derive(clap::Args)]
struct RunArgs {
    /// Experiment file (RON). Default: the embedded platformer experiment.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Run seed (overrides the experiment's).
    #[arg(long)]
    seed: Option<u64>,
    /// Total generations, also when resuming.
    #[arg(long)]
    generations: Option<u64>,
    /// Worker threads for evaluation (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Output directory (default: saves/<experiment>-<seed>/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue from a run directory or a checkpoint file.
    #[arg(long, value_name = "RUN_DIR_OR_CHECKPOINT")]
    resume: Option<PathBuf>,
    #[command(flatten)]
    log: progress::LogArgs,
    #[command(flatten)]
    farm: farm::MasterArgs,
}

impl RunArgs {
    /// The run these options ask for, the worker thread count and the logging
    /// options.
    fn request(self) -> Result<RunOptions> {
        let (threads, log, farm) = (self.threads, self.log, self.farm);
        if self.generations == Some(0) {
            anyhow::bail!("--generations must be at least 1");
        }
        // A resumed run takes its experiment from the checkpoint.
        let start = match self.resume {
            Some(resume) => Start::Resume(resume),
            None => Start::New(Box::new(sprout_lab::tasks::read_experiment(
                self.config.as_deref(),
            )?)),
        };
        let request = RunRequest {
            start,
            seed: self.seed,
            generations: self.generations,
            out: self.out,
        };
        Ok((request, threads, log, farm))
    }
}

/// A run's request, evaluation threads, logging and Redis options.
type RunOptions = (
    sprout_lab::SproutRequest,
    Option<usize>,
    progress::LogArgs,
    farm::MasterArgs,
);

/// Options of the benchmarks that evolve until solved.
#[derive(clap::Args)]
struct SolveArgs {
    /// Independent runs, with seeds S..S+N-1 (default: 100 for xor, pole and
    /// dpv; 10 for dpnv and platformer).
    #[arg(long)]
    runs: Option<u64>,
    /// First seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Experiment file instead of the benchmark's built-in one.
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    out: BenchOutput,
    #[command(flatten)]
    farm: farm::MasterArgs,
}

/// Options every benchmark has.
#[derive(clap::Args)]
struct BenchOutput {
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// End with one line holding a JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// XOR (configs/xor.ron).
    Xor(SolveArgs),
    /// Single pole balancing (configs/pole.ron).
    Pole(SolveArgs),
    /// Double pole with velocities (configs/dpv.ron).
    Dpv(SolveArgs),
    /// Double pole without velocities, with the generalization test
    /// (configs/dpnv-sprout.ron, Sprout's tuned preset; configs/dpnv.ron is the
    /// paper's).
    Dpnv(SolveArgs),
    /// Evolve on the first hand-made level until it is cleared
    /// (configs/platformer.ron).
    Platformer(SolveArgs),
    /// Score a platformer champion on generated levels it has never seen.
    Generalize {
        /// champion.ron (or a checkpoint) of a platformer run.
        #[arg(long)]
        genome: PathBuf,
        /// Difficulties, 0 to 10.
        #[arg(long, value_delimiter = ',', default_value = "0,3,5,10")]
        difficulties: Vec<u32>,
        /// Levels per difficulty.
        #[arg(long, default_value_t = 10)]
        levels: u32,
        /// First level seed (training never uses seeds this small).
        #[arg(long, default_value_t = 1_000)]
        seed: u64,
        /// Level length in tiles (default: the training levels' length, or 150).
        #[arg(long)]
        length: Option<u32>,
        #[command(flatten)]
        out: BenchOutput,
    },
    /// Lifetime learning where it should matter, with significance tests: the
    /// T-maze with a moving reward and the platformer with controls that swap
    /// between episodes (fixed feed-forward, fixed recurrent and plastic arms on
    /// the same budget), the occluded platformer with and without Hopfield or
    /// RBM modules, the platformer in the dark with a Hopfield memory and with
    /// shuffled sensors with RBM features, each against none and against fixed
    /// recurrent networks (configs/tmaze-*.ron,
    /// configs/platformer-*.ron). Runs take minutes to hours (`--section`
    /// picks sections, `--keep-runs` lets a bench stop and resume).
    Plasticity {
        /// Runs per arm, with seeds S..S+N-1.
        #[arg(long, default_value_t = 10)]
        runs: u64,
        /// First seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Generations per run (default: each section's shared budget).
        #[arg(long)]
        generations: Option<u64>,
        /// Run only these sections (tmaze, platformer, occluded, memory,
        /// features; repeatable or comma-separated). Default: all of them.
        #[arg(long, value_delimiter = ',')]
        section: Vec<String>,
        /// Keep each run's champion in DIR (replayable with `sprout replay`)
        /// and score the champions already there instead of evolving them
        /// again: an interrupted bench resumes, and a bench with more runs
        /// only evolves the new seeds.
        #[arg(long, value_name = "DIR")]
        keep_runs: Option<PathBuf>,
        #[command(flatten)]
        out: BenchOutput,
    },
    /// Where a generation's time goes: compile, evaluation, speciation,
    /// reproduction, in nanoseconds per genome.
    Generation {
        /// Embedded experiment whose task and NEAT settings are used.
        #[arg(long, default_value = "xor")]
        task: String,
        /// Genomes per generation.
        #[arg(long, default_value_t = 150)]
        population: usize,
        /// Generations measured, from generation 0.
        #[arg(long, default_value_t = 20)]
        generations: u64,
        /// The run seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[command(flatten)]
        out: BenchOutput,
    },
    /// Agent-steps per second (simulation plus network) for a whole population.
    Throughput {
        #[command(flatten)]
        out: BenchOutput,
        /// How long to measure, in seconds.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Generations the default experiment evolves before measuring, so the
        /// networks play as they do in a real run.
        #[arg(long, default_value_t = 30)]
        warmup_generations: u64,
    },
}

impl BenchCommand {
    /// The name, built-in experiment, default run count and options of a solve
    /// benchmark.
    fn solve(&self) -> Option<(&'static str, &'static str, u64, &SolveArgs)> {
        match self {
            BenchCommand::Xor(a) => Some(("xor", "xor", 100, a)),
            BenchCommand::Pole(a) => Some(("pole", "pole", 100, a)),
            BenchCommand::Dpv(a) => Some(("dpv", "dpv", 100, a)),
            // The tuned preset; configs/dpnv.ron is the paper's.
            BenchCommand::Dpnv(a) => Some(("dpnv", "dpnv-sprout", 10, a)),
            BenchCommand::Platformer(a) => Some(("platformer", "platformer", 10, a)),
            BenchCommand::Generalize { .. }
            | BenchCommand::Generation { .. }
            | BenchCommand::Throughput { .. }
            | BenchCommand::Plasticity { .. } => None,
        }
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = dispatch(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Evolve(args) => {
            let (request, threads, log, farm) = args.request()?;
            thread_pool(threads)?.install(|| run::evolve(request, &log, &farm))
        }
        Command::Watch { run, window } => {
            let (request, threads, _, farm) = run.request()?;
            window::watch(request, threads, &farm, &window)
        }
        Command::Worker(args) => farm::worker(&args),
        Command::Replay {
            genome,
            headless,
            level,
            shot,
            ghosts,
        } => {
            if headless || !window::HAS_WINDOW {
                if !headless {
                    eprintln!("(this build has no window: replaying headless)");
                }
                saved::replay(&genome, &level)
            } else {
                window::replay(&genome, &level, &shot, &ghosts)
            }
        }
        Command::Play {
            config,
            level,
            shot,
        } => window::play(config.as_deref(), &level, &shot),
        Command::Inspect { genome, dot } => saved::inspect(&genome, dot),
        Command::Prune {
            genome,
            method,
            fractions,
            out,
            seed,
            json,
        } => {
            let request = prune::PruneRequest {
                genome,
                method,
                fractions,
                out,
                seed,
            };
            print_report(&prune::prune(&request)?, json)
        }
        Command::Bench { which } => bench_command(which),
    }
}

/// Prints a benchmark report: its text, then, with `--json`, one line holding
/// it as a JSON object.
fn print_report(report: &(impl std::fmt::Display + serde::Serialize), json: bool) -> Result<()> {
    println!("{report}");
    if json {
        println!("{}", serde_json::to_string(report)?);
    }
    Ok(())
}

fn bench_command(which: BenchCommand) -> Result<()> {
    if let Some((name, builtin, default_runs, args)) = which.solve() {
        let experiment = match &args.config {
            Some(path) => load_experiment(Some(path))?,
            None => builtin_experiment(builtin)?,
        };
        let (runs, dpnv) = (args.runs.unwrap_or(default_runs), name == "dpnv");
        let farm = args.farm.evaluators();
        let report = thread_pool(args.out.threads)?.install(|| {
            bench::solve::solve(name, &experiment, runs, args.seed, dpnv, farm.as_deref())
        })?;
        return print_report(&report, args.out.json);
    }
    match which {
        BenchCommand::Generalize {
            genome,
            difficulties,
            levels,
            seed,
            length,
            out,
        } => {
            let request = bench::platformer::GeneralizeRequest {
                genome,
                difficulties,
                levels,
                seed,
                length,
            };
            let report =
                thread_pool(out.threads)?.install(|| bench::platformer::generalize(&request))?;
            print_report(&report, out.json)
        }
        BenchCommand::Plasticity {
            runs,
            seed,
            generations,
            section,
            keep_runs,
            out,
        } => {
            let request = bench::plasticity::PlasticityRequest {
                runs,
                seed,
                generations,
                sections: section,
                keep_runs,
            };
            let report = thread_pool(out.threads)?.install(|| {
                bench::plasticity::plasticity(&request, |section| println!("{section}"))
            })?;
            print_report(&report, out.json)
        }
        BenchCommand::Generation {
            task,
            population,
            generations,
            seed,
            out,
        } => {
            let request = bench::generation::GenerationRequest {
                experiment: task,
                population,
                generations,
                seed,
            };
            let report =
                thread_pool(out.threads)?.install(|| bench::generation::generation(&request))?;
            print_report(&report, out.json)
        }
        BenchCommand::Throughput {
            out,
            seconds,
            warmup_generations,
        } => {
            let pool = thread_pool(out.threads)?;
            let threads = pool.current_num_threads();
            let report = pool
                .install(|| bench::platformer::throughput(threads, seconds, warmup_generations))?;
            print_report(&report, out.json)
        }
        _ => unreachable!("solve benchmarks are handled above"),
    }
}
