//! Classical bipolar Hopfield network.
//!
//! States are `i8` vectors of ±1. Weights are symmetric with a zero diagonal, so the
//! energy E(s) = −½·Σᵢⱼ wᵢⱼ·sᵢ·sⱼ never rises under asynchronous updates. A neuron
//! whose local field is exactly 0 keeps its state.
//!
//! Storage rules:
//! - Hebbian: W += ξξᵀ/N (diagonal kept at 0); reliable up to ≈ 0.138·N random
//!   patterns, with one-step bit error ½·erfc(√(N/2p)).
//! - Storkey (1997): wᵢⱼ += (ξᵢξⱼ − ξᵢhⱼᵢ − hᵢⱼξⱼ)/N with hᵢⱼ = Σ_{k≠i,j} wᵢₖξₖ;
//!   incremental, local, and holds more patterns (≈ N/√(2 ln N)).

use ndarray::{Array2, ArrayView2};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::error::{PlasticityError, Result, check_len};
use statrs::function::erf::erfc;

/// A classical Hopfield network of `N` bipolar neurons.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassicalHopfield {
    weights: Array2<f64>,
    stored: usize,
}

/// How a recall run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recall {
    /// Sweeps (asynchronous) or steps (synchronous) performed.
    pub steps: usize,
    /// Whether the state reached a fixed point (a full pass without flips).
    pub converged: bool,
}

fn check_bipolar(what: &'static str, state: &[i8]) -> Result<()> {
    match state.iter().position(|&s| s != 1 && s != -1) {
        None => Ok(()),
        Some(index) => Err(PlasticityError::InvalidState {
            what,
            index,
            value: f64::from(state[index]),
            expected: "-1 or +1",
        }),
    }
}

impl ClassicalHopfield {
    /// An empty network of `neurons` neurons (all weights 0).
    pub fn new(neurons: usize) -> Result<Self> {
        if neurons == 0 {
            return Err(PlasticityError::Empty {
                what: "Hopfield network",
            });
        }
        Ok(Self {
            weights: Array2::zeros((neurons, neurons)),
            stored: 0,
        })
    }

    /// Number of neurons N.
    pub fn neurons(&self) -> usize {
        self.weights.nrows()
    }

    /// Number of patterns stored so far.
    pub fn stored(&self) -> usize {
        self.stored
    }

