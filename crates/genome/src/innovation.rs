//! Historical markings: the same structural mutation gets the same numbers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::gene::{Innovation, NodeId};

/// The node and the two links made by splitting one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// The new hidden node.
    pub node: NodeId,
    /// Innovation of source → node.
    pub incoming: Innovation,
    /// Innovation of node → target.
    pub outgoing: Innovation,
}

/// Hands out innovation numbers and node ids for a whole run.
///
/// A link between the same two nodes always gets the same innovation, and splitting
/// the same connection always yields the same node, whichever genome does it and in
/// whichever generation. That is stricter than the paper's per-generation list, and
/// it keeps crossover aligned across generations. The tracker is part of every
/// checkpoint, so a resumed run numbers genes exactly as the uninterrupted one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InnovationTracker {
    next_innovation: Innovation,
    next_node: NodeId,
    links: BTreeMap<(NodeId, NodeId), Innovation>,
    splits: BTreeMap<Innovation, Split>,
}

impl InnovationTracker {
    /// A tracker whose first fresh node id is `first_hidden_node`.
    pub fn new(first_hidden_node: NodeId) -> Self {
        Self {
            next_innovation: 0,
            next_node: first_hidden_node,
            links: BTreeMap::new(),
            splits: BTreeMap::new(),
        }
    }

    /// The innovation number of the link `source → target`.
    pub fn link(&mut self, source: NodeId, target: NodeId) -> Innovation {
        let next = &mut self.next_innovation;
        *self.links.entry((source, target)).or_insert_with(|| {
            let innovation = *next;
            *next += 1;
            innovation
        })
    }

    /// The node and links made by splitting the connection `innovation`
    /// (`source → target`). `node_taken` says whether the genome already holds the
    /// remembered node (it split this connection before, then re-enabled it); then a
    /// fresh node is made for this genome alone.
    pub fn split(
        &mut self,
        innovation: Innovation,
        source: NodeId,
        target: NodeId,
        node_taken: impl Fn(NodeId) -> bool,
    ) -> Split {
        if let Some(split) = self.splits.get(&innovation).copied()
            && !node_taken(split.node)
        {
            return split;
        }
        let node = self.fresh_node();
        let split = Split {
            node,
            incoming: self.link(source, node),
            outgoing: self.link(node, target),
        };
        self.splits.entry(innovation).or_insert(split);
        split
    }

    fn fresh_node(&mut self) -> NodeId {
        let node = self.next_node;
        self.next_node += 1;
        node
    }

    /// How many innovation numbers have been handed out.
    pub fn innovations(&self) -> Innovation {
        self.next_innovation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_link_gets_same_innovation() {
        let mut t = InnovationTracker::new(10);
        let a = t.link(1, 5);
        let b = t.link(2, 5);
        assert_ne!(a, b);
        assert_eq!(t.link(1, 5), a);
    }

    #[test]
    fn same_split_gets_same_node_and_links() {
        let mut t = InnovationTracker::new(10);
        let c = t.link(0, 3);
        let first = t.split(c, 0, 3, |_| false);
        let second = t.split(c, 0, 3, |_| false);
        assert_eq!(first, second);
        assert_eq!(first.node, 10);
    }

    #[test]
    fn resplit_in_a_genome_holding_the_node_gets_a_fresh_node() {
        let mut t = InnovationTracker::new(10);
        let c = t.link(0, 3);
        let first = t.split(c, 0, 3, |_| false);
        let again = t.split(c, 0, 3, |n| n == first.node);
        assert_ne!(first.node, again.node);
        assert_ne!(first.incoming, again.incoming);
    }
}
