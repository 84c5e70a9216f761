//! Lifetime plasticity of a compiled network: the genome's plasticity genes in
//! link order, applied after every step, and the genome's weights to return to.

use sprout_genome::{PlasticGene, PlasticityConfig};

/// The plastic part of a [`Network`](crate::Network). It exists only when some
/// live link has a gene with η ≠ 0, so fixed networks never pay for it.
#[derive(Debug, Clone)]
pub(crate) struct Plasticity {
    /// One rule per link, in link order ([`PlasticGene::FROZEN`] for fixed links).
    rules: Vec<PlasticGene>,
    /// The compiled (genome) weights, restored at every reset.
    initial_weights: Vec<f64>,
    /// Weights stay within ±this.
    limit: f64,
    /// Value slot of the modulatory output, when the rule is neuromodulated.
    modulator: Option<usize>,
}

impl Plasticity {
    /// The plasticity of links with these `rules` and initial `weights`, or `None`
    /// when no rule can change a weight.
    pub(crate) fn new(
        rules: Vec<PlasticGene>,
        weights: &[f64],
        config: &PlasticityConfig,
        modulator: Option<usize>,
    ) -> Option<Self> {
        rules.iter().any(|r| r.eta != 0.0).then(|| Self {
            rules,
            initial_weights: weights.to_vec(),
            limit: config.lifetime_weight_limit,
            modulator,
        })
    }

    /// One learning step after an activation: every plastic link (η ≠ 0) moves by
    /// g·η·(A·pre·post + B·pre + C·post + D), with pre its source's value and post
    /// its target's, both after the step, and g = tanh(m/2) of the modulatory
    /// output's value m (or 1 without modulation); then it is clipped to ±limit.
    ///
    /// `targets_end[k]` is the end of computed node k's links, whose value sits in
    /// slot `first + k`.
    #[inline]
    pub(crate) fn learn(
        &self,
        targets_end: impl Iterator<Item = usize>,
        first: usize,
        sources: &[u32],
        weights: &mut [f64],
        values: &[f64],
    ) {
        let gate = match self.modulator {
            Some(slot) => PlasticGene::modulation_gate(values[slot]),
            None => 1.0,
        };
        if gate == 0.0 {
            return;
        }
        let mut start = 0;
        for (k, end) in targets_end.enumerate() {
            let post = values[first + k];
            for e in start..end {
                let rule = &self.rules[e];
                if rule.eta != 0.0 {
                    let pre = values[sources[e] as usize];
                    let w = weights[e] + gate * rule.delta(pre, post);
                    weights[e] = w.clamp(-self.limit, self.limit);
                }
            }
            start = end;
        }
    }

    /// Puts the genome's weights back.
    pub(crate) fn restore(&self, weights: &mut [f64]) {
        weights.copy_from_slice(&self.initial_weights);
    }
}
