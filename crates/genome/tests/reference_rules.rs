//! The NEAT reference code's rules (`crate::rules`), each pinned to the
//! behaviour docs/neat-fidelity.md quotes from NEAT 1.2.1.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    Fitter, Genome, InnovationTracker, NeatConfig, Population, PopulationRestart,
    StagnationPenalty, WeightMutation, crossover, mutation,
};

/// The reference's variation operators, all on, busy enough to reach every path.
fn reference_config(feed_forward: bool) -> NeatConfig {
    NeatConfig {
        feed_forward,
        add_node_prob: 0.3,
        add_connection_prob: 0.5,
        toggle_enable_prob: 0.2,
        reenable_prob: 0.1,
        weight_mutation: WeightMutation::Reference,
        weight_perturb_power: 1.8,
        new_connection_weight_range: Some(1.0),
        exclusive_structural_mutation: true,
        crossover_average_prob: 0.4,
        ..NeatConfig::default()
    }
}

fn start(config: &NeatConfig, seed: u64) -> (Genome, InnovationTracker, Xoshiro256PlusPlus) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(3, 1));
    let genome = Genome::initial(0, 3, 1, config, &mut tracker, &mut rng);
    (genome, tracker, rng)
}

/// A genome grown by `steps` mutations.
fn grown(config: &NeatConfig, seed: u64, steps: usize) -> Genome {
    let (mut genome, mut tracker, mut rng) = start(config, seed);
    for _ in 0..steps {
        mutation::mutate(&mut genome, config, &mut tracker, &mut rng);
    }
    genome
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reference_operators_keep_genomes_valid(
        seed in any::<u64>(),
        steps in 1usize..50,
        feed_forward in any::<bool>(),
    ) {
        let config = reference_config(feed_forward);
        let (mut a, mut tracker, mut rng) = start(&config, seed);
        let mut b = a.clone();
        for step in 0..steps {
            mutation::mutate(&mut a, &config, &mut tracker, &mut rng);
            mutation::mutate(&mut b, &config, &mut tracker, &mut rng);
            if step % 3 == 2 {
                b = crossover(step as u64, &a, &b, Fitter::Tie, &config, &mut rng);
            }
            prop_assert!(a.check(feed_forward).is_ok());
            prop_assert!(b.check(feed_forward).is_ok());
            for c in a.conns.iter().chain(&b.conns) {
                prop_assert!(c.weight.abs() <= config.weight_limit);
            }
        }
    }

    #[test]
    fn reference_weight_mutation_moves_each_weight_by_at_most_its_power_or_redraws_it(
        seed in any::<u64>(),
        steps in 0usize..40,
    ) {
        let config = NeatConfig { weight_limit: 100.0, ..reference_config(false) };
        let mut genome = grown(&config, seed, steps);
        let before = genome.clone();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 1);
        mutation::mutate_weights(&mut genome, &config, &mut rng);
        let power = config.weight_perturb_power;
        for (old, new) in before.conns.iter().zip(&genome.conns) {
            // Perturbed (a step within ±power), replaced (a draw within
            // ±power) or kept.
            prop_assert!(
                (new.weight - old.weight).abs() <= power || new.weight.abs() <= power,
                "{} became {}", old.weight, new.weight
            );
        }
    }
}

#[test]
fn exclusive_mutation_leaves_the_weights_of_a_genome_that_gained_a_node() {
    let config = NeatConfig {
        add_node_prob: 1.0,
        weight_mutation_prob: 1.0,
        exclusive_structural_mutation: true,
        ..NeatConfig::default()
    };
    let (mut genome, mut tracker, mut rng) = start(&config, 5);
    let before = genome.clone();
    mutation::mutate(&mut genome, &config, &mut tracker, &mut rng);
    assert_eq!(genome.nodes.len(), before.nodes.len() + 1);
    for old in &before.conns {
        let new = genome
            .conns
            .iter()
            .find(|c| c.innovation == old.innovation)
            .unwrap();
        assert_eq!(new.weight, old.weight, "no weight mutation beside add-node");
    }
    // Without the rule, the same draws also mutate the weights.
    let independent = NeatConfig {
        exclusive_structural_mutation: false,
        ..config
    };
    let (mut genome, mut tracker, mut rng) = start(&independent, 5);
    mutation::mutate(&mut genome, &independent, &mut tracker, &mut rng);
    let changed = before
        .conns
        .iter()
        .filter(|old| {
            genome
                .conns
                .iter()
                .any(|c| c.innovation == old.innovation && c.weight != old.weight)
        })
        .count();
    assert!(changed > 0);
}

