//! Property tests: no sequence of mutations and crossovers makes an invalid genome.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::distance::{InnovationSketch, SketchFilter};
use sprout_genome::reach::Reach;
use sprout_genome::{
    Fitter, Genome, InnovationTracker, NeatConfig, PlasticityConfig, Population, crossover,
    distance, mutation,
};

fn busy_config(feed_forward: bool) -> NeatConfig {
    NeatConfig {
        feed_forward,
        add_node_prob: 0.4,
        add_connection_prob: 0.6,
        delete_connection_prob: 0.1,
        delete_node_prob: 0.1,
        toggle_enable_prob: 0.2,
        reenable_prob: 0.1,
        bias_mutation_prob: 0.3,
        activation_mutation_prob: 0.2,
        activation_options: vec![
            sprout_genome::Activation::Tanh,
            sprout_genome::Activation::Relu,
            sprout_genome::Activation::Gaussian,
        ],
        ..NeatConfig::default()
    }
}

fn plastic_config(feed_forward: bool, modulated: bool) -> NeatConfig {
    NeatConfig {
        plasticity: Some(PlasticityConfig {
            // Big steps, so the limits are reached often.
            eta_perturb_power: 1.0,
            coefficient_perturb_power: 3.0,
            gene_prob: 0.7,
            modulated,
            ..PlasticityConfig::default()
        }),
        ..busy_config(feed_forward)
    }
}

/// Two lineages grown from one ancestor, crossing over now and then.
fn evolve_pair(seed: u64, steps: usize, feed_forward: bool) -> (Genome, Genome) {
    evolve_pair_with(&busy_config(feed_forward), seed, steps)
}

fn evolve_pair_with(config: &NeatConfig, seed: u64, steps: usize) -> (Genome, Genome) {
    let config = config.clone();
    let feed_forward = config.feed_forward;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let outputs = config.genome_outputs(2);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(3, outputs));
    let mut a = Genome::initial(0, 3, outputs, &config, &mut tracker, &mut rng);
    let mut b = a.clone();
    for step in 0..steps {
        mutation::mutate(&mut a, &config, &mut tracker, &mut rng);
        mutation::mutate(&mut b, &config, &mut tracker, &mut rng);
        a.check(feed_forward).unwrap();
        b.check(feed_forward).unwrap();
        if step % 3 == 2 {
            let fitter = if step % 2 == 0 {
                Fitter::First
            } else {
                Fitter::Tie
            };
            let child = crossover(step as u64, &a, &b, fitter, &config, &mut rng);
            child.check(feed_forward).unwrap();
            b = child;
        }
    }
    (a, b)
}

