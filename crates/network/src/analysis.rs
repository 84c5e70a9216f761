//! Graph analysis of a genome's expressed (enabled) connections, with petgraph:
//! which nodes matter, in which order to evaluate them, and whether there are
//! cycles.

use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};
use sprout_genome::{Genome, NodeId, NodeKind};

/// A genome's expressed structure as a petgraph graph. Node weights are node ids;
/// graph index `i` is `genome.nodes[i]`.
pub struct Structure<'a> {
    genome: &'a Genome,
    graph: DiGraph<NodeId, f64>,
}

impl<'a> Structure<'a> {
    /// Builds the graph of enabled connections.
    pub fn new(genome: &'a Genome) -> Self {
        let mut graph = DiGraph::with_capacity(genome.nodes.len(), genome.conns.len());
        for node in &genome.nodes {
            graph.add_node(node.id);
        }
        for c in genome.conns.iter().filter(|c| c.enabled) {
            if let (Some(s), Some(t)) = (genome.node_index(c.source), genome.node_index(c.target)) {
                graph.add_edge(NodeIndex::new(s), NodeIndex::new(t), c.weight);
            }
        }
        Self { genome, graph }
    }

    /// `live[i]` is true when `genome.nodes[i]` is an input, the bias, an output, or
    /// a hidden node with a path to an output. Other hidden nodes cannot affect
    /// behaviour and are dropped when compiling.
    pub fn live(&self) -> Vec<bool> {
        let mut live: Vec<bool> = self
            .genome
            .nodes
            .iter()
            .map(|n| n.kind != NodeKind::Hidden)
            .collect();
        let reversed = Reversed(&self.graph);
        for output in self.genome.output_ids() {
            if let Some(i) = self.genome.node_index(output) {
                let mut dfs = Dfs::new(reversed, NodeIndex::new(i));
                while let Some(n) = dfs.next(reversed) {
                    live[n.index()] = true;
                }
            }
        }
        live
    }

    /// Indices (into `genome.nodes`) of the live hidden and output nodes in
    /// evaluation order: strongly connected components in topological order, and
    /// within a component by node id. For a feed-forward genome this is a
    /// topological order; for a recurrent one, links inside a component read the
    /// value of the previous step when their source comes later.
    ///
    /// Components are grouped by depth (longest path from the inputs), so that
    /// neighbours in the order rarely depend on each other and the CPU can
    /// overlap their activations.
    pub fn evaluation_order(&self, live: &[bool]) -> Vec<usize> {
        // tarjan_scc yields components in reverse topological order.
        let mut components = tarjan_scc(&self.graph);
        components.reverse();
        let mut component_of = vec![0usize; self.graph.node_count()];
        for (c, members) in components.iter().enumerate() {
            for n in members {
                component_of[n.index()] = c;
            }
        }
        let mut depth = vec![0usize; components.len()];
        for (c, members) in components.iter().enumerate() {
            for &n in members {
                for source in self.graph.neighbors_directed(n, Direction::Incoming) {
                    let sc = component_of[source.index()];
                    if sc != c {
                        depth[c] = depth[c].max(depth[sc] + 1);
                    }
                }
            }
        }
        let mut by_depth: Vec<usize> = (0..components.len()).collect();
        by_depth.sort_by_key(|&c| depth[c]);
        let mut order = Vec::with_capacity(self.graph.node_count());
        for c in by_depth {
            let component = &mut components[c];
            component.sort_unstable();
            for n in component.iter() {
                let kind = self.genome.nodes[n.index()].kind;
                if live[n.index()] && matches!(kind, NodeKind::Hidden | NodeKind::Output) {
                    order.push(n.index());
                }
            }
        }
        order
    }

    /// Whether the expressed connections contain a cycle (a self-loop counts).
    pub fn has_cycle(&self) -> bool {
        petgraph::algo::is_cyclic_directed(&self.graph)
    }

    /// Ids of hidden nodes with no path to an output.
    pub fn dead_nodes(&self) -> Vec<NodeId> {
        let live = self.live();
        self.genome
            .nodes
            .iter()
            .zip(&live)
            .filter(|(_, l)| !**l)
            .map(|(n, _)| n.id)
            .collect()
    }
}
