//! Lifetime modules in the evaluation loop: input widening, weight changes as
//! the rule says, episode resets, Lamarckian write-back and pruning masks.

#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]

use rand::RngExt;
use sprout_evolve::{Agent, EvalContext, Evaluation, Evolution, NetworkAgent, Task, evaluate};
use sprout_evolve::{evaluate_learned, files::parse_ron};
use sprout_genome::{
    Activation, ConnGene, Genome, HebbianSpec, HopfieldMode, HopfieldSpec, InputSpan,
    LifetimeModuleSpec, NeatConfig, NodeGene, NodeKind, Population, PruningSpec, RbmSpec,
};

/// Input 0 and the bias (1) feed output 2, which is linear.
fn tiny_genome(w_input: f64, w_bias: f64) -> Genome {
    let node = |id, kind| NodeGene {
        id,
        kind,
        activation: Activation::Identity,
        bias: 0.0,
    };
    let link = |innovation, source, weight| ConnGene {
        innovation,
        source,
        target: 2,
        weight,
        enabled: true,
        plastic: None,
    };
    Genome {
        id: 7,
        inputs: 1,
        outputs: 1,
        nodes: vec![
            node(0, NodeKind::Input),
            node(1, NodeKind::Bias),
            node(2, NodeKind::Output),
        ],
        conns: vec![link(0, 0, w_input), link(1, 1, w_bias)],
        module_params: Vec::new(),
    }
}

fn hebbian(eta: f64) -> NeatConfig {
    NeatConfig {
        output_activation: Activation::Identity,
        lifetime: vec![LifetimeModuleSpec::Hebbian(HebbianSpec {
            eta,
            a: 1.0,
            ..HebbianSpec::default()
        })],
        ..NeatConfig::default()
    }
}

#[test]
fn hebbian_module_changes_weights_as_the_rule_says() {
    let neat = hebbian(0.1);
    neat.validate().unwrap();
    let mut agent = NetworkAgent::new(&tiny_genome(0.5, 0.25), &neat);
    agent.reset();
    let (mut w0, mut wb) = (0.5, 0.25);
    for x in [1.0, -0.5, 2.0] {
        let y = agent.act(&[x])[0];
        // The output uses the weights before the step's update...
        assert_eq!(y, w0 * x + wb);
        // ...and then Δw = η·pre·post on both links (the bias's pre is 1).
        w0 += 0.1 * (x * y);
        wb += 0.1 * y;
        assert_eq!(agent.network().weights(), &[w0, wb]);
    }
}

#[test]
fn episode_start_restores_the_genome_weights() {
    let neat = hebbian(0.1);
    let mut agent = NetworkAgent::new(&tiny_genome(0.5, 0.25), &neat);
    agent.reset();
    agent.act(&[1.0]);
    agent.act(&[1.0]);
    assert_ne!(agent.network().weights(), &[0.5, 0.25]);
    agent.reset();
    assert_eq!(agent.network().weights(), &[0.5, 0.25]);
    // And the first step of the new episode sees the genome's weights.
    assert_eq!(agent.act(&[1.0])[0], 0.75);
}

#[test]
fn lamarckian_agents_keep_their_weights_and_write_them_back() {
    let mut neat = hebbian(0.1);
    neat.lamarckian = true;
    neat.validate().unwrap();
    let genome = tiny_genome(0.5, 0.25);
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    agent.act(&[1.0]);
    let learned = agent.network().weights().to_vec();
    assert_eq!(learned, vec![0.5 + 0.1 * 0.75, 0.25 + 0.1 * 0.75]);
    agent.reset();
    assert_eq!(agent.network().weights(), &learned[..]);
    let bred = agent.learned_genome(&genome, &neat);
    assert_eq!(bred.conns[0].weight, learned[0]);
    assert_eq!(bred.conns[1].weight, learned[1]);
    assert_eq!(bred.id, genome.id);
    bred.check(true).unwrap();
}

/// Shows input 1.0 for `steps` steps in one episode.
struct Constant {
    steps: u32,
}