    /// The symmetric weight matrix.
    pub fn weights(&self) -> ArrayView2<'_, f64> {
        self.weights.view()
    }

    fn check_state(&self, what: &'static str, state: &[i8]) -> Result<()> {
        check_len(what, self.neurons(), state.len())?;
        check_bipolar(what, state)
    }

    /// Adds `pattern` by the Hebbian outer-product rule W += ξξᵀ/N.
    pub fn store_hebbian(&mut self, pattern: &[i8]) -> Result<()> {
        self.check_state("pattern", pattern)?;
        let scale = 1.0 / self.neurons() as f64;
        for (i, mut row) in self.weights.rows_mut().into_iter().enumerate() {
            let xi = scale * f64::from(pattern[i]);
            for (w, &xj) in row.iter_mut().zip(pattern) {
                *w += xi * f64::from(xj);
            }
            row[i] = 0.0;
        }
        self.stored += 1;
        Ok(())
    }

    /// Adds `pattern` by the Storkey rule.
    pub fn store_storkey(&mut self, pattern: &[i8]) -> Result<()> {
        self.check_state("pattern", pattern)?;
        let n = self.neurons();
        let fields: Vec<f64> = (0..n).map(|i| self.field(pattern, i)).collect();
        let scale = 1.0 / n as f64;
        // W is symmetric, so each pair is updated once from its old value.
        for i in 0..n {
            let xi = f64::from(pattern[i]);
            for j in i + 1..n {
                let xj = f64::from(pattern[j]);
                let w = self.weights[[i, j]];
                let h_ij = fields[i] - w * xj;
                let h_ji = fields[j] - w * xi;
                let updated = w + scale * (xi * xj - xi * h_ji - h_ij * xj);
                self.weights[[i, j]] = updated;
                self.weights[[j, i]] = updated;
            }
        }
        self.stored += 1;
        Ok(())
    }

    /// Local field hᵢ = Σⱼ wᵢⱼ·sⱼ of neuron `i`.
    pub fn local_field(&self, state: &[i8], i: usize) -> Result<f64> {
        self.check_index(state, i)?;
        Ok(self.field(state, i))
    }

    fn check_index(&self, state: &[i8], i: usize) -> Result<()> {
        check_len("state", self.neurons(), state.len())?;
        if i < self.neurons() {
            Ok(())
        } else {
            Err(PlasticityError::IndexOutOfRange {
                what: "neuron",
                index: i,
                len: self.neurons(),
            })
        }
    }

    /// Local field without checks (`state.len() == N`, `i < N`).
    fn field(&self, state: &[i8], i: usize) -> f64 {
        self.weights
            .row(i)
            .iter()
            .zip(state)
            .map(|(w, &s)| w * f64::from(s))
            .sum()
    }

    /// The next state of neuron `i`: the sign of its field, ties keep the state.
    fn next_state(&self, state: &[i8], i: usize) -> i8 {
        let h = self.field(state, i);
        if h > 0.0 {
            1
        } else if h < 0.0 {
            -1
        } else {
            state[i]
        }
    }

    /// Energy E(s) = −½·Σᵢⱼ wᵢⱼ·sᵢ·sⱼ.
    pub fn energy(&self, state: &[i8]) -> Result<f64> {
        self.check_state("state", state)?;
        Ok(-0.5
            * state
                .iter()
                .enumerate()
                .map(|(i, &s)| f64::from(s) * self.field(state, i))
                .sum::<f64>())
    }

    /// Updates neuron `i` in place to the sign of its local field (ties keep the
    /// state). Returns whether it flipped.
    pub fn update_neuron(&self, state: &mut [i8], i: usize) -> Result<bool> {
        self.check_index(state, i)?;
        Ok(self.flip(state, i))
    }

    fn flip(&self, state: &mut [i8], i: usize) -> bool {
        let next = self.next_state(state, i);
        let flipped = next != state[i];
        state[i] = next;
        flipped
    }

    /// One asynchronous sweep: every neuron once, in a random order. Returns the
    /// number of flips.
    pub fn sweep_async<R: Rng + ?Sized>(&self, state: &mut [i8], rng: &mut R) -> Result<usize> {
        self.check_state("state", state)?;
        let mut order: Vec<usize> = (0..self.neurons()).collect();
        order.shuffle(rng);
        Ok(order.into_iter().filter(|&i| self.flip(state, i)).count())
    }

    /// One synchronous step: every neuron computes its next state from `state`, the
    /// result is written to `next`. Returns the number of flips.
    pub fn step_sync(&self, state: &[i8], next: &mut [i8]) -> Result<usize> {
        self.check_state("state", state)?;
        check_len("next state", self.neurons(), next.len())?;
        next.copy_from_slice(state);
        Ok((0..self.neurons())
            .filter(|&i| {
                next[i] = self.next_state(state, i);
                next[i] != state[i]
            })
            .count())
    }

    /// Asynchronous sweeps until a sweep flips nothing, or `max_sweeps` sweeps.
    pub fn recall_async<R: Rng + ?Sized>(
        &self,
        state: &mut [i8],
        max_sweeps: usize,
        rng: &mut R,
    ) -> Result<Recall> {
        for sweep in 1..=max_sweeps {
            if self.sweep_async(state, rng)? == 0 {
                return Ok(Recall {
                    steps: sweep,
                    converged: true,
                });
            }
        }
        Ok(Recall {
            steps: max_sweeps,
            converged: false,
        })
    }

    /// Synchronous steps until a step flips nothing, or `max_steps` steps.
    /// Synchronous dynamics may end in a 2-cycle, which reports `converged: false`.
    pub fn recall_sync(&self, state: &mut [i8], max_steps: usize) -> Result<Recall> {
        let mut next = vec![0i8; state.len()];
        for step in 1..=max_steps {
            let flips = self.step_sync(state, &mut next)?;
            state.copy_from_slice(&next);
            if flips == 0 {
                return Ok(Recall {
                    steps: step,
                    converged: true,
                });
            }
        }
        Ok(Recall {
            steps: max_steps,
            converged: false,
        })
    }
}

/// Signal-to-noise prediction of the fraction of bits that flip when a stored
/// pattern is updated once, for `patterns` random patterns stored by the Hebb rule in
/// `neurons` neurons: ½·erfc(√(N/2p)).
pub fn theoretical_one_step_error(neurons: usize, patterns: usize) -> f64 {
    if patterns == 0 {
        return 0.0;
    }
    0.5 * erfc((neurons as f64 / (2.0 * patterns as f64)).sqrt())
}

/// Fraction of positions where `a` and `b` agree (0 for empty or unequal lengths).
pub fn bit_agreement(a: &[i8], b: &[i8]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests;
