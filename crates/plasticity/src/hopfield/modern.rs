//! Modern continuous Hopfield network (Ramsauer et al. 2020, "Hopfield Networks is
//! All You Need").
//!
//! Stored patterns are the columns of X (here: rows of a `capacity × dim` buffer).
//! Retrieval is one step of ξ ← X·softmax(β·Xᵀξ), which with large enough β
//! separates exponentially many patterns in the dimension. The energy
//! E(ξ) = −β⁻¹·ln Σᵢ exp(β·xᵢ·ξ) + ½·ξ·ξ + β⁻¹·ln M + ½·max‖xᵢ‖² never rises under
//! the update.
//!
//! The memory is a ring of fixed capacity: once full, a new pattern overwrites the
//! oldest. Storing and retrieving allocate nothing.

use crate::error::{PlasticityError, Result, check_len, check_positive};
use crate::stats::{dot, log_sum_exp, softmax_in_place};

/// A modern Hopfield memory of up to `capacity` patterns of dimension `dim`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModernHopfield {
    beta: f64,
    dim: usize,
    /// `capacity × dim` values, row-major; the first `len` rows are in use.
    patterns: Vec<f64>,
    len: usize,
    next: usize,
    scores: Vec<f64>,
}

impl ModernHopfield {
    /// An empty memory. `dim` and `capacity` must be ≥ 1, `beta` finite and > 0.
    pub fn new(dim: usize, capacity: usize, beta: f64) -> Result<Self> {
        if dim == 0 {
            return Err(PlasticityError::Empty {
                what: "pattern dimension",
            });
        }
        if capacity == 0 {
            return Err(PlasticityError::Empty {
                what: "memory capacity",
            });
        }
        check_positive("beta", beta)?;
        Ok(Self {
            beta,
            dim,
            patterns: vec![0.0; capacity * dim],
            len: 0,
            next: 0,
            scores: vec![0.0; capacity],
        })
    }

    /// Pattern dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Maximum number of stored patterns.
    pub fn capacity(&self) -> usize {
        self.scores.len()
    }

    /// Number of patterns currently stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Inverse temperature β.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Forgets every pattern (keeps the buffers).
    pub fn clear(&mut self) {
        self.len = 0;
        self.next = 0;
    }

    /// Stores `pattern` (finite values), overwriting the oldest one when full.
    pub fn store(&mut self, pattern: &[f64]) -> Result<()> {
        check_len("stored pattern", self.dim(), pattern.len())?;
        if let Some(index) = pattern.iter().position(|x| !x.is_finite()) {
            return Err(PlasticityError::InvalidState {
                what: "stored pattern",
                index,
                value: pattern[index],
                expected: "a finite value",
            });
        }
        let start = self.next * self.dim;
        self.patterns[start..start + self.dim].copy_from_slice(pattern);
        self.next = (self.next + 1) % self.capacity();
        self.len = (self.len + 1).min(self.capacity());
        Ok(())
    }

    /// The stored patterns, oldest slot first.
    fn rows(&self) -> impl Iterator<Item = &[f64]> {
        self.patterns.chunks_exact(self.dim).take(self.len)
    }

    /// β·xᵢ·ξ for every stored pattern, into `self.scores[..len]`.
    fn score(&mut self, xi: &[f64]) {
        let rows = self.patterns.chunks_exact(self.dim).take(self.len);
        for (score, row) in self.scores.iter_mut().zip(rows) {
            *score = self.beta * dot(row, xi);
        }
    }

    /// One retrieval step ξ ← X·softmax(β·Xᵀξ), written into `out`.
    /// With nothing stored, `out` is a copy of `query`.
    pub fn retrieve_into(&mut self, query: &[f64], out: &mut [f64]) -> Result<()> {
        check_len("query", self.dim(), query.len())?;
        check_len("retrieval output", self.dim(), out.len())?;
        if self.is_empty() {
            out.copy_from_slice(query);
            return Ok(());
        }
        self.score(query);
        let weights = &mut self.scores[..self.len];
        softmax_in_place(weights);
        out.fill(0.0);
        for (&p, row) in weights.iter().zip(self.patterns.chunks_exact(self.dim)) {
            for (o, x) in out.iter_mut().zip(row) {
                *o += p * x;
            }
        }
        Ok(())
    }

    /// The energy of state `xi` (see the module docs). Fails if nothing is stored.
    pub fn energy(&mut self, xi: &[f64]) -> Result<f64> {
        check_len("state", self.dim(), xi.len())?;
        if self.is_empty() {
            return Err(PlasticityError::Empty {
                what: "Hopfield memory",
            });
        }
        self.score(xi);
        let max_norm_sq = self.rows().map(|row| dot(row, row)).fold(0.0, f64::max);
        let lse = log_sum_exp(&self.scores[..self.len]);
        Ok(-lse / self.beta
            + 0.5 * dot(xi, xi)
            + sprout_math::ln(self.len as f64) / self.beta
            + 0.5 * max_norm_sq)
    }
}

#[cfg(test)]
mod tests;
