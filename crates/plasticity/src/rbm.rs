//! Binary restricted Boltzmann machine.
//!
//! Visible units v ∈ {0,1}ⁿᵛ, hidden units h ∈ {0,1}ⁿʰ, energy
//! E(v, h) = −bᵀv − cᵀh − vᵀWh, free energy F(v) = −bᵀv − Σⱼ softplus(cⱼ + vᵀW₋ⱼ),
//! and p(v) = exp(−F(v))/Z.
//!
//! Training ([`RbmTrainer`]) ascends the log-likelihood with one of three gradient
//! estimators ([`Estimator`]): contrastive divergence CD-k, persistent CD (PCD) with
//! fantasy chains kept across updates, or, for tiny models, the exact gradient by
//! enumerating the smaller layer. [`Rbm::log_partition`] and
//! [`Rbm::exact_log_likelihood`] enumerate the same way (at most
//! [`MAX_ENUMERATED_UNITS`] units in the smaller layer).
//!
//! Single-vector operations write into caller buffers and allocate nothing, so an RBM
//! can learn online inside the evaluation loop (see `module::RbmFeatures`).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::seq::SliceRandom;
use rand::{Rng, RngExt};
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use crate::error::{PlasticityError, Result, check_finite, check_len};
use crate::stats::{log_sum_exp, sigmoid, softplus};

/// The widest layer [`Rbm::log_partition`] will enumerate (2²⁰ states).
pub const MAX_ENUMERATED_UNITS: usize = 20;

/// A binary RBM.
#[derive(Debug, Clone, PartialEq)]
pub struct Rbm {
    /// `n_visible × n_hidden` weights.
    w: Array2<f64>,
    /// Visible biases b.
    b: Array1<f64>,
    /// Hidden biases c.
    c: Array1<f64>,
}

fn check_binary(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|&x| x != 0.0 && x != 1.0) {
        None => Ok(()),
        Some(index) => Err(PlasticityError::InvalidState {
            what,
            index,
            value: values[index],
            expected: "0 or 1",
        }),
    }
}

fn check_all_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(index) => Err(PlasticityError::InvalidState {
            what,
            index,
            value: values[index],
            expected: "a finite value",
        }),
    }
}

/// Writes Bernoulli samples of the probabilities `p` into `out` (0.0 or 1.0).
fn sample_into<R: Rng + ?Sized>(p: &[f64], out: &mut [f64], rng: &mut R) {
    for (o, &pi) in out.iter_mut().zip(p) {
        *o = if rng.random::<f64>() < pi { 1.0 } else { 0.0 };
    }
}

/// Model statistics from enumerating one layer ("enumerated") and summing the other
/// ("summed") out analytically, in the orientation of `w` (`enumerated × summed`).
struct Enumeration {
    log_z: f64,
    /// E[e·sᵀ] where e is the enumerated and s the summed layer.
    outer: Array2<f64>,
    enumerated_mean: Array1<f64>,
    summed_mean: Array1<f64>,
}

fn enumerate(
    w: ArrayView2<'_, f64>,
    enumerated_bias: &Array1<f64>,
    summed_bias: &Array1<f64>,
    with_statistics: bool,
) -> Result<Enumeration> {
    let units = w.nrows();
    if units > MAX_ENUMERATED_UNITS {
        return Err(PlasticityError::TooLargeToEnumerate {
            units,
            max: MAX_ENUMERATED_UNITS,
        });
    }
    let states = Array2::from_shape_fn((1usize << units, units), |(s, k)| ((s >> k) & 1) as f64);
    // Pre-activations of the summed layer for every enumerated state (one dgemm).
    let mut act = states.dot(&w) + summed_bias;
    let mut neg_free = states.dot(enumerated_bias);
    for (nf, row) in neg_free.iter_mut().zip(act.rows()) {
        *nf += row.iter().map(|&x| softplus(x)).sum::<f64>();
    }
    let log_z = log_sum_exp(neg_free.as_slice().unwrap_or(&[]));
    if !with_statistics {
        return Ok(Enumeration {
            log_z,
            outer: Array2::zeros((0, 0)),
            enumerated_mean: Array1::zeros(0),
            summed_mean: Array1::zeros(0),
        });
    }
    let p = neg_free.mapv(|nf| sprout_math::exp(nf - log_z));
    act.mapv_inplace(sigmoid);
    let weighted = &act * &p.view().insert_axis(Axis(1));
    Ok(Enumeration {
        log_z,
        outer: states.t().dot(&weighted),
        enumerated_mean: states.t().dot(&p),
        summed_mean: weighted.sum_axis(Axis(0)),
    })
}