/// Whether `to` is reachable from `from`: the plain fixpoint over every
/// connection, as the definition says, to check the indexed search against.
fn reachable(genome: &Genome, from: u32, to: u32) -> bool {
    let mut reached = vec![from];
    loop {
        let before = reached.len();
        for c in &genome.conns {
            if reached.contains(&c.source) && !reached.contains(&c.target) {
                reached.push(c.target);
            }
        }
        if reached.contains(&to) {
            return true;
        }
        if reached.len() == before {
            return false;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn reach_kept_current_by_adding_answers_as_one_built_afresh(
        seed in any::<u64>(),
        steps in 1usize..60,
        split in 0.0f64..1.0,
    ) {
        let (a, _) = evolve_pair(seed, steps, false);
        // Half the genome's links known at the start, the rest added one by one.
        let known = (a.conns.len() as f64 * split) as usize;
        let mut partial = a.clone();
        partial.conns.truncate(known);
        let mut grown = Reach::of(&partial);
        for c in &a.conns[known..] {
            grown.add(c.source, c.target);
        }
        let mut fresh = Reach::of(&a);
        for from in a.nodes.iter().map(|n| n.id) {
            for to in a.nodes.iter().map(|n| n.id) {
                prop_assert_eq!(grown.path_exists(from, to), fresh.path_exists(from, to));
            }
        }
    }

    #[test]
    fn path_search_agrees_with_the_definition_on_every_pair(
        seed in any::<u64>(),
        steps in 1usize..60,
        feed_forward in any::<bool>(),
    ) {
        let (a, _) = evolve_pair(seed, steps, feed_forward);
        // Node ids the genome lacks too: nothing leads from or to them.
        let ids: Vec<u32> = a.nodes.iter().map(|n| n.id).chain([9_999]).collect();
        for &from in &ids {
            for &to in &ids {
                prop_assert_eq!(
                    a.path_exists(from, to),
                    reachable(&a, from, to),
                    "{} → {}", from, to
                );
            }
        }
    }

    #[test]
    fn mutation_and_crossover_keep_feed_forward_genomes_valid(seed in any::<u64>(), steps in 1usize..60) {
        let (a, b) = evolve_pair(seed, steps, true);
        prop_assert!(a.check(true).is_ok());
        prop_assert!(b.check(true).is_ok());
    }

    #[test]
    fn mutation_and_crossover_keep_recurrent_genomes_valid(seed in any::<u64>(), steps in 1usize..60) {
        let (a, b) = evolve_pair(seed, steps, false);
        prop_assert!(a.check(false).is_ok());
        prop_assert!(b.check(false).is_ok());
    }

    #[test]
    fn plastic_genes_survive_mutation_and_crossover_within_their_limits(
        seed in any::<u64>(),
        steps in 1usize..60,
        feed_forward in any::<bool>(),
        modulated in any::<bool>(),
    ) {
        let config = plastic_config(feed_forward, modulated);
        let p = config.plasticity.clone().unwrap();
        let (a, b) = evolve_pair_with(&config, seed, steps);
        for g in [&a, &b] {
            prop_assert!(g.check(feed_forward).is_ok());
            prop_assert_eq!(g.outputs, 2 + usize::from(modulated));
            for c in &g.conns {
                let gene = c.plastic;
                prop_assert!(gene.is_some(), "connection {} lost its gene", c.innovation);
                let [eta, coefficients @ ..] = gene.unwrap().coefficients();
                prop_assert!(eta.abs() <= p.eta_limit);
                prop_assert!(coefficients.iter().all(|v| v.abs() <= p.coefficient_limit));
            }
        }
        // The compatibility distance counts plasticity differences.
        let fixed = NeatConfig { plasticity: None, ..config.clone() };
        let (with, without) = (distance(&a, &b, &config), distance(&a, &b, &fixed));
        prop_assert!(with >= without);
        prop_assert_eq!(distance(&a, &a, &config), 0.0);
    }

    #[test]
    fn without_plasticity_no_gene_appears(seed in any::<u64>(), steps in 1usize..40) {
        let (a, b) = evolve_pair(seed, steps, false);
        prop_assert!(a.conns.iter().chain(&b.conns).all(|c| c.plastic.is_none()));
        prop_assert_eq!(a.outputs, 2);
    }

    #[test]
    fn distance_is_a_symmetric_premetric(seed in any::<u64>(), steps in 1usize..40) {
        let config = NeatConfig::default();
        let (a, b) = evolve_pair(seed, steps, true);
        prop_assert_eq!(distance(&a, &a, &config), 0.0);
        prop_assert_eq!(distance(&a, &b, &config), distance(&b, &a, &config));
        prop_assert!(distance(&a, &b, &config) >= 0.0);
    }

    #[test]
    fn the_innovation_sketch_never_rules_out_a_genome_within_the_threshold(
        seed in any::<u64>(),
        steps in 1usize..200,
        normalize_min in 1usize..40,
        slack in -1.0f64..1.0,
    ) {
        let config = NeatConfig { compat_normalize_min: normalize_min, ..busy_config(true) };
        let (a, b) = evolve_pair_with(&config, seed, steps);
        let (sa, sb) = (InnovationSketch::of(&a), InnovationSketch::of(&b));
        let unshared = a.conns.iter().filter(|x| !b.conns.iter().any(|y| y.innovation == x.innovation)).count()
            + b.conns.iter().filter(|y| !a.conns.iter().any(|x| x.innovation == y.innovation)).count();
        prop_assert!(sa.unshared_at_least(&sb) as usize <= unshared);
        let d = distance(&a, &b, &config);
        // At the distance itself, and around it: ruled out only when δ ≥ threshold.
        for threshold in [d, d + slack, d * (1.0 + 1e-15), d * (1.0 - 1e-15)] {
            let filter = SketchFilter::new(threshold, &config, a.conns.len().max(b.conns.len()));
            if threshold > 0.0 && filter.apart(&sa, &sb) {
                prop_assert!(d >= threshold, "δ {d} < threshold {threshold}");
            }
        }
    }

    #[test]
    fn population_size_is_exact_every_generation(seed in any::<u64>(), size in 2usize..60) {
        let config = NeatConfig { population_size: size, ..busy_config(true) };
        let mut population = Population::new(&config, 2, 1, seed);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 1);
        for _ in 0..12 {
            let fitness: Vec<f64> = population
                .genomes
                .iter()
                .map(|_| rand::RngExt::random_range(&mut rng, -5.0..5.0))
                .collect();
            population.advance(&fitness, &config);
            prop_assert_eq!(population.genomes.len(), size);
            let mut ids: Vec<u64> = population.genomes.iter().map(|g| g.id).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), size, "genome ids are unique");
            for g in &population.genomes {
                prop_assert!(g.check(true).is_ok());
            }
        }
    }
}