impl Task for Constant {
    fn name(&self) -> &str {
        "constant"
    }
    fn inputs(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        1
    }
    fn evaluate(&self, agent: &mut dyn Agent, _ctx: &mut EvalContext) -> Evaluation {
        agent.reset();
        let mut total = 0.0;
        for _ in 0..self.steps {
            total += agent.act(&[1.0])[0];
        }
        Evaluation {
            fitness: total,
            solved: false,
            steps: u64::from(self.steps),
        }
    }
}

#[test]
fn evaluate_learned_returns_the_learned_genome_only_when_lamarckian() {
    let genome = tiny_genome(0.5, 0.25);
    let task = Constant { steps: 3 };
    let plain = hebbian(0.1);
    let (evaluation, learned) = evaluate_learned(&task, &genome, &plain, 1, 0);
    assert!(learned.is_none());
    // The same evaluation as the runner's.
    assert_eq!(evaluation, evaluate(&task, &genome, &plain, 1, 0));

    let mut lamarckian = plain.clone();
    lamarckian.lamarckian = true;
    let (again, learned) = evaluate_learned(&task, &genome, &lamarckian, 1, 0);
    assert_eq!(
        again, evaluation,
        "write-back does not change the evaluation"
    );
    let learned = learned.unwrap();
    // Three Hebbian steps on a constant input: both weights grew, equally.
    let (w0, wb) = (learned.conns[0].weight, learned.conns[1].weight);
    assert!(w0 > 0.5 && wb > 0.25, "{w0} {wb}");
    assert!((w0 - 0.5 - (wb - 0.25)).abs() < 1e-12);
}

#[test]
fn modules_that_append_inputs_widen_the_network_and_the_genome() {
    let neat = NeatConfig {
        population_size: 10,
        lifetime: vec![
            LifetimeModuleSpec::Hopfield(HopfieldSpec {
                inputs: InputSpan::Range(0, 2),
                mode: HopfieldMode::Append,
                ..HopfieldSpec::default()
            }),
            LifetimeModuleSpec::Rbm(RbmSpec {
                hidden: 3,
                low: 0.0,
                high: 1.0,
                ..RbmSpec::default()
            }),
        ],
        ..NeatConfig::default()
    };
    neat.validate().unwrap();
    // A task with 2 observations: 2 recalled values and 3 RBM features follow.
    assert_eq!(neat.genome_inputs(2), 7);
    let population = Population::new(&neat, neat.genome_inputs(2), 1, 5);
    let genome = &population.genomes[0];
    assert_eq!(genome.inputs, 7);
    let mut agent = NetworkAgent::new(genome, &neat);
    assert_eq!(agent.network().inputs(), 7);
    assert_eq!(agent.lifetime().unwrap().network_inputs(), 7);
    agent.reset();
    let out = agent.act(&[0.0, 1.0]).to_vec();
    assert_eq!(out.len(), 1);
    // The network saw the observation, the (empty-memory) recall of it and
    // three feature probabilities.
    let values = agent.network().values();
    assert_eq!(&values[..4], &[0.0, 1.0, 0.0, 1.0]);
    assert!(values[4..7].iter().all(|p| (0.0..=1.0).contains(p)));
}

#[test]
#[should_panic(expected = "wrong number of observations")]
fn an_observation_of_the_wrong_width_is_refused() {
    let neat = NeatConfig {
        lifetime: vec![LifetimeModuleSpec::Rbm(RbmSpec::default())],
        ..NeatConfig::default()
    };
    let population = Population::new(&neat, neat.genome_inputs(2), 1, 5);
    let mut agent = NetworkAgent::new(&population.genomes[0], &neat);
    agent.act(&[0.0, 1.0, 0.0]);
}