impl Rbm {
    /// A new RBM with weights drawn from N(0, `init_std`²) and zero biases.
    pub fn new<R: Rng + ?Sized>(
        n_visible: usize,
        n_hidden: usize,
        init_std: f64,
        rng: &mut R,
    ) -> Result<Self> {
        check_finite("init_std", init_std)?;
        let w = Array2::from_shape_fn((n_visible, n_hidden), |_| {
            init_std * rng.sample::<f64, _>(StandardNormal)
        });
        Self::from_parts(w, Array1::zeros(n_visible), Array1::zeros(n_hidden))
    }

    /// An RBM from explicit weights (`n_visible × n_hidden`), visible biases `b` and
    /// hidden biases `c`. Both layers must be non-empty and all values finite.
    pub fn from_parts(w: Array2<f64>, b: Array1<f64>, c: Array1<f64>) -> Result<Self> {
        if w.nrows() == 0 {
            return Err(PlasticityError::Empty {
                what: "visible layer",
            });
        }
        if w.ncols() == 0 {
            return Err(PlasticityError::Empty {
                what: "hidden layer",
            });
        }
        check_len("visible biases", w.nrows(), b.len())?;
        check_len("hidden biases", w.ncols(), c.len())?;
        if let Some((index, &value)) = w.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(PlasticityError::InvalidState {
                what: "RBM weights",
                index,
                value,
                expected: "a finite value",
            });
        }
        check_all_finite("visible biases", b.as_slice().unwrap_or(&[]))?;
        check_all_finite("hidden biases", c.as_slice().unwrap_or(&[]))?;
        // Standard layout keeps rows contiguous for the slice loops below.
        Ok(Self {
            w: w.as_standard_layout().into_owned(),
            b,
            c,
        })
    }

    /// Number of visible units.
    pub fn n_visible(&self) -> usize {
        self.w.nrows()
    }

    /// Number of hidden units.
    pub fn n_hidden(&self) -> usize {
        self.w.ncols()
    }

    /// The `n_visible × n_hidden` weights.
    pub fn weights(&self) -> &Array2<f64> {
        &self.w
    }

    /// Visible biases b.
    pub fn visible_bias(&self) -> &Array1<f64> {
        &self.b
    }

    /// Hidden biases c.
    pub fn hidden_bias(&self) -> &Array1<f64> {
        &self.c
    }

    /// Energy E(v, h) = −bᵀv − cᵀh − vᵀWh.
    pub fn energy(&self, v: &[f64], h: &[f64]) -> Result<f64> {
        check_len("visible state", self.n_visible(), v.len())?;
        check_len("hidden state", self.n_hidden(), h.len())?;
        let mut e = 0.0;
        for (i, &vi) in v.iter().enumerate() {
            let row: f64 = self.w.row(i).iter().zip(h).map(|(w, hj)| w * hj).sum();
            e -= vi * (self.b[i] + row);
        }
        e -= self.c.iter().zip(h).map(|(c, hj)| c * hj).sum::<f64>();
        Ok(e)
    }

    /// Free energy F(v) = −bᵀv − Σⱼ softplus(cⱼ + Σᵢ vᵢwᵢⱼ).
    pub fn free_energy(&self, v: &[f64]) -> Result<f64> {
        check_len("visible state", self.n_visible(), v.len())?;
        let mut pre = self.c.clone();
        for (&vi, row) in v.iter().zip(self.w.rows()) {
            pre.scaled_add(vi, &row);
        }
        let bias: f64 = self.b.iter().zip(v).map(|(b, vi)| b * vi).sum();
        Ok(-bias - pre.iter().map(|&x| softplus(x)).sum::<f64>())
    }

    /// p(hⱼ = 1 | v) for every hidden unit, into `out`.
    pub fn hidden_probs_into(&self, v: &[f64], out: &mut [f64]) -> Result<()> {
        check_len("visible state", self.n_visible(), v.len())?;
        check_len("hidden output", self.n_hidden(), out.len())?;
        self.hidden_probs_raw(v, out);
        Ok(())
    }

    /// p(vᵢ = 1 | h) for every visible unit, into `out`.
    pub fn visible_probs_into(&self, h: &[f64], out: &mut [f64]) -> Result<()> {
        check_len("hidden state", self.n_hidden(), h.len())?;
        check_len("visible output", self.n_visible(), out.len())?;
        self.visible_probs_raw(h, out);
        Ok(())
    }

    fn hidden_probs_raw(&self, v: &[f64], out: &mut [f64]) {
        out.copy_from_slice(self.c.as_slice().unwrap_or(&[]));
        for (&vi, row) in v.iter().zip(self.w.rows()) {
            if vi != 0.0 {
                for (o, w) in out.iter_mut().zip(row) {
                    *o += vi * w;
                }
            }
        }
        out.iter_mut().for_each(|x| *x = sigmoid(*x));
    }

    fn visible_probs_raw(&self, h: &[f64], out: &mut [f64]) {
        for ((o, row), b) in out.iter_mut().zip(self.w.rows()).zip(&self.b) {
            *o = sigmoid(b + row.iter().zip(h).map(|(w, hj)| w * hj).sum::<f64>());
        }
    }

    fn check_data(&self, data: &ArrayView2<'_, f64>) -> Result<()> {
        check_len("data columns", self.n_visible(), data.ncols())?;
        if data.nrows() == 0 {
            return Err(PlasticityError::Empty { what: "data" });
        }
        match data.iter().position(|x| !x.is_finite()) {
            None => Ok(()),
            Some(index) => Err(PlasticityError::InvalidState {
                what: "data",
                index,
                value: data.iter().nth(index).copied().unwrap_or(f64::NAN),
                expected: "a finite value",
            }),
        }
    }

    /// Mean squared error per visible unit between each row of `data` and its
    /// mean-field reconstruction p(v | p(h | v)).
    pub fn reconstruction_error(&self, data: ArrayView2<'_, f64>) -> Result<f64> {
        self.check_data(&data)?;
        let mut x = vec![0.0; self.n_visible()];
        let mut h = vec![0.0; self.n_hidden()];
        let mut v = vec![0.0; self.n_visible()];
        let mut total = 0.0;
        for row in data.rows() {
            x.iter_mut().zip(row).for_each(|(x, r)| *x = *r);
            self.hidden_probs_raw(&x, &mut h);
            self.visible_probs_raw(&h, &mut v);
            total += x.iter().zip(&v).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
        }
        Ok(total / (data.len() as f64))
    }

    /// ln Z, by enumerating the smaller layer (at most [`MAX_ENUMERATED_UNITS`] units).
    pub fn log_partition(&self) -> Result<f64> {
        Ok(self.enumerate(false)?.log_z)
    }

    /// Mean exact log-likelihood (1/n)·Σ ln p(v) of binary `data` rows.
    pub fn exact_log_likelihood(&self, data: ArrayView2<'_, f64>) -> Result<f64> {
        self.check_data(&data)?;
        let log_z = self.log_partition()?;
        let mut x = vec![0.0; self.n_visible()];
        let mut total = 0.0;
        for row in data.rows() {
            x.iter_mut().zip(row).for_each(|(x, r)| *x = *r);
            check_binary("data row", &x)?;
            total -= self.free_energy(&x)? + log_z;
        }
        Ok(total / data.nrows() as f64)
    }

    /// Enumerates the smaller layer; statistics are returned visible × hidden.
    fn enumerate(&self, with_statistics: bool) -> Result<Enumeration> {
        if self.n_visible() <= self.n_hidden() {
            enumerate(self.w.view(), &self.b, &self.c, with_statistics)
        } else {
            let e = enumerate(self.w.t(), &self.c, &self.b, with_statistics)?;
            Ok(Enumeration {
                log_z: e.log_z,
                outer: e.outer.reversed_axes(),
                enumerated_mean: e.summed_mean,
                summed_mean: e.enumerated_mean,
            })
        }
    }
}

