//! Plasticity genes: drawn for new links, inherited, compared, and absent (down to
//! the file format) when the experiment does not ask for them.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    Activation, ConnGene, Genome, InnovationTracker, NeatConfig, PlasticGene, PlasticityConfig,
    distance, mutation,
};

fn plastic(modulated: bool) -> NeatConfig {
    NeatConfig {
        plasticity: Some(PlasticityConfig {
            modulated,
            ..PlasticityConfig::default()
        }),
        ..NeatConfig::default()
    }
}

fn initial(config: &NeatConfig, seed: u64) -> (Genome, InnovationTracker, Xoshiro256PlusPlus) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let outputs = config.genome_outputs(1);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(2, outputs));
    let g = Genome::initial(0, 2, outputs, config, &mut tracker, &mut rng);
    (g, tracker, rng)
}

#[test]
fn initial_links_draw_genes_within_the_init_ranges() {
    let config = plastic(false);
    let p = config.plasticity.as_ref().unwrap();
    let (g, _, _) = initial(&config, 1);
    assert_eq!(g.conns.len(), 3);
    for c in &g.conns {
        let [eta, rest @ ..] = c.plastic.unwrap().coefficients();
        assert!(eta.abs() <= p.eta_init_range);
        assert!(rest.iter().all(|v| v.abs() <= p.coefficient_init_range));
    }
    // The genes differ: each link draws its own.
    assert_ne!(g.conns[0].plastic, g.conns[1].plastic);
}

#[test]
fn the_modulatory_output_is_the_last_output_and_linear() {
    let config = NeatConfig {
        output_activation: Activation::Tanh,
        ..plastic(true)
    };
    let (g, _, _) = initial(&config, 2);
    assert_eq!(g.outputs, 2);
    g.check(true).unwrap();
    let outputs: Vec<_> = g.output_ids().map(|id| g.node(id).unwrap()).collect();
    assert_eq!(outputs[0].activation, Activation::Tanh);
    assert_eq!(outputs[1].activation, Activation::Identity);
    // Inputs and bias reach both outputs.
    assert_eq!(g.conns.len(), 6);
}

#[test]
fn add_node_keeps_the_old_gene_on_the_outgoing_link() {
    let config = plastic(false);
    let (mut g, mut tracker, mut rng) = initial(&config, 3);
    g.conns.truncate(1);
    let old = g.conns[0];
    mutation::add_node(&mut g, &config, &mut tracker, &mut rng);
    let outgoing = g.conns.iter().find(|c| c.target == old.target && c.enabled);
    let incoming = g.conns.iter().find(|c| c.source == old.source && c.enabled);
    assert_eq!(outgoing.unwrap().plastic, old.plastic);
    assert!(incoming.unwrap().plastic.is_some());
    assert_ne!(incoming.unwrap().plastic, old.plastic);
}

#[test]
fn add_connection_draws_a_gene() {
    let config = NeatConfig {
        feed_forward: false,
        ..plastic(false)
    };
    let (mut g, mut tracker, mut rng) = initial(&config, 4);
    let before = g.conns.len();
    while g.conns.len() == before {
        mutation::add_connection(&mut g, &config, &mut tracker, &mut rng);
    }
    assert!(g.conns.iter().all(|c| c.plastic.is_some()));
}

fn link(innovation: u64, weight: f64, plastic: Option<PlasticGene>) -> ConnGene {
    ConnGene {
        innovation,
        source: 0,
        target: 3 + innovation as u32,
        weight,
        enabled: true,
        plastic,
    }
}

#[test]
fn distance_adds_c4_times_the_mean_coefficient_difference() {
    let config = plastic(false);
    let gene = |eta, a| PlasticGene {
        eta,
        a,
        b: 0.0,
        c: 0.0,
        d: 0.0,
    };
    let genome = |conns| Genome {
        id: 0,
        inputs: 2,
        outputs: 1,
        nodes: Vec::new(),
        conns,
        module_params: Vec::new(),
    };
    // Gene 0: |Δη| = 0.5, |ΔA| = 1.0 → mean over five coefficients 0.3.
    // Gene 1: one side has no gene (all zeros): |ΔA| = 2.0 → 0.4.
    let x = genome(vec![
        link(0, 1.0, Some(gene(0.5, 1.0))),
        link(1, 1.0, Some(gene(0.0, 2.0))),
    ]);
    let y = genome(vec![link(0, 1.0, Some(gene(0.0, 2.0))), link(1, 1.0, None)]);
    let fixed = distance(&x, &y, &NeatConfig::default());
    assert_eq!(fixed, 0.0, "same structure and weights");
    let got = distance(&x, &y, &config);
    let want = 0.4 * (0.3 + 0.4) / 2.0;
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
}

#[test]
fn plasticity_mutation_moves_coefficients_and_respects_limits() {
    let config = NeatConfig {
        plasticity: Some(PlasticityConfig {
            coefficient_perturb_power: 100.0,
            ..PlasticityConfig::default()
        }),
        ..NeatConfig::default()
    };
    let p = config.plasticity.as_ref().unwrap();
    let (mut g, _, mut rng) = initial(&config, 5);
    let before = g.clone();
    mutation::mutate_plasticity(&mut g, p, &mut rng);
    for (new, old) in g.conns.iter().zip(&before.conns) {
        assert_eq!(new.weight, old.weight, "weights are not touched");
        let [_, rest @ ..] = new.plastic.unwrap().coefficients();
        assert!(rest.iter().all(|v| v.abs() <= p.coefficient_limit));
        assert_ne!(new.plastic, old.plastic);
    }
}

#[test]
fn a_gene_without_plasticity_is_written_as_before() {
    let fixed = link(7, 0.5, None);
    let text = ron::to_string(&fixed).unwrap();
    assert_eq!(
        text,
        "(innovation:7,source:0,target:10,weight:0.5,enabled:true)"
    );
    assert_eq!(ron::from_str::<ConnGene>(&text).unwrap(), fixed);
    let learning = link(7, 0.5, Some(PlasticGene::FROZEN));
    let text = ron::to_string(&learning).unwrap();
    assert!(text.contains("plastic:Some((eta:0.0"), "{text}");
    assert_eq!(ron::from_str::<ConnGene>(&text).unwrap(), learning);
    let config = ron::to_string(&NeatConfig::default()).unwrap();
    assert!(!config.contains("plasticity"), "{config}");
}

#[test]
fn plasticity_off_draws_exactly_the_same_genomes_as_before() {
    // The same seed with and without a plasticity section wires the same
    // weights: the genes' draws come after the weights and only when on.
    let (fixed, _, _) = initial(&NeatConfig::default(), 6);
    let (learning, _, _) = initial(&plastic(false), 6);
    assert_eq!(fixed.conns[0].weight, learning.conns[0].weight);
    assert!(fixed.conns.iter().all(|c| c.plastic.is_none()));
}