#[test]
fn new_connections_draw_their_weight_from_their_own_range() {
    let config = NeatConfig {
        initial_connection: sprout_genome::InitialConnection::Unconnected,
        feed_forward: false,
        add_connection_prob: 1.0,
        weight_mutation_prob: 0.0,
        weight_replace_range: 4.0,
        new_connection_weight_range: Some(0.25),
        ..NeatConfig::default()
    };
    let genome = grown(&config, 9, 30);
    // Every input and the bias can reach the output, and the output itself.
    assert!(genome.conns.len() >= 4);
    assert!(genome.conns.iter().all(|c| c.weight.abs() <= 0.25));
}

#[test]
fn averaging_crossover_gives_matching_genes_the_parents_mean_weight() {
    let config = NeatConfig {
        crossover_average_prob: 1.0,
        ..NeatConfig::default()
    };
    let (a, _, mut rng) = start(&config, 3);
    let mut b = a.clone();
    for (i, c) in b.conns.iter_mut().enumerate() {
        c.weight = i as f64;
    }
    let child = crossover(7, &a, &b, Fitter::First, &config, &mut rng);
    for ((x, y), c) in a.conns.iter().zip(&b.conns).zip(&child.conns) {
        assert_eq!(c.weight, (x.weight + y.weight) / 2.0);
    }
}

/// Advances `population` through generations of `fitness(generation, index)` and
/// returns every generation's species summaries.
fn advance_with(
    population: &mut Population,
    config: &NeatConfig,
    generations: usize,
    fitness: impl Fn(usize, usize) -> f64,
) -> Vec<Vec<sprout_genome::SpeciesSummary>> {
    (0..generations)
        .map(|g| {
            let f: Vec<f64> = (0..population.genomes.len())
                .map(|i| fitness(g, i))
                .collect();
            population.advance(&f, config)
        })
        .collect()
}

#[test]
fn scaled_stagnation_shrinks_a_stagnant_species_instead_of_removing_it() {
    let config = NeatConfig {
        population_size: 60,
        compat_threshold: 0.5,
        stagnation_limit: 2,
        protected_species: 0,
        stagnation_penalty: StagnationPenalty::Scale(0.5),
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 4);
    let generations = advance_with(&mut population, &config, 6, |_, _| 1.0);
    // With flat fitness species stagnate; removal would leave none of them
    // breeding, scaling keeps them breeding at half their share.
    let stagnant_breeding = generations
        .iter()
        .flatten()
        .filter(|s| s.stagnant_for >= 2 && s.offspring > 0)
        .count();
    assert!(stagnant_breeding > 1);
    let removal = NeatConfig {
        stagnation_penalty: StagnationPenalty::Remove,
        ..config.clone()
    };
    let mut population = Population::new(&removal, 2, 1, 4);
    let generations = advance_with(&mut population, &removal, 6, |_, _| 1.0);
    let stagnant_breeding = generations
        .iter()
        .flatten()
        .filter(|s| s.stagnant_for >= 2 && s.offspring > 0)
        .count();
    assert_eq!(stagnant_breeding, 0);
}

