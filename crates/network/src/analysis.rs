//! Graph analysis of a genome's expressed (enabled) connections: which nodes
//! matter, in which order to evaluate them, and whether there are cycles.
//!
//! Compiling a genome is part of every evaluation, so this works on flat
//! adjacency arrays (compressed rows) rather than a general graph library. The
//! evaluation order is the one petgraph's `tarjan_scc` gave when Sprout used it,
//! down to the order of independent components (a test in
//! `tests/compile.rs` checks that against petgraph on random genomes), so
//! networks lay out their slots as before.

use sprout_genome::{Genome, NodeId, NodeKind};

/// The working memory of an analysis, kept between compilations (see
/// [`Structure::reusing`]) so that the analysis itself allocates nothing.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The nodes that take part: outputs and the ends of expressed links
    /// (`genome.nodes` indices, in order). A node outside them (an unlinked
    /// input, a hidden node left without links) is a component of its own that
    /// no order contains, so the searches below skip it: they run on positions
    /// in this list ("active" indices), which keep node order.
    active: Vec<u32>,
    /// Node index → active index (`u32::MAX`: not active).
    active_of: Vec<u32>,
    /// Each expressed link as (source, target, gene index), active indices, in
    /// gene order.
    edges: Vec<(u32, u32, u32)>,
    /// Active node `i`'s link targets are `out[out_start[i]..out_start[i + 1]]`,
    /// the newest gene first (the neighbour order of petgraph's graphs, which
    /// fixes the order of independent components in the evaluation order).
    out_start: Vec<u32>,
    out: Vec<u32>,
    /// Active node `i`'s incoming links are `edges[inc[k]]` for `k` in
    /// `in_start[i]..in_start[i + 1]`, in gene order.
    in_start: Vec<u32>,
    inc: Vec<u32>,
    /// Per active node: an output, or a hidden node with a path to one.
    live: Vec<bool>,
    /// Per node: [`Structure::live`]'s answer.
    live_nodes: Vec<bool>,
    order: Vec<usize>,
    // Working vectors of the searches.
    seen: Vec<bool>,
    stack: Vec<u32>,
    root_index: Vec<usize>,
    local_root: Vec<bool>,
    members: Vec<u32>,
    bounds: Vec<u32>,
    frames: Vec<(u32, u32)>,
    component_of: Vec<u32>,
    depth: Vec<u32>,
    /// Counting-sort buckets of component depths.
    by_depth: Vec<u32>,
    /// Components that hold computed nodes, then the same sorted by depth.
    component: Vec<u32>,
    sorted: Vec<u32>,
}

/// A genome's expressed structure. Node `i` is `genome.nodes[i]`.
#[derive(Debug)]
pub struct Structure<'a> {
    genome: &'a Genome,
    s: Box<Scratch>,
}

