//! The half of compiling that depends only on a genome's structure, and a
//! per-thread cache of it.
//!
//! Most genomes of a generation share their structure with others: elites are
//! copies, and most offspring only had their weights mutated. Their
//! [`Layout`] (which nodes are computed, in which order, and which gene feeds
//! which link) is the same, so each thread keeps the layouts it computed last,
//! keyed by the structure itself. A hit costs about one pass over the genes
//! (comparing them with the key); a miss runs the graph analysis
//! ([`Structure`]). Either way the layout is a function of the structure
//! alone, so the network compiled is the same bit for bit.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use sprout_genome::{ConnGene, Genome, NodeGene, NodeId, NodeKind};

use crate::analysis::{Scratch, Structure};

/// How a genome's expressed structure lays out as a network. Value slots:
/// `0..inputs` the inputs, `inputs` the bias, then the computed nodes in
/// evaluation order.
///
/// Its arrays share one allocation (a cache miss costs one, not six).
#[derive(Debug)]
pub(crate) struct Layout {
    /// The arrays below, one after another; `ends[a]` is where array `a` ends.
    data: Box<[u32]>,
    ends: [usize; 6],
    /// Whether some link reads a value of the previous step.
    pub recurrent: bool,
}

/// The arrays of a [`Layout`], in their order in `data`.
const ORDER: usize = 0;
const EDGES_END: usize = 1;
const EDGE_SOURCES: usize = 2;
const EDGE_GENES: usize = 3;
const OUTPUT_SLOTS: usize = 4;
const SLOT_IDS: usize = 5;

/// How much a thread keeps: when either bound is passed, the cache starts
/// over (a generation's structures are then cached again as they come).
const MAX_ENTRIES: usize = 8192;
const MAX_WORDS: usize = 1 << 22;

#[derive(Default)]
struct Cache {
    /// Layouts by [`structure_hash`], each with its key
    /// ([`structure_words`]); structures with the same hash take turns.
    entries: HashMap<u64, Entry, BuildHasherDefault<Prehashed>>,
    /// Key and layout words held.
    words: usize,
    /// The analysis's working memory, kept between misses.
    scratch: Option<Box<Scratch>>,
}

/// A cached structure: its key and its layout.
type Entry = (Box<[u64]>, Arc<Layout>);

/// The hasher of keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

impl Layout {
    /// The layout of `genome`, from this thread's cache when a genome of the
    /// same structure was compiled recently.
    pub fn of(genome: &Genome) -> Arc<Layout> {
        CACHE.with_borrow_mut(|cache| {
            let hash = structure_hash(genome);
            if let Some((key, layout)) = cache.entries.get(&hash)
                && matches(key, genome)
            {
                return Arc::clone(layout);
            }
            let scratch = cache.scratch.take().unwrap_or_default();
            let (layout, scratch) = Self::compute(genome, scratch);
            cache.scratch = Some(scratch);
            let layout = Arc::new(layout);
            let key: Box<[u64]> = structure_words(genome).collect();
            let words = key.len() + layout.data.len();
            if cache.entries.len() >= MAX_ENTRIES || cache.words + words > MAX_WORDS {
                cache.entries.clear();
                cache.words = 0;
            }
            cache.words += words;
            if let Some((old_key, old)) = cache.entries.insert(hash, (key, Arc::clone(&layout))) {
                cache.words -= old_key.len() + old.data.len();
            }
            layout
        })
    }

    /// Array `a` of `data`.
    fn array(&self, a: usize) -> &[u32] {
        let start = if a == 0 { 0 } else { self.ends[a - 1] };
        &self.data[start..self.ends[a]]
    }

    /// The `genome.nodes` index of each computed node, in evaluation order.
    pub fn order(&self) -> &[u32] {
        self.array(ORDER)
    }

    /// Computed node `k`'s links are `edges_end[k - 1]..edges_end[k]`.
    pub fn edges_end(&self) -> &[u32] {
        self.array(EDGES_END)
    }

