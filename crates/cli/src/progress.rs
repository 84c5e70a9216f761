//! The progress bar of long runs (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use sprout_evolve::GenerationStats;

/// A generation progress bar.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar from `start` to `total` generations.
    pub fn new(total: u64, start: u64) -> Self {
        let bar = ProgressBar::new(total);
        bar.set_position(start);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30.green/dim} gen {pos}/{len} {msg} [{elapsed_precise}]",
            )
            .expect("static template")
            .progress_chars("█▉▊▋▌▍▎▏ "),
        );
        Self { bar }
    }

    /// Shows a finished generation.
    pub fn update(&self, s: &GenerationStats) {
        self.bar.set_position(s.generation + 1);
        self.bar.set_message(format!(
            "best {:.4} mean {:.4} species {} nodes {:.1} conns {:.1}",
            s.best_fitness, s.mean_fitness, s.species, s.mean_nodes, s.mean_connections
        ));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