/// Two inputs, both fed into a linear output. Input 1 stays silent.
fn two_input_genome() -> Genome {
    let mut genome = tiny_genome(0.5, 0.25);
    genome.inputs = 2;
    let node = |id, kind| NodeGene {
        id,
        kind,
        activation: Activation::Identity,
        bias: 0.0,
    };
    genome.nodes = vec![
        node(0, NodeKind::Input),
        node(1, NodeKind::Input),
        node(2, NodeKind::Bias),
        node(3, NodeKind::Output),
    ];
    genome.conns = [(0, 0, 1.0), (1, 1, 1.0), (2, 2, 0.0)]
        .into_iter()
        .map(|(innovation, source, weight)| ConnGene {
            innovation,
            source,
            target: 3,
            weight,
            enabled: true,
            plastic: None,
        })
        .collect();
    genome.check(true).unwrap();
    genome
}

fn pruning(lamarckian: bool) -> NeatConfig {
    NeatConfig {
        output_activation: Activation::Identity,
        lifetime: vec![LifetimeModuleSpec::ActivityPruning(PruningSpec {
            rate: 0.5,
            threshold: 0.1,
            warmup: 4,
            interval: 1,
            evolve: false,
        })],
        lamarckian,
        ..NeatConfig::default()
    }
}

#[test]
fn unused_links_are_pruned_for_the_episode_only_unless_lamarckian() {
    let genome = two_input_genome();
    let neat = pruning(false);
    neat.validate().unwrap();
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    for _ in 0..6 {
        agent.act(&[1.0, 0.0]);
    }
    let lifetime = agent.lifetime().unwrap();
    // Link order: input 0, input 1, bias (all into the output). The silent
    // input's link and the zero-weight bias link carried nothing: pruned. The
    // used one is the output's last path and stays.
    assert!(lifetime.is_enabled(0));
    assert!(!lifetime.is_enabled(1) && !lifetime.is_enabled(2));
    // Pruned links carry nothing.
    assert_eq!(agent.act(&[1.0, 5.0])[0], 1.0);
    agent.reset();
    let lifetime = agent.lifetime().unwrap();
    assert!((0..3).all(|k| lifetime.is_enabled(k)));
    assert_eq!(agent.act(&[1.0, 5.0])[0], 6.0);

    let neat = pruning(true);
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    for _ in 0..6 {
        agent.act(&[1.0, 0.0]);
    }
    agent.reset();
    assert!(
        !agent.lifetime().unwrap().is_enabled(1),
        "kept across episodes"
    );
    assert_eq!(agent.act(&[1.0, 5.0])[0], 1.0);
    let bred = agent.learned_genome(&genome, &neat);
    let enabled: Vec<bool> = bred.conns.iter().map(|c| c.enabled).collect();
    assert_eq!(enabled, vec![true, false, false]);
    // The pruned links keep their weights in the genome.
    assert_eq!(bred.conns[1].weight, 1.0);
}

/// Sum of two noisy inputs: enough to run whole generations through the modules.
struct NoisySum;

impl Task for NoisySum {
    fn name(&self) -> &str {
        "noisy-sum"
    }
    fn inputs(&self) -> usize {
        2
    }
    fn outputs(&self) -> usize {
        1
    }
    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation {
        let mut error = 0.0;
        for _ in 0..2 {
            agent.reset();
            for _ in 0..5 {
                let (a, b): (f64, f64) = (ctx.rng.random(), ctx.rng.random());
                error += (agent.act(&[a, b])[0] - (a + b) / 2.0).abs();
            }
        }
        Evaluation {
            fitness: 10.0 - error,
            solved: false,
            steps: 10,
        }
    }
}

#[test]
fn runs_with_every_module_are_reproducible() {
    let text = "(
        population_size: 20,
        add_connection_prob: 0.3,
        add_node_prob: 0.1,
        lifetime: [
            Hopfield(capacity: 4, beta: 2.0, mode: Append),
            Rbm(hidden: 2, low: 0.0, high: 1.0),
            Hebbian(eta: 0.05, bound: 2.0, normalise: Some(1.5)),
            ActivityPruning(threshold: 0.001),
        ],
    )";
    let neat: NeatConfig = parse_ron(text, std::path::Path::new("neat.ron")).unwrap();
    neat.validate().unwrap();
    neat.check_lifetime_inputs(NoisySum.inputs()).unwrap();
    let run = || {
        let inputs = neat.genome_inputs(NoisySum.inputs());
        assert_eq!(inputs, 2 + 2 + 2);
        let mut evolution = Evolution::new(&neat, &NoisySum, 3);
        assert_eq!(evolution.population.genomes[0].inputs, inputs);
        for _ in 0..3 {
            evolution.step(&neat, &NoisySum).unwrap();
        }
        evolution
    };
    let (a, b) = (run(), run());
    assert_eq!(a.history.len(), 3);
    assert!(a.history.iter().all(|s| s.best_fitness.is_finite()));
    assert_eq!(a.population, b.population);
    assert_eq!(
        a.history.iter().map(|s| s.best_fitness).collect::<Vec<_>>(),
        b.history.iter().map(|s| s.best_fitness).collect::<Vec<_>>()
    );
}

