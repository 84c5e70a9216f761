//! Which nodes a genome's connections lead to: the cycle test behind
//! feed-forward mutation, crossover and validation.

use std::collections::{HashMap, HashSet};

use crate::gene::NodeId;
use crate::genome::Genome;

/// A genome's connections, enabled or not (a toggle may enable them later), as
/// successor lists by node id. It stays current as connections are added, so
/// crossover asks about every gene it takes from the second parent without
/// rescanning the genome: a rescan per question (or a scan of every connection
/// per node reached, before) made crossover quadratic or worse in the genome's
/// size, most of a generation's time once shifting-controls platformer genomes
/// grew to ~2,000 connections.
pub struct Reach {
    successors: HashMap<NodeId, Vec<NodeId>>,
    stack: Vec<NodeId>,
    seen: HashSet<NodeId>,
}

impl Reach {
    /// The connections of `genome`.
    pub fn of(genome: &Genome) -> Self {
        let mut reach = Self {
            successors: HashMap::with_capacity(genome.nodes.len()),
            stack: Vec::new(),
            seen: HashSet::new(),
        };
        for c in &genome.conns {
            reach.add(c.source, c.target);
        }
        reach
    }

    /// Records a connection `source → target`.
    pub fn add(&mut self, source: NodeId, target: NodeId) {
        self.successors.entry(source).or_default().push(target);
    }

    /// Whether a path `from → … → to` exists (always, from a node to itself).
    pub fn path_exists(&mut self, from: NodeId, to: NodeId) -> bool {
        if from == to {
            return true;
        }
        self.stack.clear();
        self.seen.clear();
        self.stack.push(from);
        self.seen.insert(from);
        while let Some(node) = self.stack.pop() {
            for &next in self.successors.get(&node).map_or(&[][..], Vec::as_slice) {
                if next == to {
                    return true;
                }
                if self.seen.insert(next) {
                    self.stack.push(next);
                }
            }
        }
        false
    }
}
