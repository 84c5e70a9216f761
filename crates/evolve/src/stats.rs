//! Per-generation statistics and `stats.csv`.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// One generation's figures. All but `seconds` are deterministic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerationStats {
    /// The generation (0-based).
    pub generation: u64,
    /// Best fitness in the generation.
    pub best_fitness: f64,
    /// Mean fitness, summed sequentially in genome order.
    pub mean_fitness: f64,
    /// Number of species after speciating the generation.
    pub species: usize,
    /// Mean node count (inputs, bias, outputs and hidden).
    pub mean_nodes: f64,
    /// Mean count of enabled connections.
    pub mean_connections: f64,
    /// Evaluations so far in the run, this generation included.
    pub evaluations: u64,
    /// Whether the generation's champion passed the task's success check.
    pub solved: bool,
    /// The success check's score, when the task has one.
    pub verdict_score: Option<f64>,
    /// Wall-clock seconds this generation took (not deterministic).
    pub seconds: f64,
    /// Where those seconds went (not deterministic).
    #[serde(default)]
    pub phases: PhaseSeconds,
}

/// Wall-clock seconds of the phases of one generation; the rest of
/// [`GenerationStats::seconds`] is statistics and the success check.
///
/// The fields end in `seconds`, as every wall-clock figure in a checkpoint does,
/// so tools that compare runs can tell them from the deterministic state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseSeconds {
    /// The evaluator's call: compiling and evaluating every genome.
    pub evaluation_seconds: f64,
    /// Sorting the generation into species.
    pub speciation_seconds: f64,
    /// Fitness sharing, offspring allocation, crossover and mutation.
    pub reproduction_seconds: f64,
}

/// The header of `stats.csv`.
pub const CSV_HEADER: &str = "generation,best_fitness,mean_fitness,species,mean_nodes,mean_connections,evaluations,solved,verdict_score,seconds";

/// Renders the history as CSV, one row per generation.
pub fn to_csv(history: &[GenerationStats]) -> String {
    let mut out = String::with_capacity(64 * (history.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for s in history {
        let score = s.verdict_score.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{:.6}",
            s.generation,
            s.best_fitness,
            s.mean_fitness,
            s.species,
            s.mean_nodes,
            s.mean_connections,
            s.evaluations,
            s.solved,
            score,
            s.seconds
        );
    }
    out
}
