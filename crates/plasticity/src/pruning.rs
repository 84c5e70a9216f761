//! Pruning over a plain weight list plus an alive mask.
//!
//! A caller (the network crate, or `sprout prune`) lists its prunable connections
//! as `weights[k]` with `alive[k]`, computes a saliency per connection with one of
//! - magnitude, |w| ([`magnitude_saliency`]);
//! - Optimal Brain Damage, ½·h_kk·w_k² ([`obd_saliency`]), with the Hessian diagonal
//!   from [`GaussNewtonDiagonal`] (LeCun, Denker & Solla 1990);
//! - "use it or lose it", a running mean of |w·pre| ([`ActivityTracker`]);
//! - random ([`random_saliency`]), the baseline every method must beat
//!   (Blalock et al. 2020);
//!
//! and removes the least salient with [`prune_to_sparsity`]. Its `may_remove`
//! predicate lets the caller veto a removal; [`OutputPathGuard`] is a ready-made
//! predicate over `(source, target)` edge lists that never cuts the last path from
//! the inputs to an output.

use rand::{Rng, RngExt};

use crate::error::{PlasticityError, Result, check_finite, check_len, check_unit_interval};

/// Saliency |w| of each weight.
pub fn magnitude_saliency(weights: &[f64]) -> Vec<f64> {
    weights.iter().map(|w| w.abs()).collect()
}

/// Optimal Brain Damage saliency ½·h_kk·w_k²: the predicted loss increase when weight
/// k alone is set to zero at a minimum of the loss.
pub fn obd_saliency(weights: &[f64], hessian_diagonal: &[f64]) -> Result<Vec<f64>> {
    check_len("Hessian diagonal", weights.len(), hessian_diagonal.len())?;
    Ok(weights
        .iter()
        .zip(hessian_diagonal)
        .map(|(w, h)| 0.5 * h * w * w)
        .collect())
}

/// Uniform random saliencies: pruning by them is the random baseline.
pub fn random_saliency<R: Rng + ?Sized>(count: usize, rng: &mut R) -> Vec<f64> {
    (0..count).map(|_| rng.random::<f64>()).collect()
}

/// Accumulates the Gauss–Newton estimate of the Hessian diagonal of a loss
/// L = (1/n)·Σ ℓ(f(xₙ), tₙ) over the weights: h_kk ≈ (1/n)·Σ ℓ''·(∂f/∂w_k)².
///
/// For the squared error ℓ = ½(f − t)², ℓ'' = 1. The estimate drops the term with
/// the second derivatives of f, which is exact for models linear in the weights and
/// small near a good fit.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussNewtonDiagonal {
    sum: Vec<f64>,
    samples: usize,
}

impl GaussNewtonDiagonal {
    /// An empty accumulator for `weights` weights.
    pub fn new(weights: usize) -> Self {
        Self {
            sum: vec![0.0; weights],
            samples: 0,
        }
    }

    /// Adds one sample (one output of one example): `output_gradient[k]` = ∂f/∂w_k,
    /// `curvature` = ∂²ℓ/∂f² (1 for squared error).
    pub fn add_sample(&mut self, output_gradient: &[f64], curvature: f64) -> Result<()> {
        check_len("output gradient", self.sum.len(), output_gradient.len())?;
        check_finite("curvature", curvature)?;
        for (s, g) in self.sum.iter_mut().zip(output_gradient) {
            *s += curvature * g * g;
        }
        self.samples += 1;
        Ok(())
    }

    /// The mean over the samples added so far.
    pub fn diagonal(&self) -> Result<Vec<f64>> {
        if self.samples == 0 {
            return Err(PlasticityError::Empty {
                what: "Gauss-Newton samples",
            });
        }
        let n = self.samples as f64;
        Ok(self.sum.iter().map(|s| s / n).collect())
    }
}

/// "Use it or lose it": an exponential running mean of each connection's absolute
/// contribution |w·pre| while the network runs. Unused connections score low.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityTracker {
    usage: Vec<f64>,
    rate: f64,
}

impl ActivityTracker {
    /// `connections` counters, all zero, updated with rate `rate` ∈ (0, 1].
    pub fn new(connections: usize, rate: f64) -> Result<Self> {
        check_unit_interval("rate", rate)?;
        if rate == 0.0 {
            return Err(PlasticityError::InvalidParameter {
                name: "rate",
                value: rate,
                reason: "must be > 0",
            });
        }
        Ok(Self {
            usage: vec![0.0; connections],
            rate,
        })
    }

    /// Records one step of connection `index` carrying `weight·pre`. Indices past the
    /// end are ignored.
    pub fn observe(&mut self, index: usize, weight: f64, pre: f64) {
        if let Some(u) = self.usage.get_mut(index) {
            *u += self.rate * ((weight * pre).abs() - *u);
        }
    }

    /// The running usage of every connection (its saliency).
    pub fn usage(&self) -> &[f64] {
        &self.usage
    }

    /// Zeroes every counter.
    pub fn reset(&mut self) {
        self.usage.fill(0.0);
    }
}