/// How the negative (model) phase of the log-likelihood gradient is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Estimator {
    /// The exact model expectation by enumeration (tiny models only).
    Exact,
    /// Contrastive divergence: k Gibbs steps started at each data row.
    ContrastiveDivergence {
        /// Gibbs steps per update (≥ 1).
        k: usize,
    },
    /// Persistent CD: k Gibbs steps on fantasy chains kept between updates.
    Persistent {
        /// Gibbs steps per update (≥ 1).
        k: usize,
        /// Number of fantasy chains (≥ 1).
        chains: usize,
    },
}

/// Hyper-parameters of RBM training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainingConfig {
    /// Gradient estimator.
    pub estimator: Estimator,
    /// Step size.
    pub learning_rate: f64,
    /// Momentum in [0, 1).
    pub momentum: f64,
    /// L2 weight decay on W (not on biases).
    pub weight_decay: f64,
}

impl TrainingConfig {
    fn validate(&self) -> Result<()> {
        check_finite("learning_rate", self.learning_rate)?;
        check_finite("weight_decay", self.weight_decay)?;
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(PlasticityError::InvalidParameter {
                name: "momentum",
                value: self.momentum,
                reason: "must lie in [0, 1)",
            });
        }
        let (k, chains) = match self.estimator {
            Estimator::Exact => (1, 1),
            Estimator::ContrastiveDivergence { k } => (k, 1),
            Estimator::Persistent { k, chains } => (k, chains),
        };
        if k == 0 {
            return Err(PlasticityError::InvalidParameter {
                name: "k",
                value: 0.0,
                reason: "needs at least one Gibbs step",
            });
        }
        if chains == 0 {
            return Err(PlasticityError::Empty {
                what: "persistent chains",
            });
        }
        Ok(())
    }
}

