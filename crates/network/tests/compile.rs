//! The compiled network computes what the genome describes.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    ConnGene, Genome, InitialConnection, InnovationTracker, NeatConfig, NodeGene, NodeKind,
    mutation,
};
use sprout_network::{Network, Structure, activate, to_dot};

fn grown_genome(seed: u64, steps: usize, feed_forward: bool) -> Genome {
    grown_genome_with_inputs(seed, steps, feed_forward, 3)
}

fn grown_genome_with_inputs(seed: u64, steps: usize, feed_forward: bool, inputs: usize) -> Genome {
    let config = NeatConfig {
        // With many inputs, grow from sparse links, as the platformer does.
        initial_connection: if inputs > 3 {
            InitialConnection::Partial(0.2)
        } else {
            InitialConnection::Full
        },
        feed_forward,
        add_node_prob: 0.5,
        add_connection_prob: 0.8,
        toggle_enable_prob: 0.1,
        bias_mutation_prob: 0.5,
        ..NeatConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(inputs, 2));
    let mut g = Genome::initial(0, inputs, 2, &config, &mut tracker, &mut rng);
    for _ in 0..steps {
        mutation::mutate(&mut g, &config, &mut tracker, &mut rng);
    }
    g
}

/// Straight from the definition: value(n) = act(bias + Σ w·value(source)).
fn reference_value(g: &Genome, id: u32, inputs: &[f64]) -> f64 {
    let node = g.node(id).unwrap();
    match node.kind {
        NodeKind::Input => inputs[id as usize],
        NodeKind::Bias => 1.0,
        _ => {
            let sum: f64 = g
                .conns
                .iter()
                .filter(|c| c.enabled && c.target == id)
                .map(|c| c.weight * reference_value(g, c.source, inputs))
                .sum();
            activate(node.activation, node.bias + sum)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn feed_forward_network_matches_the_definition(
        seed in any::<u64>(),
        steps in 0usize..40,
        inputs in prop::array::uniform3(-2.0f64..2.0),
    ) {
        let g = grown_genome(seed, steps, true);
        let mut net = Network::compile(&g);
        prop_assert!(!net.is_recurrent());
        let got = net.activate(&inputs).to_vec();
        for (k, id) in g.output_ids().enumerate() {
            let want = reference_value(&g, id, &inputs);
            prop_assert!((got[k] - want).abs() < 1e-9, "output {k}: {} vs {}", got[k], want);
        }
    }

    #[test]
    fn recurrent_network_is_deterministic_after_reset(seed in any::<u64>(), steps in 0usize..40) {
        let g = grown_genome(seed, steps, false);
        let mut net = Network::compile(&g);
        let run = |net: &mut Network| -> Vec<u64> {
            net.reset();
            (0..10)
                .flat_map(|t| net.activate(&[t as f64 * 0.1, -0.5, 1.0]).to_vec())
                .map(f64::to_bits)
                .collect()
        };
        let first = run(&mut net);
        prop_assert_eq!(first, run(&mut net));
    }
}

fn node(id: u32, kind: NodeKind) -> NodeGene {
    NodeGene {
        id,
        kind,
        activation: sprout_genome::Activation::Identity,
        bias: 0.0,
    }
}

fn link(innovation: u64, source: u32, target: u32, weight: f64) -> ConnGene {
    ConnGene {
        innovation,
        source,
        target,
        weight,
        enabled: true,
        plastic: None,
    }
}

/// Input 0, bias 1 and output 2 (identity), linked by `conns`.
fn one_input_one_output(conns: Vec<ConnGene>) -> Genome {
    Genome {
        id: 0,
        inputs: 1,
        outputs: 1,
        nodes: vec![
            node(0, NodeKind::Input),
            node(1, NodeKind::Bias),
            node(2, NodeKind::Output),
        ],
        conns,
        module_params: Vec::new(),
    }
}

/// Each thread caches layouts by structure; a genome that differs from a
/// cached one only in which links are enabled must not reuse its layout.
#[test]
fn a_disabled_link_is_not_compiled_from_its_enabled_twins_cached_layout() {
    let mut g = one_input_one_output(vec![link(0, 0, 2, 2.0), link(1, 1, 2, 0.5)]);
    assert_eq!(Network::compile(&g).activate(&[1.0]), [2.5]);
    g.conns[0].enabled = false;
    let mut network = Network::compile(&g);
    assert_eq!(network.connections(), 1);
    assert_eq!(network.activate(&[1.0]), [0.5]);
    // And a weight change alone reuses the layout with the new weight.
    g.conns[1].weight = -1.0;
    assert_eq!(Network::compile(&g).activate(&[1.0]), [-1.0]);
}

#[test]
fn nodes_that_cannot_reach_an_output_are_dropped() {
    // in0 → h3 → out2, and in0 → h4 (dead end).
    let mut g = one_input_one_output(vec![
        link(0, 0, 3, 2.0),
        link(1, 3, 2, 3.0),
        link(2, 0, 4, 1.0),
    ]);
    g.nodes
        .extend([node(3, NodeKind::Hidden), node(4, NodeKind::Hidden)]);
    g.check(true).unwrap();
    let mut net = Network::compile(&g);
    assert_eq!(net.computed_nodes(), 2);
    assert_eq!(net.connections(), 2);
    assert_eq!(net.activate(&[1.5]), &[9.0]);
    assert_eq!(Structure::new(&g).dead_nodes(), vec![4]);
}

#[test]
fn a_self_loop_carries_memory_until_reset() {
    // out2 = in0 + 0.5·out2(previous step): an exponential moving sum.
    let g = one_input_one_output(vec![link(0, 0, 2, 1.0), link(1, 2, 2, 0.5)]);
    let mut net = Network::compile(&g);
    assert!(net.is_recurrent());
    assert!(Structure::new(&g).has_cycle());
    assert_eq!(net.activate(&[1.0]), &[1.0]);
    assert_eq!(net.activate(&[0.0]), &[0.5]);
    assert_eq!(net.activate(&[0.0]), &[0.25]);
    net.reset();
    assert_eq!(net.activate(&[0.0]), &[0.0]);
}

#[test]
fn dot_export_names_every_node_and_link() {
    let g = grown_genome(7, 20, true);
    let dot = to_dot(&g);
    assert!(dot.starts_with("digraph genome {"));
    for n in &g.nodes {
        assert!(dot.contains(&format!("  n{} [", n.id)));
    }
    assert_eq!(dot.matches(" -> ").count(), g.conns.len());
}

#[test]
fn synchronous_stepping_delays_every_link_by_one_step() {
    // in0 → h3 → out2, plus a self-loop on out2 so the genome is recurrent.
    let g = Genome {
        id: 0,
        inputs: 1,
        outputs: 1,
        nodes: vec![
            node(0, NodeKind::Input),
            node(1, NodeKind::Bias),
            node(2, NodeKind::Output),
            node(3, NodeKind::Hidden),
        ],
        conns: vec![link(0, 0, 3, 1.0), link(1, 3, 2, 1.0), link(2, 2, 2, 0.0)],
        module_params: Vec::new(),
    };
    let mut ordered = Network::compile_with(&g, sprout_genome::Stepping::Ordered);
    let mut synchronous = Network::compile_with(&g, sprout_genome::Stepping::Synchronous);
    // Ordered: the input reaches the output within the step.
    assert_eq!(ordered.activate(&[5.0]), &[5.0]);
    // Synchronous: one step per link, so two steps from input to output.
    assert_eq!(synchronous.activate(&[5.0]), &[0.0]);
    assert_eq!(synchronous.activate(&[7.0]), &[5.0]);
    assert_eq!(synchronous.activate(&[0.0]), &[7.0]);
    synchronous.reset();
    assert_eq!(synchronous.activate(&[1.0]), &[0.0]);
}

#[test]
fn feed_forward_genomes_ignore_synchronous_stepping() {
    let g = grown_genome(11, 20, true);
    let mut a = Network::compile_with(&g, sprout_genome::Stepping::Ordered);
    let mut b = Network::compile_with(&g, sprout_genome::Stepping::Synchronous);
    assert_eq!(a.activate(&[0.3, -0.2, 0.9]), b.activate(&[0.3, -0.2, 0.9]));
}

#[test]
fn the_bias_node_holds_the_configured_value_across_resets() {
    // out2 = 3·bias + in0.
    let g = one_input_one_output(vec![link(0, 0, 2, 1.0), link(1, 1, 2, 3.0)]);
    let neat = sprout_genome::NeatConfig {
        bias_value: 0.5,
        ..sprout_genome::NeatConfig::default()
    };
    let mut net = Network::compile_for(&g, &neat);
    assert_eq!(net.activate(&[1.0]), &[2.5]);
    net.reset();
    assert_eq!(net.activate(&[0.0]), &[1.5]);
    net.reset_state();
    assert_eq!(net.activate(&[0.0]), &[1.5]);
    assert_eq!(Network::compile(&g).activate(&[0.0]), &[3.0]);
}

/// The analysis Sprout compiled with when it used petgraph (live nodes, then
/// Tarjan's components reversed, grouped by depth by a stable sort, each sorted
/// by node index): the oracle for `Structure`, whose order fixes every
/// network's slot layout.
mod petgraph_oracle {
    use petgraph::Direction;
    use petgraph::algo::tarjan_scc;
    use petgraph::graph::{DiGraph, NodeIndex};
    use petgraph::visit::{Dfs, Reversed};
    use sprout_genome::{Genome, NodeKind};

    pub fn graph(genome: &Genome) -> DiGraph<u32, ()> {
        let mut graph = DiGraph::new();
        for node in &genome.nodes {
            graph.add_node(node.id);
        }
        for c in genome.conns.iter().filter(|c| c.enabled) {
            if let (Some(s), Some(t)) = (genome.node_index(c.source), genome.node_index(c.target)) {
                graph.add_edge(NodeIndex::new(s), NodeIndex::new(t), ());
            }
        }
        graph
    }

    pub fn live(genome: &Genome) -> Vec<bool> {
        let graph = graph(genome);
        let mut live: Vec<bool> = genome
            .nodes
            .iter()
            .map(|n| n.kind != NodeKind::Hidden)
            .collect();
        let reversed = Reversed(&graph);
        for output in genome.output_ids() {
            let mut dfs = Dfs::new(reversed, NodeIndex::new(genome.node_index(output).unwrap()));
            while let Some(n) = dfs.next(reversed) {
                live[n.index()] = true;
            }
        }
        live
    }

    pub fn evaluation_order(genome: &Genome, live: &[bool]) -> Vec<usize> {
        let graph = graph(genome);
        let mut components = tarjan_scc(&graph);
        components.reverse();
        let mut component_of = vec![0usize; graph.node_count()];
        for (c, members) in components.iter().enumerate() {
            for n in members {
                component_of[n.index()] = c;
            }
        }
        let mut depth = vec![0usize; components.len()];
        for (c, members) in components.iter().enumerate() {
            for &n in members {
                for source in graph.neighbors_directed(n, Direction::Incoming) {
                    let sc = component_of[source.index()];
                    if sc != c {
                        depth[c] = depth[c].max(depth[sc] + 1);
                    }
                }
            }
        }
        let mut by_depth: Vec<usize> = (0..components.len()).collect();
        by_depth.sort_by_key(|&c| depth[c]);
        let mut order = Vec::new();
        for c in by_depth {
            let component = &mut components[c];
            component.sort_unstable();
            for n in component.iter() {
                let kind = genome.nodes[n.index()].kind;
                if live[n.index()] && matches!(kind, NodeKind::Hidden | NodeKind::Output) {
                    order.push(n.index());
                }
            }
        }
        order
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fresh_activations_side_by_side_equal_reset_then_activate_bit_for_bit(
        seed in any::<u64>(),
        steps in 0usize..60,
        feed_forward in any::<bool>(),
        observations in prop::collection::vec(prop::array::uniform3(-3.0f64..3.0), 0..11),
    ) {
        let g = grown_genome(seed, steps, feed_forward);
        let mut one_by_one = Network::compile(&g);
        let want: Vec<u64> = observations
            .iter()
            .flat_map(|o| {
                one_by_one.reset();
                one_by_one.activate(o).to_vec()
            })
            .map(f64::to_bits)
            .collect();
        let mut batched = Network::compile(&g);
        let views: Vec<&[f64]> = observations.iter().map(|o| &o[..]).collect();
        let mut got = vec![f64::NAN; observations.len() * batched.outputs()];
        batched.activate_fresh(&views, &mut got);
        prop_assert_eq!(got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want);
        // And leaves the state one at a time leaves.
        prop_assert_eq!(batched.last_outputs(), one_by_one.last_outputs());
        let bits = |n: &Network| n.values().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&batched), bits(&one_by_one));
    }

    /// Compiling reuses the layout of a genome of the same structure, cached
    /// by this thread: the network must be the one a thread with an empty
    /// cache compiles, whether the mutations changed weights only or also the
    /// structure.
    #[test]
    fn networks_from_cached_layouts_equal_cold_compiles(
        seed in any::<u64>(),
        steps in 0usize..60,
        feed_forward in any::<bool>(),
        mutations in 0usize..4,
    ) {
        let g = grown_genome(seed, steps, feed_forward);
        Network::compile(&g);
        let mut h = g.clone();
        let config = NeatConfig {
            feed_forward,
            add_node_prob: 0.1,
            add_connection_prob: 0.1,
            toggle_enable_prob: 0.3,
            ..NeatConfig::default()
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 1);
        let mut tracker = InnovationTracker::new(1000);
        for _ in 0..mutations {
            mutation::mutate(&mut h, &config, &mut tracker, &mut rng);
        }
        let warm = Network::compile(&h);
        let cold = std::thread::spawn(move || Network::compile(&h))
            .join()
            .expect("compiles");
        prop_assert_eq!(format!("{warm:?}"), format!("{cold:?}"));
    }

    #[test]
    fn structure_orders_nodes_exactly_as_petgraph_did(
        seed in any::<u64>(),
        steps in 0usize..120,
        feed_forward in any::<bool>(),
        inputs in 1usize..40,
    ) {
        let g = grown_genome_with_inputs(seed, steps, feed_forward, inputs);
        let mut structure = Structure::new(&g);
        let live = structure.live().to_vec();
        prop_assert_eq!(&live, &petgraph_oracle::live(&g));
        prop_assert_eq!(
            structure.evaluation_order(),
            &petgraph_oracle::evaluation_order(&g, &live)[..]
        );
        prop_assert_eq!(
            structure.has_cycle(),
            petgraph::algo::is_cyclic_directed(&petgraph_oracle::graph(&g))
        );
    }
}