#[test]
fn delta_coding_refills_the_population_from_the_two_best_champions() {
    let config = NeatConfig {
        population_size: 40,
        compat_threshold: 0.5,
        weight_init_range: 3.0,
        population_stagnation: Some(2),
        population_restart: PopulationRestart::DeltaCoding,
        stagnation_limit: 1000,
        add_connection_prob: 0.3,
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 13);
    // Fitness never improves; genome index decides it.
    let mut restarted = false;
    for _ in 0..6 {
        let fitness: Vec<f64> = (0..40).map(|i| (i % 7) as f64).collect();
        let before = population.genomes.clone();
        let summaries = population.advance(&fitness, &config);
        let breeding: Vec<_> = summaries.iter().filter(|s| s.offspring > 0).collect();
        if summaries.len() > 2 && breeding.len() == 2 {
            restarted = true;
            let mut counts: Vec<usize> = breeding.iter().map(|s| s.offspring).collect();
            counts.sort();
            assert_eq!(counts, vec![20, 20]);
            // Every child is a copy of one of the two champions: the same
            // nodes, and the champion's links (plus at most one new one).
            for child in &population.genomes {
                let parent = breeding.iter().find(|s| {
                    s.champion.nodes == child.nodes
                        && s.champion
                            .conns
                            .iter()
                            .all(|c| child.conns.iter().any(|d| d.innovation == c.innovation))
                });
                assert!(parent.is_some(), "child {} is no champion's copy", child.id);
            }
            // The last copy of each champion is unchanged.
            for s in &breeding {
                let exact = population
                    .genomes
                    .iter()
                    .filter(|g| g.conns == s.champion.conns)
                    .count();
                assert!(exact >= 1);
                assert_eq!(s.champion, before[s.champion_index]);
            }
            break;
        }
    }
    assert!(restarted, "two flat generations restart the population");
}

#[test]
fn recurrent_link_prob_decides_between_recurrent_and_plain_links() {
    let grow = NeatConfig {
        feed_forward: false,
        add_node_prob: 1.0,
        weight_mutation_prob: 0.0,
        ..NeatConfig::default()
    };
    let (mut base, mut tracker, _) = start(&grow, 21);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
    for _ in 0..6 {
        mutation::mutate(&mut base, &grow, &mut tracker, &mut rng);
    }
    let output = base.inputs as sprout_genome::NodeId + 1;
    for (p, recurrent) in [(0.0, false), (1.0, true)] {
        let config = NeatConfig {
            recurrent_link_prob: Some(p),
            ..grow.clone()
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut added = 0;
        for _ in 0..40 {
            let mut genome = base.clone();
            let mut tracker = tracker.clone();
            mutation::add_connection(&mut genome, &config, &mut tracker, &mut rng);
            let new = |c: &&sprout_genome::ConnGene| {
                base.connection_between(c.source, c.target).is_none()
            };
            for c in genome.conns.iter().filter(new) {
                added += 1;
                let is_recurrent = c.source == output
                    || c.target == output
                    || base.path_exists(c.target, c.source);
                assert_eq!(is_recurrent, recurrent, "p = {p}: {c:?}");
            }
        }
        assert!(added > 10, "p = {p}: only {added} links added");
    }
}

#[test]
fn champion_representatives_are_each_species_best_member() {
    let config = NeatConfig {
        population_size: 50,
        compat_threshold: 0.8,
        weight_init_range: 2.0,
        representative: sprout_genome::Representative::Champion,
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 17);
    let fitness: Vec<f64> = (0..50).map(|i| ((i * 37) % 50) as f64).collect();
    let summaries = population.advance(&fitness, &config);
    assert!(population.species.len() > 1);
    for species in &population.species {
        let summary = summaries.iter().find(|s| s.id == species.id).unwrap();
        assert_eq!(species.representative, summary.champion);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reference_toggle_never_cuts_a_node_off(seed in any::<u64>(), steps in 1usize..40) {
        let config = NeatConfig { enable_mutation: sprout_genome::EnableMutation::Reference, ..reference_config(false) };
        let mut genome = grown(&config, seed, steps);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 7);
        for _ in 0..20 {
            let before = genome.clone();
            mutation::toggle_enable_safely(&mut genome, &mut rng);
            for node in &before.nodes {
                let out = |g: &Genome| g.conns.iter().any(|c| c.enabled && c.source == node.id);
                prop_assert!(!out(&before) || out(&genome), "node {} lost its last link", node.id);
            }
        }
    }

    #[test]
    fn add_node_leaves_bias_links_alone_when_asked(seed in any::<u64>(), steps in 1usize..30) {
        let config = NeatConfig {
            split_bias_links: false,
            add_node_prob: 1.0,
            ..reference_config(false)
        };
        let (mut genome, mut tracker, mut rng) = start(&config, seed);
        let bias = genome.inputs as sprout_genome::NodeId;
        prop_assert_eq!(genome.nodes[genome.inputs].kind, sprout_genome::NodeKind::Bias);
        for _ in 0..steps {
            let before = genome.clone();
            mutation::add_node(&mut genome, &config, &mut tracker, &mut rng);
            for (old, new) in before.conns.iter().zip(&genome.conns) {
                if old.innovation == new.innovation && old.enabled && !new.enabled {
                    prop_assert_ne!(old.source, bias);
                }
            }
        }
    }
}

#[test]
fn reference_reenable_turns_on_the_first_disabled_connection() {
    let (mut genome, _, _) = start(&NeatConfig::default(), 1);
    for i in [1, 3] {
        genome.conns[i].enabled = false;
    }
    mutation::reenable_first(&mut genome);
    assert!(genome.conns[1].enabled);
    assert!(!genome.conns[3].enabled);
}

#[test]
fn a_childless_species_kept_takes_the_children_that_fit_it() {
    let config = NeatConfig {
        population_size: 60,
        compat_threshold: 0.5,
        weight_init_range: 3.0,
        stagnation_limit: 1,
        protected_species: 1,
        keep_childless_species: true,
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 6);
    let mut revived = 0;
    let mut childless = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let fitness = vec![1.0; population.genomes.len()];
        let summaries = population.advance(&fitness, &config);
        // Kept species: every one breeding or not (speciation then drops
        // those no child joins).
        assert_eq!(population.species.len(), summaries.len());
        revived += summaries
            .iter()
            .filter(|s| childless.contains(&s.id) && s.size > 0)
            .count();
        childless = summaries
            .iter()
            .filter(|s| s.offspring == 0)
            .map(|s| s.id)
            .collect();
    }
    assert!(
        revived > 0,
        "children joined a species that had none allotted"
    );
}