    /// Source slot of each link.
    pub fn edge_sources(&self) -> &[u32] {
        self.array(EDGE_SOURCES)
    }

    /// `genome.conns` index of each link (its weight and plasticity gene).
    pub fn edge_genes(&self) -> &[u32] {
        self.array(EDGE_GENES)
    }

    /// Slot of each output node, in output order (`u32::MAX`: not computed).
    pub fn output_slots(&self) -> &[u32] {
        self.array(OUTPUT_SLOTS)
    }

    /// The node id in each slot.
    pub fn slot_ids(&self) -> &[NodeId] {
        self.array(SLOT_IDS)
    }

    /// Analyses the structure (in the memory of earlier analyses) and lays
    /// out the live nodes and links.
    fn compute(genome: &Genome, scratch: Box<Scratch>) -> (Self, Box<Scratch>) {
        let mut structure = Structure::reusing(genome, scratch);
        structure.evaluation_order();
        let order = structure.computed_order();
        let fixed = genome.inputs + 1;

        // slot_of[i] = value slot of genome.nodes[i], if the node is kept.
        let mut slot_of = vec![u32::MAX; genome.nodes.len()];
        for (i, slot) in slot_of.iter_mut().enumerate().take(fixed) {
            *slot = i as u32;
        }
        for (k, &i) in order.iter().enumerate() {
            slot_of[i] = (fixed + k) as u32;
        }

        // Each computed node's enabled links from kept nodes, in gene order
        // (innovation order) within its fan-in: (source slot, gene index).
        let mut edges = Vec::new();
        let mut edges_end = Vec::with_capacity(order.len());
        let mut recurrent = false;
        for (k, &i) in order.iter().enumerate() {
            let slot = (fixed + k) as u32;
            for (s, _, gene) in structure.fan_in(i) {
                let source = slot_of[s as usize];
                if source == u32::MAX {
                    continue;
                }
                recurrent |= source >= slot;
                edges.push((source, gene));
            }
            edges_end.push(edges.len() as u32);
        }

        let mut data = Vec::with_capacity(
            2 * order.len() + 2 * edges.len() + genome.outputs + fixed + order.len(),
        );
        let mut ends = [0; 6];
        let mut close = |data: &mut Vec<u32>, a: usize| ends[a] = data.len();
        data.extend(order.iter().map(|&i| i as u32));
        close(&mut data, ORDER);
        data.extend_from_slice(&edges_end);
        close(&mut data, EDGES_END);
        data.extend(edges.iter().map(|&(source, _)| source));
        close(&mut data, EDGE_SOURCES);
        data.extend(edges.iter().map(|&(_, gene)| gene));
        close(&mut data, EDGE_GENES);
        data.extend(
            genome
                .output_ids()
                .map(|id| genome.node_index(id).map_or(u32::MAX, |i| slot_of[i])),
        );
        close(&mut data, OUTPUT_SLOTS);
        let kept = genome.nodes[..fixed]
            .iter()
            .chain(order.iter().map(|&i| &genome.nodes[i]));
        data.extend(kept.map(|n| n.id));
        close(&mut data, SLOT_IDS);
        let layout = Self {
            data: data.into(),
            ends,
            recurrent,
        };
        (layout, structure.into_scratch())
    }
}

/// Everything the layout depends on, as words: the node and gene counts,
/// each node's id and kind, each link's ends (in gene order, so gene indices
/// match) and which links are enabled. Weights, biases and activations are
/// not in it.
fn structure_words(genome: &Genome) -> impl Iterator<Item = u64> + '_ {
    counts(genome)
        .into_iter()
        .chain(genome.nodes.iter().map(node_word))
        .chain(genome.conns.iter().map(link_word))
        .chain(genome.conns.chunks(64).map(enabled_word))
}