#[test]
fn add_node_splits_with_weight_one_in_and_old_weight_out() {
    let config = NeatConfig::default();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(1, 1));
    let mut g = Genome::initial(0, 1, 1, &config, &mut tracker, &mut rng);
    g.conns.retain(|c| c.source == 0);
    let old = g.conns[0];
    mutation::add_node(&mut g, &config, &mut tracker, &mut rng);
    assert!(!g.conns[0].enabled, "the split link is disabled");
    let incoming = g
        .conns
        .iter()
        .find(|c| c.source == 0 && c.target == 3)
        .unwrap();
    let outgoing = g
        .conns
        .iter()
        .find(|c| c.source == 3 && c.target == 2)
        .unwrap();
    assert_eq!(incoming.weight, 1.0);
    assert_eq!(outgoing.weight, old.weight);
    assert_eq!(g.hidden_count(), 1);
}

#[test]
fn the_same_split_in_two_genomes_gets_the_same_innovations() {
    let config = NeatConfig::default();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(1, 1));
    let mut a = Genome::initial(0, 1, 1, &config, &mut tracker, &mut rng);
    a.conns.truncate(1);
    let mut b = a.clone();
    mutation::add_node(&mut a, &config, &mut tracker, &mut rng);
    mutation::add_node(&mut b, &config, &mut tracker, &mut rng);
    let innovations = |g: &Genome| g.conns.iter().map(|c| c.innovation).collect::<Vec<_>>();
    assert_eq!(innovations(&a), innovations(&b));
    assert_eq!(a.nodes, b.nodes);
}

#[test]
fn crossover_takes_unmatched_genes_from_the_fitter_parent_only() {
    let config = NeatConfig {
        add_node_prob: 1.0,
        ..NeatConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(2, 1));
    let base = Genome::initial(0, 2, 1, &config, &mut tracker, &mut rng);
    let mut fit = base.clone();
    mutation::add_node(&mut fit, &config, &mut tracker, &mut rng);
    let mut weak = base.clone();
    mutation::add_node(&mut weak, &config, &mut tracker, &mut rng);
    mutation::add_node(&mut weak, &config, &mut tracker, &mut rng);
    for _ in 0..20 {
        let child = crossover(9, &fit, &weak, Fitter::First, &config, &mut rng);
        let innovations: Vec<_> = child.conns.iter().map(|c| c.innovation).collect();
        let expected: Vec<_> = fit.conns.iter().map(|c| c.innovation).collect();
        assert_eq!(innovations, expected);
    }
    let tie = crossover(9, &fit, &weak, Fitter::Tie, &config, &mut rng);
    assert!(tie.conns.len() >= fit.conns.len().max(weak.conns.len()));
}