#[test]
fn lamarckian_plasticity_genes_keep_and_write_back_their_weights() {
    use sprout_genome::{PlasticGene, PlasticityConfig};
    let mut genome = tiny_genome(0.5, 0.25);
    let drift = PlasticGene {
        eta: 0.5,
        a: 0.0,
        b: 0.0,
        c: 0.0,
        d: 0.1,
    };
    genome.conns[0].plastic = Some(drift);
    genome.conns[1].plastic = Some(PlasticGene::FROZEN);
    for lamarckian in [false, true] {
        let neat = NeatConfig {
            output_activation: Activation::Identity,
            plasticity: Some(PlasticityConfig::default()),
            lamarckian,
            ..NeatConfig::default()
        };
        neat.validate().unwrap();
        let mut agent = NetworkAgent::new(&genome, &neat);
        agent.reset();
        agent.act(&[1.0]);
        assert_eq!(agent.network().weights(), &[0.5 + 0.5 * 0.1, 0.25]);
        agent.reset();
        let expected = if lamarckian { 0.5 + 0.5 * 0.1 } else { 0.5 };
        assert_eq!(agent.network().weights()[0], expected);
        let bred = agent.learned_genome(&genome, &neat);
        assert_eq!(bred.conns[0].weight, expected);
        assert_eq!(bred.conns[0].plastic, Some(drift), "the rule is inherited");
    }
}

#[test]
fn lamarckian_runs_breed_from_the_learned_weights() {
    // Every weight starts at 0 and nothing mutates; a Hebbian rule with only
    // the drift term (Δw = η·D = 0.1 per step) runs for the 3 steps of each
    // evaluation. Lamarckian offspring inherit 0.3; the others stay at 0.
    for (lamarckian, expected) in [(false, 0.0), (true, 0.1 + 0.1 + 0.1)] {
        let neat = NeatConfig {
            population_size: 12,
            weight_init_range: 0.0,
            weight_mutation_prob: 0.0,
            add_node_prob: 0.0,
            add_connection_prob: 0.0,
            lifetime: vec![LifetimeModuleSpec::Hebbian(HebbianSpec {
                eta: 0.1,
                a: 0.0,
                d: 1.0,
                ..HebbianSpec::default()
            })],
            lamarckian,
            ..NeatConfig::default()
        };
        neat.validate().unwrap();
        let task = Constant { steps: 3 };
        let mut evolution = Evolution::new(&neat, &task, 9);
        evolution.step(&neat, &task).unwrap();
        // The recorded champion is the genome as evaluated: it replays.
        let best = evolution.best.as_ref().unwrap();
        assert!(best.genome.conns.iter().all(|c| c.weight == 0.0));
        assert_eq!(evaluate(&task, &best.genome, &neat, 9, 0), best.evaluation);
        for genome in &evolution.population.genomes {
            for conn in &genome.conns {
                assert_eq!(conn.weight, expected, "lamarckian {lamarckian}");
            }
        }
    }
}