/// Removes the least salient alive weights until a fraction `sparsity` of all
/// weights is dead, skipping any removal `may_remove(index, alive)` vetoes.
/// Ties break by index, so the result is deterministic. Returns how many weights
/// this call removed (fewer than asked if vetoes run out the candidates).
pub fn prune_to_sparsity<F>(
    saliency: &[f64],
    alive: &mut [bool],
    sparsity: f64,
    mut may_remove: F,
) -> Result<usize>
where
    F: FnMut(usize, &[bool]) -> bool,
{
    check_len("alive mask", saliency.len(), alive.len())?;
    check_unit_interval("sparsity", sparsity)?;
    if let Some(index) = saliency.iter().position(|s| s.is_nan()) {
        return Err(PlasticityError::InvalidState {
            what: "saliency",
            index,
            value: f64::NAN,
            expected: "a number",
        });
    }
    let target_dead = (sparsity * alive.len() as f64).round() as usize;
    let mut dead = alive.iter().filter(|a| !**a).count();
    let mut order: Vec<usize> = (0..alive.len()).filter(|&k| alive[k]).collect();
    order.sort_by(|&a, &b| saliency[a].total_cmp(&saliency[b]).then(a.cmp(&b)));
    let mut removed = 0;
    for k in order {
        if dead >= target_dead {
            break;
        }
        if may_remove(k, alive) {
            alive[k] = false;
            dead += 1;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Vetoes any removal that would leave an output, currently reachable from the
/// inputs, with no path from any input. Node ids are arbitrary `usize`s.
///
/// Checking a removal walks the graph twice (O(edges)) and allocates nothing.
#[derive(Debug, Clone)]
pub struct OutputPathGuard {
    /// Edge k as dense (source, target) node indices.
    edges: Vec<(usize, usize)>,
    /// Outgoing edge indices of each dense node, CSR style.
    offsets: Vec<usize>,
    outgoing: Vec<usize>,
    inputs: Vec<usize>,
    outputs: Vec<usize>,
    seen: Vec<bool>,
    stack: Vec<usize>,
    reachable_before: Vec<bool>,
}

impl OutputPathGuard {
    /// A guard for the edge list `edges` (edge k joins `edges[k].0 → edges[k].1`,
    /// matching index k of the weight list) with the given input and output nodes.
    pub fn new(edges: &[(usize, usize)], inputs: &[usize], outputs: &[usize]) -> Self {
        let mut ids: Vec<usize> = edges
            .iter()
            .flat_map(|&(s, t)| [s, t])
            .chain(inputs.iter().copied())
            .chain(outputs.iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        // Every id is in `ids`, so the search always succeeds.
        let dense = |id: usize| ids.binary_search(&id).unwrap_or_default();
        let dense_edges: Vec<(usize, usize)> =
            edges.iter().map(|&(s, t)| (dense(s), dense(t))).collect();
        let mut offsets = vec![0; ids.len() + 1];
        for &(s, _) in &dense_edges {
            offsets[s + 1] += 1;
        }
        for i in 0..ids.len() {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut outgoing = vec![0; dense_edges.len()];
        for (k, &(s, _)) in dense_edges.iter().enumerate() {
            outgoing[fill[s]] = k;
            fill[s] += 1;
        }
        Self {
            edges: dense_edges,
            offsets,
            outgoing,
            inputs: inputs.iter().map(|&i| dense(i)).collect(),
            outputs: outputs.iter().map(|&o| dense(o)).collect(),
            seen: vec![false; ids.len()],
            stack: Vec::with_capacity(ids.len()),
            reachable_before: vec![false; outputs.len()],
        }
    }

    /// Marks in `self.seen` every node reachable from an input over alive edges,
    /// treating edge `skip` (if any) as dead.
    fn reach(&mut self, alive: &[bool], skip: Option<usize>) {
        self.seen.fill(false);
        self.stack.clear();
        for &i in &self.inputs {
            if !self.seen[i] {
                self.seen[i] = true;
                self.stack.push(i);
            }
        }
        while let Some(node) = self.stack.pop() {
            for &k in &self.outgoing[self.offsets[node]..self.offsets[node + 1]] {
                let target = self.edges[k].1;
                if alive[k] && Some(k) != skip && !self.seen[target] {
                    self.seen[target] = true;
                    self.stack.push(target);
                }
            }
        }
    }

    /// Whether edge `edge` can be removed from the graph whose alive edges are
    /// `alive` without disconnecting a reachable output. Refuses (returns `false`)
    /// if `alive` does not match the edge list.
    pub fn allows_removal(&mut self, edge: usize, alive: &[bool]) -> bool {
        if alive.len() != self.edges.len() || edge >= alive.len() {
            return false;
        }
        if !alive[edge] {
            return true;
        }
        self.reach(alive, None);
        for (was, &o) in self.reachable_before.iter_mut().zip(&self.outputs) {
            *was = self.seen[o];
        }
        self.reach(alive, Some(edge));
        self.reachable_before
            .iter()
            .zip(&self.outputs)
            .all(|(&was, &o)| !was || self.seen[o])
    }
}

#[cfg(test)]
mod tests;
