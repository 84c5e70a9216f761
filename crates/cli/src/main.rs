//! `sprout`: evolve, replay, inspect and benchmark NEAT networks.

mod bench;
mod progress;
mod run;
mod saved;
mod spec;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

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
    Evolve {
        /// Experiment file (RON). Default: the embedded XOR experiment.
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
    },
    /// Rerun a saved champion (or a checkpoint's best) and check its fitness.
    Replay {
        /// champion.ron or a checkpoint.
        genome: PathBuf,
        /// Without a window (the only mode in this build).
        #[arg(long)]
        headless: bool,
    },
    /// Print a saved genome's structure.
    Inspect {
        /// champion.ron or a checkpoint.
        genome: PathBuf,
        /// Print Graphviz DOT instead.
        #[arg(long)]
        dot: bool,
    },
    /// Benchmarks: many seeded runs, summarised.
    Bench {
        /// Which benchmark.
        which: BenchKind,
        /// Independent runs, with seeds S..S+N-1.
        #[arg(long, default_value_t = 100)]
        runs: u64,
        /// First seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Experiment file instead of the benchmark's default.
        #[arg(long)]
        config: Option<PathBuf>,
        /// End with one line holding a JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum BenchKind {
    /// XOR with the paper's parameters.
    Xor,
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
        Command::Evolve {
            config,
            seed,
            generations,
            threads,
            out,
            resume,
        } => {
            if generations == Some(0) {
                anyhow::bail!("--generations must be at least 1");
            }
            let experiment = spec::load_experiment(config.as_deref())?;
            let request = run::RunRequest {
                experiment,
                seed,
                generations,
                out,
                resume,
            };
            thread_pool(threads)?.install(|| run::evolve(request))
        }
        Command::Replay {
            genome,
            headless: _,
        } => saved::replay(&genome),
        Command::Inspect { genome, dot } => saved::inspect(&genome, dot),
        Command::Bench {
            which,
            runs,
            seed,
            threads,
            config,
            json,
        } => {
            let experiment = spec::load_experiment(config.as_deref())?;
            let name = match which {
                BenchKind::Xor => "xor",
            };
            thread_pool(threads)?
                .install(|| bench::solve_bench(name, &experiment, runs, seed, json, false))
        }
    }
}
