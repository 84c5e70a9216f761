//! Benchmark protocols. Each is a function that runs the protocol and returns a
//! report: a `#[derive(Serialize)]` struct whose fields are the JSON keys of
//! `sprout bench … --json`, and whose `Display` is the text the CLI prints.
//!
//! - [`solve`]: independent seeded runs of an experiment until solved
//!   (`bench xor|pole|dpv|dpnv|platformer`);
//! - [`platformer`]: a champion on unseen generated levels (`bench generalize`),
//!   and agent-steps per second (`bench throughput`);
//! - [`plasticity`]: lifetime learning against fixed networks on the same
//!   budget, with significance tests (`bench plasticity`);
//! - [`generation`]: where a generation's time goes, phase by phase
//!   (`bench generation`).

pub mod generation;
pub mod plasticity;
pub mod platformer;
pub mod solve;

/// Mean of the values, `None` for none.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Median of the values, `None` for none.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}