/// Fills compressed rows: `start[row]..start[row + 1]` indexes `columns`, and
/// each row keeps its columns in the order `pairs` gives them.
fn rows(
    nodes: usize,
    pairs: impl Iterator<Item = (u32, u32)> + Clone,
    start: &mut Vec<u32>,
    columns: &mut Vec<u32>,
) {
    start.clear();
    start.resize(nodes + 1, 0);
    for (row, _) in pairs.clone() {
        start[row as usize + 1] += 1;
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    columns.clear();
    columns.resize(start[nodes] as usize, 0);
    // `start[row]` serves as the row's cursor, which ends at the next row's
    // start; shifting by one then restores the starts.
    for (row, column) in pairs {
        columns[start[row as usize] as usize] = column;
        start[row as usize] += 1;
    }
    start.copy_within(0..nodes, 1);
    start[0] = 0;
}

impl<'a> Structure<'a> {
    /// Builds the adjacency of enabled connections (links naming a missing node
    /// are left out).
    pub fn new(genome: &'a Genome) -> Self {
        Self::reusing(genome, Box::default())
    }

    /// [`Structure::new`], in the memory of an earlier analysis
    /// ([`Structure::into_scratch`]).
    pub fn reusing(genome: &'a Genome, mut s: Box<Scratch>) -> Self {
        let n = genome.nodes.len();
        s.active_of.clear();
        s.active_of.resize(n, u32::MAX);
        s.edges.clear();
        for (gene, c) in genome.conns.iter().enumerate().filter(|(_, c)| c.enabled) {
            if let (Some(source), Some(target)) =
                (genome.node_index(c.source), genome.node_index(c.target))
            {
                s.edges.push((source as u32, target as u32, gene as u32));
                s.active_of[source] = 0;
                s.active_of[target] = 0;
            }
        }
        for output in genome.output_ids() {
            if let Some(i) = genome.node_index(output) {
                s.active_of[i] = 0;
            }
        }
        s.active.clear();
        for i in 0..n {
            if s.active_of[i] != u32::MAX {
                s.active_of[i] = s.active.len() as u32;
                s.active.push(i as u32);
            }
        }
        for edge in &mut s.edges {
            edge.0 = s.active_of[edge.0 as usize];
            edge.1 = s.active_of[edge.1 as usize];
        }
        let k = s.active.len();
        let edges = &s.edges;
        rows(
            k,
            edges.iter().rev().map(|&(s, t, _)| (s, t)),
            &mut s.out_start,
            &mut s.out,
        );
        let incoming = edges
            .iter()
            .enumerate()
            .map(|(e, &(_, t, _))| (t, e as u32));
        rows(k, incoming, &mut s.in_start, &mut s.inc);
        Self { genome, s }
    }

    /// Gives back the memory, for the next [`Structure::reusing`].
    pub fn into_scratch(self) -> Box<Scratch> {
        self.s
    }

    /// The expressed links into node `node` as (source node index, target node
    /// index, gene index), in gene order.
    pub fn fan_in(&self, node: usize) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let range = match self.s.active_of.get(node) {
            Some(&a) if a != u32::MAX => {
                self.s.in_start[a as usize] as usize..self.s.in_start[a as usize + 1] as usize
            }
            _ => 0..0,
        };
        self.s.inc[range].iter().map(|&e| {
            let (source, target, gene) = self.s.edges[e as usize];
            (
                self.s.active[source as usize],
                self.s.active[target as usize],
                gene,
            )
        })
    }

    /// `live[i]` is true when `genome.nodes[i]` is an input, the bias, an output, or
    /// a hidden node with a path to an output. Other hidden nodes cannot affect
    /// behaviour and are dropped when compiling.
    pub fn live(&mut self) -> &[bool] {
        self.mark_live();
        let s = &mut self.s;
        s.live_nodes.clear();
        s.live_nodes.extend(
            self.genome
                .nodes
                .iter()
                .zip(&s.active_of)
                .map(|(node, &a)| {
                    node.kind != NodeKind::Hidden || (a != u32::MAX && s.live[a as usize])
                }),
        );
        &self.s.live_nodes
    }

    /// Which active nodes are outputs or reach one (`live`).
    fn mark_live(&mut self) {
        let genome = self.genome;
        let s = &mut self.s;
        let k = s.active.len();
        s.live.clear();
        s.live.resize(k, false);
        s.seen.clear();
        s.seen.resize(k, false);
        s.stack.clear();
        for output in genome.output_ids() {
            if let Some(i) = genome.node_index(output) {
                let a = s.active_of[i];
                s.stack.push(a);
                s.seen[a as usize] = true;
            }
        }
        while let Some(node) = s.stack.pop() {
            let node = node as usize;
            s.live[node] = true;
            for k in s.in_start[node] as usize..s.in_start[node + 1] as usize {
                let source = s.edges[s.inc[k] as usize].0;
                if !s.seen[source as usize] {
                    s.seen[source as usize] = true;
                    s.stack.push(source);
                }
            }
        }
    }

    /// Indices (into `genome.nodes`) of the live hidden and output nodes in
    /// evaluation order: strongly connected components in topological order, and
    /// within a component by node index. For a feed-forward genome this is a
    /// topological order; for a recurrent one, links inside a component read the
    /// value of the previous step when their source comes later.
    ///
    /// Components are grouped by depth (longest path from the inputs), so that
    /// neighbours in the order rarely depend on each other and the CPU can
    /// overlap their activations.
    pub fn evaluation_order(&mut self) -> &[usize] {
        self.mark_live();
        self.components();
        let genome = self.genome;
        let s = &mut self.s;
        // Components in topological order (Tarjan's come in reverse).
        let count = s.bounds.len() - 1;
        let topological = |c: usize| count - 1 - c;
        let members = |s: &Scratch, c: usize| s.bounds[c] as usize..s.bounds[c + 1] as usize;
        s.component_of.clear();
        s.component_of.resize(s.active.len(), 0);
        for c in 0..count {
            for k in members(s, c) {
                s.component_of[s.members[k] as usize] = topological(c) as u32;
            }
        }
        s.depth.clear();
        s.depth.resize(count, 0);
        for t in 0..count {
            for k in members(s, topological(t)) {
                let n = s.members[k] as usize;
                for i in s.in_start[n] as usize..s.in_start[n + 1] as usize {
                    let source = s.edges[s.inc[i] as usize].0;
                    let sc = s.component_of[source as usize] as usize;
                    if sc != t {
                        s.depth[t] = s.depth[t].max(s.depth[sc] + 1);
                    }
                }
            }
        }
        // The components that hold a live hidden or output node (a component of
        // several nodes is a cycle, so never an input), in topological order,
        // then stably by depth (a counting sort): components of equal depth
        // keep their topological order.
        let computed = |s: &Scratch, a: u32| {
            s.live[a as usize]
                && matches!(
                    genome.nodes[s.active[a as usize] as usize].kind,
                    NodeKind::Hidden | NodeKind::Output
                )
        };
        s.component.clear();
        for t in 0..count {
            let range = members(s, topological(t));
            if range.len() > 1 || computed(s, s.members[range.start]) {
                s.component.push(t as u32);
            }
        }
        let deepest = s.component.iter().map(|&t| s.depth[t as usize]).max();
        s.by_depth.clear();
        s.by_depth.resize(deepest.map_or(0, |d| d as usize + 2), 0);
        for &t in &s.component {
            s.by_depth[s.depth[t as usize] as usize + 1] += 1;
        }
        for d in 1..s.by_depth.len() {
            s.by_depth[d] += s.by_depth[d - 1];
        }
        s.sorted.clear();
        s.sorted.resize(s.component.len(), 0);
        for &t in &s.component {
            let slot = &mut s.by_depth[s.depth[t as usize] as usize];
            s.sorted[*slot as usize] = t;
            *slot += 1;
        }
        s.order.clear();
        for i in 0..s.sorted.len() {
            let range = members(s, topological(s.sorted[i] as usize));
            if range.len() == 1 {
                s.order
                    .push(s.active[s.members[range.start] as usize] as usize);
                continue;
            }
            let start = s.order.len();
            for k in range {
                if computed(s, s.members[k]) {
                    s.order.push(s.active[s.members[k] as usize] as usize);
                }
            }
            s.order[start..].sort_unstable();
        }
        &self.s.order
    }

    /// What the last [`Structure::evaluation_order`] returned.
    pub(crate) fn computed_order(&self) -> &[usize] {
        &self.s.order
    }

    /// The strongly connected components of the active nodes in reverse
    /// topological order, into `members` (component `c` is
    /// `members[bounds[c]..bounds[c + 1]]`, active indices).
    ///
    /// Pearce's space-efficient variant of Tarjan's algorithm ("A
    /// space-efficient algorithm for finding strongly connected components",
    /// 2016), as petgraph implements it, made iterative: roots are visited in
    /// node order and successors newest link first, so the components come out
    /// in petgraph's order.
    fn components(&mut self) {
        let s = &mut self.s;
        let n = s.active.len();
        // 0: not visited; then the visit index; then, once assigned, a
        // component number counting down from usize::MAX.
        s.root_index.clear();
        s.root_index.resize(n, 0);
        s.local_root.clear();
        s.local_root.resize(n, true);
        let mut index = 1usize;
        let mut component_number = usize::MAX;
        s.stack.clear();
        s.members.clear();
        s.bounds.clear();
        s.bounds.push(0);
        // The recursion: (node, position in its successor list).
        s.frames.clear();
        for root in 0..n {
            if s.root_index[root] != 0 {
                continue;
            }
            if s.out_start[root] == s.out_start[root + 1] {
                // A node without links out (an unconnected input, say) is a
                // component of its own, and the visit leaves `index` as it was.
                s.root_index[root] = component_number;
                component_number -= 1;
                s.members.push(root as u32);
                s.bounds.push(s.members.len() as u32);
                continue;
            }
            s.root_index[root] = index;
            index += 1;
            s.frames.push((root as u32, s.out_start[root]));
            while let Some(frame) = s.frames.last_mut() {
                let v = frame.0 as usize;
                if frame.1 < s.out_start[v + 1] {
                    let w = s.out[frame.1 as usize] as usize;
                    if s.root_index[w] == 0 {
                        s.root_index[w] = index;
                        index += 1;
                        s.frames.push((w as u32, s.out_start[w]));
                        continue;
                    }
                    // Back from w (or w seen before): inherit a lower root.
                    frame.1 += 1;
                    if s.root_index[w] < s.root_index[v] {
                        s.root_index[v] = s.root_index[w];
                        s.local_root[v] = false;
                    }
                    continue;
                }
                s.frames.pop();
                if !s.local_root[v] {
                    s.stack.push(v as u32);
                    continue;
                }
                // v roots a component: it and the stack's tail above v's index.
                let mut adjustment = 1;
                let mut start = s.stack.len();
                while start > 0 && s.root_index[v] <= s.root_index[s.stack[start - 1] as usize] {
                    start -= 1;
                    s.root_index[s.stack[start] as usize] = component_number;
                    adjustment += 1;
                }
                s.root_index[v] = component_number;
                s.stack.push(v as u32);
                s.members.extend_from_slice(&s.stack[start..]);
                s.bounds.push(s.members.len() as u32);
                s.stack.truncate(start);
                index -= adjustment;
                component_number -= 1;
            }
        }
    }

    /// Whether the expressed connections contain a cycle (a self-loop counts).
    pub fn has_cycle(&mut self) -> bool {
        self.components();
        self.s.bounds.len() - 1 < self.s.active.len()
            || self.s.edges.iter().any(|&(s, t, _)| s == t)
    }

    /// Ids of hidden nodes with no path to an output.
    pub fn dead_nodes(&mut self) -> Vec<NodeId> {
        let genome = self.genome;
        genome
            .nodes
            .iter()
            .zip(self.live())
            .filter(|(_, l)| !**l)
            .map(|(n, _)| n.id)
            .collect()
    }
}
