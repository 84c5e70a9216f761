//! The compatibility distance δ = c1·E/N + c2·D/N + c3·W̄ (+ c4·P̄ with plasticity,
//! + c5·M̄ with module genes).

use crate::config::NeatConfig;
use crate::gene::PlasticGene;
use crate::genome::Genome;
use crate::module_genes::module_params_distance;

/// Compatibility distance between two genomes (Stanley & Miikkulainen 2002, eq. 1).
///
/// E counts excess genes (past the other genome's last innovation), D disjoint
/// genes, W̄ is the mean absolute weight difference of matching genes, and N is the
/// larger gene count, or 1 when both genomes are smaller than
/// `compat_normalize_min` (the paper uses 20).
///
/// With `plasticity` set, c4·P̄ is added: P̄ is the mean, over matching genes, of
/// the mean absolute difference of their five plasticity coefficients (a missing
/// gene counts as all zeros), and c4 is `plasticity.compat_plastic`.
///
/// With module genes (lifetime modules with `evolve: true`), c5·M̄ is added: see
/// [`module_params_distance`].
pub fn distance(a: &Genome, b: &Genome, config: &NeatConfig) -> f64 {
    let (x, y) = (&a.conns, &b.conns);
    let (mut i, mut j) = (0, 0);
    let (mut matching, mut disjoint) = (0usize, 0usize);
    let mut weight_diff = 0.0;
    let plastic = config.plasticity.as_ref();
    let mut plastic_diff = 0.0;
    while i < x.len() && j < y.len() {
        let (p, q) = (&x[i], &y[j]);
        match p.innovation.cmp(&q.innovation) {
            std::cmp::Ordering::Equal => {
                matching += 1;
                weight_diff += (p.weight - q.weight).abs();
                if plastic.is_some() {
                    plastic_diff += coefficient_difference(p.plastic, q.plastic);
                }
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                disjoint += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                disjoint += 1;
                j += 1;
            }
        }
    }
    let excess = (x.len() - i) + (y.len() - j);
    let longest = x.len().max(y.len());
    let n = if longest < config.compat_normalize_min {
        1.0
    } else {
        longest as f64
    };
    let mean_weight = if matching > 0 {
        weight_diff / matching as f64
    } else {
        0.0
    };
    let delta = config.compat_excess * excess as f64 / n
        + config.compat_disjoint * disjoint as f64 / n
        + config.compat_weight * mean_weight;
    let delta = delta
        + module_params_distance(
            config.module_gene_layout(),
            &config.module_genes,
            &a.module_params,
            &b.module_params,
        );
    match plastic {
        Some(p) if matching > 0 => delta + p.compat_plastic * plastic_diff / matching as f64,
        _ => delta,
    }
}

/// Mean absolute difference of the five coefficients of two genes.
fn coefficient_difference(a: Option<PlasticGene>, b: Option<PlasticGene>) -> f64 {
    let (a, b) = (
        a.unwrap_or(PlasticGene::FROZEN).coefficients(),
        b.unwrap_or(PlasticGene::FROZEN).coefficients(),
    );
    a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64
}

/// A 256-bit set of a genome's innovation numbers (each taken modulo 256): a
/// cheap way for speciation to rule out most species without computing δ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InnovationSketch {
    bits: [u64; 4],
    genes: usize,
}

impl InnovationSketch {
    /// The sketch of `genome`'s connection genes.
    pub fn of(genome: &Genome) -> Self {
        let mut bits = [0u64; 4];
        for c in &genome.conns {
            let bit = (c.innovation % 256) as usize;
            bits[bit / 64] |= 1 << (bit % 64);
        }
        Self {
            bits,
            genes: genome.conns.len(),
        }
    }

    /// A lower bound of E + D, the genes one genome has and the other lacks:
    /// each bit set in one sketch and not in the other stands for at least one
    /// such gene, a different one for every bit.
    #[inline]
    pub fn unshared_at_least(&self, other: &Self) -> u32 {
        self.bits
            .iter()
            .zip(&other.bits)
            .map(|(a, b)| (a ^ b).count_ones())
            .sum()
    }
}

/// Speciation's cheap test: whether δ between two sketched genomes is certainly
/// at least the threshold (never wrongly true). c1·E/N + c2·D/N ≥
/// min(c1, c2)·(E + D)/N, and every other term of δ is non-negative when its
/// coefficient is, so the pair is apart when min(c1, c2)·(1 − 1e-12)·unshared ≥
/// threshold·N; the relative margin of 1e-12 covers the rounding of both sides
/// and of δ. That inequality is kept as a table: for each gene count of the
/// larger genome (which sets N), the fewest unshared genes that satisfy it.
#[derive(Debug, Clone)]
pub struct SketchFilter {
    /// `limits[m]`: the fewest unshared genes that rule out a pair whose larger
    /// genome has `m` genes (`u32::MAX`: none do).
    limits: Vec<u32>,
}

impl SketchFilter {
    /// The test for `threshold` under `config`'s coefficients, for genomes of
    /// up to `max_genes` connection genes (larger ones are never ruled out).
    pub fn new(threshold: f64, config: &NeatConfig, max_genes: usize) -> Self {
        let others_non_negative = config.compat_weight >= 0.0
            && config.module_genes.compat >= 0.0
            && config
                .plasticity
                .as_ref()
                .is_none_or(|p| p.compat_plastic >= 0.0);
        let scale = config.compat_excess.min(config.compat_disjoint) * (1.0 - 1e-12);
        let usable = others_non_negative && scale > 0.0 && threshold.is_finite();
        let limits = (0..=max_genes)
            .map(|m| {
                let n = if m < config.compat_normalize_min {
                    1.0
                } else {
                    m as f64
                };
                // The least k with scale·k ≥ threshold·n, found near the
                // quotient and checked with that very inequality (a sketch has
                // 256 bits, so more unshared genes never show).
                let apart = |k: &u32| usable && scale * f64::from(*k) >= threshold * n;
                let guess = (threshold * n / scale).ceil().clamp(0.0, 256.0) as u32;
                let low = guess.saturating_sub(2);
                match (low..=(guess + 2).min(256)).find(apart) {
                    Some(k) if k > low || low == 0 => k,
                    _ => (0..=256).find(apart).unwrap_or(u32::MAX),
                }
            })
            .collect();
        Self { limits }
    }

    /// Whether `distance` of the two sketched genomes is certainly at least the
    /// threshold.
    #[inline]
    pub fn apart(&self, a: &InnovationSketch, b: &InnovationSketch) -> bool {
        self.limits
            .get(a.genes.max(b.genes))
            .is_some_and(|&limit| a.unshared_at_least(b) >= limit)
    }
}