/// Gradient (or velocity) of W, b and c.
#[derive(Debug, Clone)]
struct Parameters {
    w: Array2<f64>,
    b: Array1<f64>,
    c: Array1<f64>,
}

impl Parameters {
    fn zeros(nv: usize, nh: usize) -> Self {
        Self {
            w: Array2::zeros((nv, nh)),
            b: Array1::zeros(nv),
            c: Array1::zeros(nh),
        }
    }

    /// Adds `scale`·x·p(h|x)ᵀ and the matching bias terms, leaving p(h|x) in `h_probs`.
    fn accumulate(&mut self, rbm: &Rbm, x: &[f64], h_probs: &mut [f64], scale: f64) {
        rbm.hidden_probs_raw(x, h_probs);
        for ((&xi, mut row), gb) in x.iter().zip(self.w.rows_mut()).zip(&mut self.b) {
            *gb += scale * xi;
            if xi != 0.0 {
                for (g, &p) in row.iter_mut().zip(h_probs.iter()) {
                    *g += scale * xi * p;
                }
            }
        }
        for (gc, &p) in self.c.iter_mut().zip(h_probs.iter()) {
            *gc += scale * p;
        }
    }
}

/// Scratch space of one Gibbs chain.
#[derive(Debug, Clone)]
struct Chain {
    v: Vec<f64>,
    v_probs: Vec<f64>,
    h: Vec<f64>,
    h_probs: Vec<f64>,
}

impl Chain {
    fn load<'a>(&mut self, values: impl IntoIterator<Item = &'a f64>) {
        self.v.iter_mut().zip(values).for_each(|(v, x)| *v = *x);
    }

    /// k steps of block Gibbs sampling v → h → v, in place on `self.v`.
    fn run<R: Rng + ?Sized>(&mut self, rbm: &Rbm, k: usize, rng: &mut R) {
        for _ in 0..k {
            rbm.hidden_probs_raw(&self.v, &mut self.h_probs);
            sample_into(&self.h_probs, &mut self.h, rng);
            rbm.visible_probs_raw(&self.h, &mut self.v_probs);
            sample_into(&self.v_probs, &mut self.v, rng);
        }
    }
}

/// Gradient buffers, momentum, Gibbs scratch space and persistent chains for
/// training one [`Rbm`]. A step on a batch allocates nothing, except for
/// [`Estimator::Exact`].
#[derive(Debug, Clone)]
pub struct RbmTrainer {
    config: TrainingConfig,
    grad: Parameters,
    velocity: Parameters,
    chain: Chain,
    persistent: Array2<f64>,
}