/// Whether `key` holds `genome`'s [`structure_words`] (part by part, in
/// tight loops: this runs on every compilation).
fn matches(key: &[u64], genome: &Genome) -> bool {
    let (n, m) = (genome.nodes.len(), genome.conns.len());
    if key.len() != 4 + n + m + m.div_ceil(64) || key[..4] != counts(genome) {
        return false;
    }
    let (nodes, rest) = key[4..].split_at(n);
    let (links, enabled) = rest.split_at(m);
    nodes
        .iter()
        .zip(&genome.nodes)
        .all(|(&w, node)| w == node_word(node))
        && links
            .iter()
            .zip(&genome.conns)
            .all(|(&w, c)| w == link_word(c))
        && enabled
            .iter()
            .zip(genome.conns.chunks(64))
            .all(|(&w, chunk)| w == enabled_word(chunk))
}

fn counts(genome: &Genome) -> [u64; 4] {
    [
        genome.inputs,
        genome.outputs,
        genome.nodes.len(),
        genome.conns.len(),
    ]
    .map(|n| n as u64)
}

fn node_word(node: &NodeGene) -> u64 {
    let kind = match node.kind {
        NodeKind::Input => 0,
        NodeKind::Bias => 1,
        NodeKind::Hidden => 2,
        NodeKind::Output => 3,
    };
    u64::from(node.id) | kind << 32
}

fn link_word(c: &ConnGene) -> u64 {
    u64::from(c.source) << 32 | u64::from(c.target)
}

/// Bit `b`: whether `chunk[b]` is enabled.
fn enabled_word(chunk: &[ConnGene]) -> u64 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |bits, (b, c)| bits | u64::from(c.enabled) << b)
}

/// Where a structure goes in the cache. It skips the input, bias and output
/// nodes, which every genome of a run has alike (the comparison with the
/// cached key still checks them), so a lookup costs a pass over the hidden
/// nodes and the genes, then the comparison.
fn structure_hash(genome: &Genome) -> u64 {
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    let fixed = (genome.inputs + 1 + genome.outputs).min(genome.nodes.len());
    let hidden = genome.nodes[fixed..].iter().map(|n| u64::from(n.id));
    // Four independent lanes, so that the multiplications overlap.
    let mut lanes = [0u64, 1, 2, 3];
    for (i, c) in genome.conns.iter().enumerate() {
        let word = u64::from(c.source) << 33 | u64::from(c.target) << 1 | u64::from(c.enabled);
        lanes[i % 4] = mix(lanes[i % 4], word);
    }
    counts(genome)
        .into_iter()
        .chain(hidden)
        .chain(lanes)
        .fold(0, mix)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use sprout_genome::{Activation, InnovationTracker, NeatConfig, mutation};

    use super::*;

    /// Two inputs, fully linked to one output, and one link split by a hidden
    /// node.
    fn genome() -> Genome {
        let config = NeatConfig::default();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut tracker = InnovationTracker::new(Genome::first_hidden_id(2, 1));
        let mut g = Genome::initial(0, 2, 1, &config, &mut tracker, &mut rng);
        mutation::add_node(&mut g, &config, &mut tracker, &mut rng);
        assert!(g.conns.len() >= 4 && g.nodes.len() == 5, "{g:?}");
        g
    }

    /// The cache trusts a key comparison, not the hash: every structural
    /// difference must make the key differ, and nothing else may.
    #[test]
    fn keys_match_the_same_structure_and_nothing_else() {
        let g = genome();
        let key: Vec<u64> = structure_words(&g).collect();
        assert!(matches(&key, &g));
        let mut same = g.clone();
        same.conns[0].weight = -3.0;
        same.nodes[4].bias = 2.0;
        same.nodes[4].activation = Activation::Relu;
        assert!(matches(&key, &same), "weights, biases and activations");
        let variants: [fn(&mut Genome); 5] = [
            |g| g.conns[1].enabled = !g.conns[1].enabled,
            |g| g.conns[2].source ^= 1,
            |g| g.conns[0].target = 4,
            |g| g.nodes[4].id += 1,
            |g| g.conns.truncate(2),
        ];
        for (i, change) in variants.iter().enumerate() {
            let mut other = g.clone();
            change(&mut other);
            assert!(!matches(&key, &other), "variant {i}");
        }
    }
}