#[test]
fn disabled_genes_stay_disabled_about_three_times_in_four() {
    let config = NeatConfig::default();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(6);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(1, 1));
    let a = Genome::initial(0, 1, 1, &config, &mut tracker, &mut rng);
    let mut b = a.clone();
    b.conns[0].enabled = false;
    let trials = 4000;
    let disabled = (0..trials)
        .filter(|_| !crossover(1, &a, &b, Fitter::First, &config, &mut rng).conns[0].enabled)
        .count();
    let share = disabled as f64 / trials as f64;
    assert!((share - 0.75).abs() < 0.03, "share {share}");
}

#[test]
fn stagnant_species_stop_reproducing_but_the_best_is_protected() {
    let config = NeatConfig {
        population_size: 40,
        stagnation_limit: 3,
        compat_threshold: 0.5,
        weight_mutation_prob: 1.0,
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 11);
    for _ in 0..10 {
        let fitness = vec![1.0; population.genomes.len()];
        let summaries = population.advance(&fitness, &config);
        let total: usize = summaries.iter().map(|s| s.offspring).sum();
        assert_eq!(total, 40);
        for s in &summaries {
            if s.stagnant_for >= 3 && s.offspring > 0 {
                // Only the protected best species may breed while stagnant.
                let best = summaries
                    .iter()
                    .max_by(|a, b| a.best_fitness.total_cmp(&b.best_fitness))
                    .unwrap();
                assert_eq!(s.best_fitness, best.best_fitness);
            }
        }
        assert!(!population.species.is_empty());
    }
}

#[test]
fn a_stuck_population_breeds_only_its_two_best_species() {
    let config = NeatConfig {
        population_size: 60,
        compat_threshold: 0.3,
        population_stagnation: Some(3),
        stagnation_limit: 1000,
        weight_mutation_prob: 1.0,
        ..NeatConfig::default()
    };
    let mut population = Population::new(&config, 2, 1, 21);
    let mut refocused = false;
    for _ in 0..12 {
        // Flat fitness: the population never improves.
        let fitness: Vec<f64> = (0..population.genomes.len())
            .map(|i| 1.0 + (i % 3) as f64)
            .collect();
        let summaries = population.advance(&fitness, &config);
        let breeding = summaries.iter().filter(|s| s.offspring > 0).count();
        assert_eq!(summaries.iter().map(|s| s.offspring).sum::<usize>(), 60);
        if summaries.len() > 2 && breeding <= 2 {
            refocused = true;
        }
    }
    assert!(refocused, "after 3 flat generations only two species breed");
}

#[test]
fn the_innovation_sketch_rules_out_genomes_that_share_few_genes() {
    let config = busy_config(true);
    let (mut a, mut b) = evolve_pair_with(&config, 3, 60);
    // Renumber b's genes past a's: nothing is shared, so E + D is every gene.
    let offset = a.conns.last().map_or(0, |c| c.innovation) + 1;
    for c in &mut b.conns {
        c.innovation += offset;
    }
    a.conns.truncate(a.conns.len().min(250));
    let (sa, sb) = (InnovationSketch::of(&a), InnovationSketch::of(&b));
    let d = distance(&a, &b, &config);
    let most = a.conns.len().max(b.conns.len());
    let apart = |threshold: f64, x, y| SketchFilter::new(threshold, &config, most).apart(x, y);
    assert!(apart(d / 2.0, &sa, &sb), "δ = {d}");
    assert!(!apart(d * 1.01, &sa, &sb));
    assert!(!apart(1e-9, &sa, &sa));
}