impl RbmTrainer {
    /// A trainer for `rbm`. Persistent chains start from uniform random states.
    pub fn new<R: Rng + ?Sized>(rbm: &Rbm, config: TrainingConfig, rng: &mut R) -> Result<Self> {
        config.validate()?;
        let (nv, nh) = (rbm.n_visible(), rbm.n_hidden());
        let chains = match config.estimator {
            Estimator::Persistent { chains, .. } => chains,
            _ => 0,
        };
        Ok(Self {
            config,
            grad: Parameters::zeros(nv, nh),
            velocity: Parameters::zeros(nv, nh),
            chain: Chain {
                v: vec![0.0; nv],
                v_probs: vec![0.0; nv],
                h: vec![0.0; nh],
                h_probs: vec![0.0; nh],
            },
            persistent: Array2::from_shape_fn((chains, nv), |_| {
                if rng.random_bool(0.5) { 1.0 } else { 0.0 }
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &TrainingConfig {
        &self.config
    }

    /// One gradient-ascent update of `rbm` on the rows of `batch`.
    pub fn step<R: Rng + ?Sized>(
        &mut self,
        rbm: &mut Rbm,
        batch: ArrayView2<'_, f64>,
        rng: &mut R,
    ) -> Result<()> {
        check_len("trainer visible units", self.chain.v.len(), rbm.n_visible())?;
        check_len("trainer hidden units", self.chain.h.len(), rbm.n_hidden())?;
        rbm.check_data(&batch)?;
        let grad = &mut self.grad;
        let chain = &mut self.chain;
        grad.w.fill(0.0);
        grad.b.fill(0.0);
        grad.c.fill(0.0);
        let n = batch.nrows() as f64;
        for row in batch.rows() {
            chain.load(row);
            grad.accumulate(rbm, &chain.v, &mut chain.h_probs, 1.0 / n);
        }
        match self.config.estimator {
            Estimator::Exact => {
                let e = rbm.enumerate(true)?;
                grad.w -= &e.outer;
                grad.b -= &e.enumerated_mean;
                grad.c -= &e.summed_mean;
            }
            Estimator::ContrastiveDivergence { k } => {
                for row in batch.rows() {
                    chain.load(row);
                    chain.run(rbm, k, rng);
                    grad.accumulate(rbm, &chain.v, &mut chain.h_probs, -1.0 / n);
                }
            }
            Estimator::Persistent { k, chains } => {
                for mut state in self.persistent.rows_mut() {
                    chain.load(state.iter());
                    chain.run(rbm, k, rng);
                    state.iter_mut().zip(&chain.v).for_each(|(x, v)| *x = *v);
                    grad.accumulate(rbm, &chain.v, &mut chain.h_probs, -1.0 / chains as f64);
                }
            }
        }
        self.apply(rbm);
        Ok(())
    }

    fn apply(&mut self, rbm: &mut Rbm) {
        let TrainingConfig {
            learning_rate: lr,
            momentum,
            weight_decay,
            ..
        } = self.config;
        let (vel, grad) = (&mut self.velocity, &self.grad);
        ndarray::Zip::from(&mut vel.w)
            .and(&grad.w)
            .and(&rbm.w)
            .for_each(|v, &g, &w| *v = momentum * *v + lr * (g - weight_decay * w));
        ndarray::Zip::from(&mut vel.b)
            .and(&grad.b)
            .for_each(|v, &g| *v = momentum * *v + lr * g);
        ndarray::Zip::from(&mut vel.c)
            .and(&grad.c)
            .for_each(|v, &g| *v = momentum * *v + lr * g);
        rbm.w += &vel.w;
        rbm.b += &vel.b;
        rbm.c += &vel.c;
    }

    /// `epochs` passes over `data` in shuffled minibatches of `batch_size` rows
    /// (the last batch of an epoch may be smaller).
    pub fn train<R: Rng + ?Sized>(
        &mut self,
        rbm: &mut Rbm,
        data: ArrayView2<'_, f64>,
        epochs: usize,
        batch_size: usize,
        rng: &mut R,
    ) -> Result<()> {
        rbm.check_data(&data)?;
        if batch_size == 0 {
            return Err(PlasticityError::Empty {
                what: "minibatch size",
            });
        }
        let mut order: Vec<usize> = (0..data.nrows()).collect();
        let mut batch = Array2::zeros((batch_size.min(data.nrows()), data.ncols()));
        for _ in 0..epochs {
            order.shuffle(rng);
            for chunk in order.chunks(batch_size) {
                for (mut dst, &src) in batch.rows_mut().into_iter().zip(chunk) {
                    dst.assign(&data.row(src));
                }
                let rows = ndarray::Slice::from(0..chunk.len());
                self.step(rbm, batch.slice_axis(Axis(0), rows), rng)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
