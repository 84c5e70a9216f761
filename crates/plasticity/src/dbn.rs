//! Deep belief network by greedy layer-wise stacking of [`Rbm`]s (Hinton et al. 2006).
//!
//! The first RBM learns the data; each further RBM learns the hidden-unit
//! probabilities p(h | v) of the one below. [`Dbn::up`] propagates mean-field
//! probabilities to the top, [`Dbn::down`] generates back to the visible layer.

use ndarray::{Array2, ArrayView2};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{PlasticityError, Result, check_len};
use crate::rbm::{Rbm, RbmTrainer, TrainingConfig};

/// How each layer of a [`Dbn`] is trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GreedyConfig {
    /// Hidden-layer widths, bottom to top (at least one).
    pub hidden_sizes: Vec<usize>,
    /// Estimator and step size used for every layer.
    pub training: TrainingConfig,
    /// Passes over the data per layer.
    pub epochs: usize,
    /// Minibatch size.
    pub batch_size: usize,
    /// Standard deviation of the initial weights.
    pub init_std: f64,
}

/// A stack of RBMs; layer `k + 1`'s visible layer is layer `k`'s hidden layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Dbn {
    layers: Vec<Rbm>,
}

/// p(h | v) for every row of `data`.
fn hidden_probs_of(rbm: &Rbm, data: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    check_len("layer input width", rbm.n_visible(), data.ncols())?;
    let mut out = Array2::zeros((data.nrows(), rbm.n_hidden()));
    let mut v = vec![0.0; rbm.n_visible()];
    let mut h = vec![0.0; rbm.n_hidden()];
    for (row, mut dst) in data.rows().into_iter().zip(out.rows_mut()) {
        v.iter_mut().zip(row).for_each(|(v, x)| *v = *x);
        rbm.hidden_probs_into(&v, &mut h)?;
        dst.iter_mut().zip(&h).for_each(|(d, h)| *d = *h);
    }
    Ok(out)
}

impl Dbn {
    /// A stack from already trained RBMs whose widths chain (hidden of one = visible of
    /// the next).
    pub fn from_layers(layers: Vec<Rbm>) -> Result<Self> {
        if layers.is_empty() {
            return Err(PlasticityError::Empty { what: "DBN layers" });
        }
        for pair in layers.windows(2) {
            check_len(
                "stacked layer width",
                pair[0].n_hidden(),
                pair[1].n_visible(),
            )?;
        }
        Ok(Self { layers })
    }

    /// Trains a stack greedily, bottom layer first, on the rows of `data`.
    pub fn train_greedy<R: Rng + ?Sized>(
        data: ArrayView2<'_, f64>,
        config: &GreedyConfig,
        rng: &mut R,
    ) -> Result<Self> {
        if config.hidden_sizes.is_empty() {
            return Err(PlasticityError::Empty {
                what: "DBN hidden sizes",
            });
        }
        let mut layers = Vec::with_capacity(config.hidden_sizes.len());
        let mut input = data.to_owned();
        for &width in &config.hidden_sizes {
            let mut rbm = Rbm::new(input.ncols(), width, config.init_std, rng)?;
            let mut trainer = RbmTrainer::new(&rbm, config.training, rng)?;
            trainer.train(
                &mut rbm,
                input.view(),
                config.epochs,
                config.batch_size,
                rng,
            )?;
            input = hidden_probs_of(&rbm, input.view())?;
            layers.push(rbm);
        }
        Ok(Self { layers })
    }

    /// The RBMs, bottom first.
    pub fn layers(&self) -> &[Rbm] {
        &self.layers
    }

    /// Mean-field top-layer probabilities for every row of `data`.
    pub fn up(&self, data: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let mut x = data.to_owned();
        for rbm in &self.layers {
            x = hidden_probs_of(rbm, x.view())?;
        }
        Ok(x)
    }

    /// Mean-field visible probabilities generated from top-layer states `top`.
    pub fn down(&self, top: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let mut x = top.to_owned();
        for rbm in self.layers.iter().rev() {
            check_len("generative input width", rbm.n_hidden(), x.ncols())?;
            let mut out = Array2::zeros((x.nrows(), rbm.n_visible()));
            let mut h = vec![0.0; rbm.n_hidden()];
            let mut v = vec![0.0; rbm.n_visible()];
            for (row, mut dst) in x.rows().into_iter().zip(out.rows_mut()) {
                h.iter_mut().zip(row).for_each(|(h, x)| *h = *x);
                rbm.visible_probs_into(&h, &mut v)?;
                dst.iter_mut().zip(&v).for_each(|(d, v)| *d = *v);
            }
            x = out;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rbm::Estimator;
    use crate::testutil::rng;

    fn bars_and_stripes() -> Array2<f64> {
        crate::rbm::tests::bars_and_stripes()
    }

    fn config() -> GreedyConfig {
        GreedyConfig {
            hidden_sizes: vec![12, 6],
            training: TrainingConfig {
                estimator: Estimator::ContrastiveDivergence { k: 1 },
                learning_rate: 0.1,
                momentum: 0.5,
                weight_decay: 0.0,
            },
            epochs: 1000,
            batch_size: 14,
            init_std: 0.1,
        }
    }

    fn round_trip_error(dbn: &Dbn, data: &Array2<f64>) -> f64 {
        let top = dbn.up(data.view()).unwrap();
        let back = dbn.down(top.view()).unwrap();
        (&back - data).mapv(|e| e * e).mean().unwrap()
    }

    #[test]
    fn greedy_stack_chains_widths_and_reconstructs_through_the_top() {
        let data = bars_and_stripes();
        let mut r = rng(12);
        let dbn = Dbn::train_greedy(data.view(), &config(), &mut r).unwrap();
        let widths: Vec<(usize, usize)> = dbn
            .layers()
            .iter()
            .map(|l| (l.n_visible(), l.n_hidden()))
            .collect();
        assert_eq!(widths, vec![(9, 12), (12, 6)]);
        assert_eq!(dbn.up(data.view()).unwrap().dim(), (14, 6));
        let untrained = Dbn::from_layers(vec![
            Rbm::new(9, 12, 0.1, &mut r).unwrap(),
            Rbm::new(12, 6, 0.1, &mut r).unwrap(),
        ])
        .unwrap();
        let before = round_trip_error(&untrained, &data);
        let after = round_trip_error(&dbn, &data);
        eprintln!(
            "DBN 9-12-6 up/down reconstruction error: untrained {before:.4}, trained {after:.4}"
        );
        assert!(after < 0.5 * before, "{before} -> {after}");
        // The second layer learned its own input, the first layer's features.
        let features = hidden_probs_of(&dbn.layers()[0], data.view()).unwrap();
        let second = dbn.layers()[1]
            .reconstruction_error(features.view())
            .unwrap();
        let second_untrained = untrained.layers()[1]
            .reconstruction_error(features.view())
            .unwrap();
        assert!(second < second_untrained, "{second_untrained} -> {second}");
    }

    #[test]
    fn mismatched_stacks_and_empty_configs_are_rejected() {
        let mut r = rng(0);
        let a = Rbm::new(4, 3, 0.1, &mut r).unwrap();
        let b = Rbm::new(2, 2, 0.1, &mut r).unwrap();
        assert!(Dbn::from_layers(vec![a, b]).is_err());
        assert!(Dbn::from_layers(vec![]).is_err());
        let mut empty = config();
        empty.hidden_sizes.clear();
        assert!(Dbn::train_greedy(bars_and_stripes().view(), &empty, &mut r).is_err());
    }
}