#[test]
fn obliteration_marks_the_worst_old_species_on_schedule() {
    let config = NeatConfig {
        population_size: 80,
        compat_threshold: 0.6,
        weight_init_range: 3.0,
        stagnation_limit: 1000,
        // Keeps the marked species in view after it loses its children.
        keep_childless_species: true,
        obliterate: Some(sprout_genome::Obliterate {
            every: 4,
            min_age: 2,
        }),
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 31);
    let mut marks = 0;
    for generation in 0..12u64 {
        let before: Vec<u64> = marked(&population);
        let fitness: Vec<f64> = (0..80).map(|i| 1.0 + (i % 9) as f64).collect();
        let summaries = population.advance(&fitness, &config);
        let new: Vec<u64> = marked(&population)
            .into_iter()
            .filter(|id| !before.contains(id))
            .collect();
        if !(generation + 1).is_multiple_of(4) {
            assert!(new.is_empty(), "generation {generation}: off schedule");
            continue;
        }
        assert_eq!(new.len(), 1, "generation {generation}");
        marks += 1;
        let doomed = summaries.iter().find(|s| s.id == new[0]).unwrap();
        let old: Vec<_> = summaries.iter().filter(|s| s.age >= 2).collect();
        if !old.is_empty() {
            assert!(doomed.age >= 2);
            assert!(old.iter().all(|s| s.best_fitness >= doomed.best_fitness));
        }
        // It keeps 1% of its share already in this generation: no more than
        // the one child rounding can give it.
        assert!(doomed.offspring <= 1, "{} children", doomed.offspring);
    }
    assert_eq!(marks, 3);
}

fn marked(population: &Population) -> Vec<u64> {
    population
        .species
        .iter()
        .filter(|s| s.obliterated)
        .map(|s| s.id)
        .collect()
}
