//! Many machines: `--redis` on `evolve` and `watch` (the master), and
//! `sprout worker` (a worker for the built-in tasks).

use anyhow::Result;
use sprout_evolve::{Evaluator, EvolveError};
use sprout_lab::SproutRun;
use sprout_lab::bench::solve::EvaluatorFactory;
use sprout_lab::tasks::{SproutExperiment, TaskSpec};
use sprout_redis::{FarmError, FarmOptions, RedisEvaluator, WorkerOptions};

use crate::progress::seconds;
use crate::stop::Stop;

/// Redis settings shared by masters and workers.
#[derive(clap::Args, Debug, Clone)]
pub struct RedisArgs {
    /// Seconds a worker may hold a chunk without a heartbeat before another
    /// worker takes it over.
    #[arg(long, default_value_t = 30.0, value_parser = |t: &str| seconds(t, true))]
    pub lease: f64,
    /// Deliveries of one chunk after which it is reported as poisoned (by
    /// genome id) instead of being handed out again.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_deliveries: u64,
    /// Seconds to keep reconnecting when Redis goes away before giving up.
    #[arg(long, default_value_t = 120.0, value_parser = |t: &str| seconds(t, true))]
    pub redis_timeout: f64,
}

impl RedisArgs {
    fn options(&self, url: &str) -> FarmOptions {
        FarmOptions {
            lease: std::time::Duration::from_secs_f64(self.lease),
            max_deliveries: self.max_deliveries,
            reconnect_timeout: std::time::Duration::from_secs_f64(self.redis_timeout),
            ..FarmOptions::new(url)
        }
    }
}

/// The master's options on `evolve` and `watch`.
#[derive(clap::Args, Debug, Clone)]
pub struct MasterArgs {
    /// Evaluate on the workers of this Redis server
    /// (redis://[user:password@]host[:port][/db], or rediss:// for TLS).
    #[arg(long, value_name = "URL")]
    pub redis: Option<String>,
    /// With --redis: also evaluate on this many threads of this machine.
    #[arg(long, default_value_t = 0, requires = "redis")]
    pub local_threads: usize,
    /// With --redis: genomes per task (default: one task per worker thread, or
    /// shrinking tasks when a generation is long).
    #[arg(long, requires = "redis", value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk: Option<u64>,
    #[command(flatten)]
    pub settings: RedisArgs,
}

impl MasterArgs {
    /// The Redis evaluator of `run`, when `--redis` was given. `report` sees the
    /// workers and tasks in flight about once a second.
    pub fn evaluator(
        &self,
        run: &SproutRun,
        report: impl Fn(&sprout_redis::FarmStatus) + Send + Sync + 'static,
    ) -> Result<Option<Box<dyn Evaluator + Send + Sync>>> {
        let Some(url) = &self.redis else {
            return Ok(None);
        };
        let evaluator = self.master(url, &run.experiment)?.on_status(report);
        let (run_id, url) = (evaluator.run_id(), sprout_redis::redact(url));
        let threads = self.local_threads;
        println!("master of run {run_id} on {url} (local threads: {threads})");
        Ok(Some(Box::new(evaluator)))
    }

    /// With `--redis`, a master for each run of a benchmark.
    pub fn evaluators(&self) -> Option<Box<EvaluatorFactory>> {
        let (url, args) = (self.redis.clone()?, self.clone());
        Some(Box::new(move |experiment| {
            let master = args.master(&url, experiment);
            let master = master.map_err(|e| EvolveError::Evaluator(e.to_string()))?;
            Ok(Box::new(master) as Box<dyn Evaluator + Send + Sync>)
        }))
    }

    fn master(&self, url: &str, task: &SproutExperiment) -> Result<RedisEvaluator, FarmError> {
        let (options, chunk) = (self.settings.options(url), self.chunk.map(|c| c as usize));
        RedisEvaluator::new::<TaskSpec>(&options, task, chunk, self.local_threads)
    }
}

/// `sprout worker`.
#[derive(clap::Args, Debug, Clone)]
pub struct WorkerArgs {
    /// The Redis server (redis://[user:password@]host[:port][/db], or rediss://).
    #[arg(long, value_name = "URL")]
    pub redis: String,
    /// Evaluation threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// This worker's name, unique among the workers (default: host-pid).
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub settings: RedisArgs,
}

/// Serves evaluations until Ctrl-C, SIGTERM or SIGHUP; a chunk in progress is
/// handed back at once.
pub fn worker(args: &WorkerArgs) -> Result<()> {
    let stop = Stop::on_signals("handing back the task in progress and stopping")?;
    let options = WorkerOptions {
        farm: args.settings.options(&args.redis),
        threads: args.threads.unwrap_or(0),
        name: args.name.clone(),
    };
    let summary = sprout_redis::serve::<TaskSpec>(&options, stop.flag())?;
    println!("worker stopped: {summary}");
    if let Some(code) = stop.exit_code() {
        std::process::exit(code);
    }
    Ok(())
}