#[test]
fn an_evolving_rule_learns_with_the_genome_s_values_not_the_config_s() {
    let mut neat = hebbian(0.1);
    let LifetimeModuleSpec::Hebbian(h) = &mut neat.lifetime[0] else {
        unreachable!()
    };
    h.evolve = true;
    neat.validate().unwrap();
    let mut genome = tiny_genome(0.5, 0.25);
    // η 0.3 and only the drift D = 1: every link moves by exactly 0.3 a step.
    genome.module_params = vec![0.3, 0.0, 0.0, 0.0, 1.0];
    genome.check_for(&neat).unwrap();
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    agent.act(&[1.0]);
    assert_eq!(agent.network().weights(), &[0.5 + 0.3, 0.25 + 0.3]);
    // The configured rule (η 0.1, A 1) is what a genome of generation 0 holds.
    genome.module_params = neat.initial_module_params();
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    let y = agent.act(&[1.0])[0];
    assert_eq!(agent.network().weights(), &[0.5 + 0.1 * y, 0.25 + 0.1 * y]);
}

#[test]
fn module_genes_diversify_and_runs_stay_reproducible_whatever_the_thread_count() {
    let text = "(
        population_size: 20,
        add_connection_prob: 0.3,
        lifetime: [
            Hopfield(capacity: 4, beta: 2.0, mode: Append, evolve: true),
            Rbm(hidden: 2, low: 0.0, high: 1.0, evolve: true),
            Hebbian(eta: 0.05, bound: 2.0, evolve: true),
            ActivityPruning(threshold: 0.001, evolve: true),
        ],
        module_genes: (mutation_prob: 0.5),
    )";
    let neat: NeatConfig = parse_ron(text, std::path::Path::new("neat.ron")).unwrap();
    neat.validate().unwrap();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut evolution = Evolution::new(&neat, &NoisySum, 5);
            for _ in 0..4 {
                evolution.step(&neat, &NoisySum).unwrap();
            }
            evolution
        })
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.population, two.population);
    let genomes = &one.population.genomes;
    assert!(genomes.iter().all(|g| g.check_for(&neat).is_ok()));
    let initial = neat.initial_module_params();
    assert_eq!(initial.len(), 1 + 1 + 5 + 1);
    let moved = genomes
        .iter()
        .filter(|g| g.module_params != initial)
        .count();
    assert!(
        moved > genomes.len() / 2,
        "{moved} of {} moved",
        genomes.len()
    );
}

#[test]
fn a_modulated_hebbian_module_brings_its_own_modulatory_output() {
    let neat = NeatConfig {
        output_activation: Activation::Identity,
        lifetime: vec![LifetimeModuleSpec::Hebbian(HebbianSpec {
            eta: 0.1,
            a: 1.0,
            modulated: true,
            ..HebbianSpec::default()
        })],
        ..NeatConfig::default()
    };
    neat.validate().unwrap();
    assert!(neat.plasticity.is_none());
    assert_eq!(neat.genome_outputs(1), 2, "one action and the modulator");
    // Input 0 → action 2 (w 0.5); bias 1 → modulator 3 (m = 2).
    let mut genome = tiny_genome(0.5, 0.0);
    genome.outputs = 2;
    genome.nodes.push(NodeGene {
        id: 3,
        kind: NodeKind::Output,
        activation: Activation::Identity,
        bias: 0.0,
    });
    genome.conns[1].target = 3;
    genome.conns[1].weight = 2.0;
    genome.check_for(&neat).unwrap();
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    assert_eq!(agent.act(&[1.0]), &[0.5], "the modulator is not an action");
    // Δw = tanh(m/2)·η·pre·post on both links.
    let gate = (2.0f64 / 2.0).tanh();
    let expected = [0.5 + gate * 0.1 * 0.5, 2.0 + gate * 0.1 * 2.0];
    let mut weights = agent.network().weights().to_vec();
    weights.sort_by(f64::total_cmp);
    for (w, e) in weights.iter().zip(expected) {
        assert!((w - e).abs() < 1e-12, "{w} vs {e}");
    }
    // With m = 0 nothing learns.
    genome.conns[1].weight = 0.0;
    let mut agent = NetworkAgent::new(&genome, &neat);
    agent.reset();
    agent.act(&[1.0]);
    let mut weights = agent.network().weights().to_vec();
    weights.sort_by(f64::total_cmp);
    assert_eq!(weights, [0.0, 0.5]);
}
