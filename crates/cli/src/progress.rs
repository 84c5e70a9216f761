//! How a run reports its progress: a bar on a terminal, one plain or JSON line
//! per generation in a log (at most one every `--log-interval` seconds, and
//! always the last), or nothing with `--quiet`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sprout_evolve::GenerationStats;
use sprout_redis::FarmStatus;

/// `--log-format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// A progress bar when standard error is a terminal, plain lines otherwise.
    #[default]
    Auto,
    /// One plain line per generation.
    Plain,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The logging options of a run.
#[derive(clap::Args, Debug, Clone)]
pub struct LogArgs {
    /// No progress output at all (the final summary is still printed).
    #[arg(long)]
    pub quiet: bool,
    /// Progress as a bar, plain lines or JSON lines (on standard error).
    #[arg(long, value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,
    /// Fewest seconds between two progress lines (0: every generation). The
    /// last generation is always logged.
    #[arg(long, default_value_t = 2.0, value_parser = |t: &str| seconds(t, false))]
    pub log_interval: f64,
}

/// Parses a number of seconds ≥ 0, or > 0 when `positive`.
pub fn seconds(text: &str, positive: bool) -> Result<f64, String> {
    let bound = if positive { "> 0" } else { "≥ 0" };
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 && (s > 0.0 || !positive) => Ok(s),
        _ => Err(format!("`{text}` is not a number of seconds {bound}")),
    }
}

enum Output {
    Bar(ProgressBar),
    Lines { json: bool },
    Quiet,
}

/// A run's progress reporter.
pub struct Progress {
    output: Output,
    total: u64,
    interval: Duration,
    started: Instant,
    last_line: Option<(Instant, u64)>,
    first_evaluations: u64,
}

impl Progress {
    /// A reporter for a run from generation `start` (with `evaluations` done) to
    /// `total`.
    pub fn new(args: &LogArgs, total: u64, start: u64, evaluations: u64) -> Self {
        let output = match (args.quiet, args.log_format) {
            (true, _) => Output::Quiet,
            (false, LogFormat::Json) => Output::Lines { json: true },
            (false, LogFormat::Plain) => Output::Lines { json: false },
            (false, LogFormat::Auto) if std::io::stderr().is_terminal() => {
                Output::Bar(bar(total, start))
            }
            (false, LogFormat::Auto) => Output::Lines { json: false },
        };
        Self {
            output,
            total,
            interval: Duration::from_secs_f64(args.log_interval),
            started: Instant::now(),
            last_line: None,
            first_evaluations: evaluations,
        }
    }

    /// Shows a finished generation.
    pub fn update(&mut self, s: &GenerationStats) {
        let done = s.generation + 1;
        match &self.output {
            Output::Quiet => {}
            Output::Bar(bar) => {
                bar.set_position(done);
                bar.set_message(format!(
                    "best {:.4} mean {:.4} species {} nodes {:.1} conns {:.1}",
                    s.best_fitness, s.mean_fitness, s.species, s.mean_nodes, s.mean_connections
                ));
            }
            Output::Lines { json } => {
                let now = Instant::now();
                let last = done >= self.total || s.solved;
                if !last
                    && self
                        .last_line
                        .is_some_and(|(at, _)| now - at < self.interval)
                {
                    return;
                }
                let (since, evaluations_before) = self
                    .last_line
                    .unwrap_or((self.started, self.first_evaluations));
                let seconds = (now - since).as_secs_f64();
                let rate = (s.evaluations - evaluations_before) as f64 / seconds.max(1e-9);
                let elapsed = (now - self.started).as_secs_f64();
                eprintln!("{}", line(s, self.total, rate, elapsed, *json));
                self.last_line = Some((now, s.evaluations));
            }
        }
    }

    /// What shows the state of distributed evaluation while a generation is
    /// out: the bar's suffix, or a line at most every `--log-interval` seconds.
    pub fn farm_reporter(&self) -> impl Fn(&FarmStatus) + Send + Sync + 'static {
        let bar = match &self.output {
            Output::Bar(bar) => Some(bar.clone()),
            _ => None,
        };
        let lines = match self.output {
            Output::Lines { json } => Some(json),
            _ => None,
        };
        let interval = self.interval;
        let last = std::sync::Mutex::new(None::<Instant>);
        move |s: &FarmStatus| {
            if let Some(bar) = &bar {
                bar.set_prefix(format!(" · {s}"));
            } else if let Some(json) = lines {
                let mut last = last.lock().expect("not poisoned");
                if last.is_some_and(|t| t.elapsed() < interval) {
                    return;
                }
                *last = Some(Instant::now());
                let line = json.then(|| serde_json::to_string(s).expect("plain numbers"));
                eprintln!("{}", line.unwrap_or_else(|| s.to_string()));
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Output::Bar(bar) = &self.output {
            bar.finish_and_clear();
        }
    }
}

fn bar(total: u64, start: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_position(start);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30.green/dim} gen {pos}/{len} {msg}{prefix} [{elapsed_precise}]",
        )
        .expect("static template")
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    bar
}

/// One log line: generation (1-based count of those done), best and mean
/// fitness, species, evaluations per second since the previous line, elapsed
/// seconds.
fn line(s: &GenerationStats, total: u64, rate: f64, elapsed: f64, json: bool) -> String {
    if json {
        serde_json::json!({
            "generation": s.generation + 1,
            "generations": total,
            "best_fitness": s.best_fitness,
            "mean_fitness": s.mean_fitness,
            "species": s.species,
            "evaluations": s.evaluations,
            "evaluations_per_second": rate.round(),
            "elapsed_seconds": (elapsed * 1000.0).round() / 1000.0,
            "solved": s.solved,
        })
        .to_string()
    } else {
        format!(
            "gen {}/{total}  best {:.4}  mean {:.4}  species {}  evals/s {:.0}  elapsed {:.1} s{}",
            s.generation + 1,
            s.best_fitness,
            s.mean_fitness,
            s.species,
            rate,
            elapsed,
            if s.solved { "  solved" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(generation: u64) -> GenerationStats {
        GenerationStats {
            generation,
            best_fitness: 3.5,
            mean_fitness: 1.25,
            species: 4,
            mean_nodes: 5.0,
            mean_connections: 6.0,
            evaluations: 150 * (generation + 1),
            solved: false,
            verdict_score: None,
            seconds: 0.01,
            phases: Default::default(),
        }
    }

    #[test]
    fn plain_and_json_lines_carry_the_same_fields() {
        let plain = line(&stats(9), 100, 1500.0, 2.5, false);
        assert_eq!(
            plain,
            "gen 10/100  best 3.5000  mean 1.2500  species 4  evals/s 1500  elapsed 2.5 s"
        );
        let json: serde_json::Value =
            serde_json::from_str(&line(&stats(9), 100, 1500.0, 2.5, true)).unwrap();
        assert_eq!(json["generation"], 10);
        assert_eq!(json["best_fitness"], 3.5);
        assert_eq!(json["mean_fitness"], 1.25);
        assert_eq!(json["species"], 4);
        assert_eq!(json["evaluations_per_second"], 1500.0);
        assert_eq!(json["elapsed_seconds"], 2.5);
    }

    #[test]
    fn negative_odd_or_zero_positive_seconds_are_refused() {
        assert!(seconds("-1", false).is_err() && seconds("inf", true).is_err());
        assert_eq!(seconds("0.5", true).and(seconds("0", false)), Ok(0.0));
        assert!(seconds("0", true).unwrap_err().contains("> 0"));
    }
}
