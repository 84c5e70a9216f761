//! Module genes: the settings of lifetime modules marked `evolve: true` start
//! at the configured values, mutate within their ranges, are inherited one by
//! one, count in the distance, are checked when loaded, and are absent (down to
//! the random draws) when no module evolves.

#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::{
    Fitter, Genome, GenomeError, HebbianSpec, HopfieldSpec, InnovationTracker, LifetimeModuleSpec,
    ModuleGenesConfig, NeatConfig, PruningSpec, crossover, distance, mutation,
};

/// A Hebbian rule (5 genes), a pruning module that does not evolve, and a
/// Hopfield memory (1 gene).
fn evolving() -> NeatConfig {
    NeatConfig {
        lifetime: vec![
            LifetimeModuleSpec::Hebbian(HebbianSpec {
                eta: 0.05,
                a: 1.0,
                b: -0.5,
                evolve: true,
                ..HebbianSpec::default()
            }),
            LifetimeModuleSpec::ActivityPruning(PruningSpec::default()),
            LifetimeModuleSpec::Hopfield(HopfieldSpec {
                beta: 2.0,
                evolve: true,
                ..HopfieldSpec::default()
            }),
        ],
        ..NeatConfig::default()
    }
}

fn initial(config: &NeatConfig, seed: u64) -> (Genome, InnovationTracker, Xoshiro256PlusPlus) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let inputs = config.genome_inputs(2);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(inputs, 1));
    let g = Genome::initial(0, inputs, 1, config, &mut tracker, &mut rng);
    (g, tracker, rng)
}

#[test]
fn generation_zero_carries_the_configured_values_in_module_order() {
    let config = evolving();
    config.validate().unwrap();
    let (g, _, _) = initial(&config, 0);
    assert_eq!(g.module_params, vec![0.05, 1.0, -0.5, 0.0, 0.0, 2.0]);
    let layout: Vec<(usize, &str)> = config
        .module_gene_layout()
        .map(|(module, gene)| (module, gene.name))
        .collect();
    assert_eq!(
        layout,
        [
            (0, "eta"),
            (0, "a"),
            (0, "b"),
            (0, "c"),
            (0, "d"),
            (2, "beta")
        ]
    );
    g.check_for(&config).unwrap();
}

#[test]
fn a_module_built_from_gene_values_takes_them_in_order() {
    let spec = &evolving().lifetime[0];
    let LifetimeModuleSpec::Hebbian(h) = spec.with_gene_values(&[0.2, 3.0, 4.0, 5.0, -1.0]) else {
        panic!("still a Hebbian rule");
    };
    assert_eq!((h.eta, h.a, h.b, h.c, h.d), (0.2, 3.0, 4.0, 5.0, -1.0));
    assert_eq!(h.bound, 8.0, "settings that are not genes stay");
}

#[test]
fn without_evolving_modules_genomes_and_random_draws_are_unchanged() {
    let mut config = evolving();
    for module in &mut config.lifetime {
        if let LifetimeModuleSpec::Hebbian(h) = module {
            h.evolve = false;
        }
        if let LifetimeModuleSpec::Hopfield(h) = module {
            h.evolve = false;
        }
    }
    let plain = NeatConfig {
        lifetime: config.lifetime.clone(),
        module_genes: ModuleGenesConfig {
            mutation_prob: 1.0,
            ..ModuleGenesConfig::default()
        },
        ..NeatConfig::default()
    };
    let (mut a, mut ta, mut ra) = initial(&config, 3);
    let (mut b, mut tb, mut rb) = initial(&plain, 3);
    assert!(a.module_params.is_empty());
    for _ in 0..50 {
        mutation::mutate(&mut a, &config, &mut ta, &mut ra);
        mutation::mutate(&mut b, &plain, &mut tb, &mut rb);
    }
    assert_eq!(a, b, "module_genes settings draw nothing without genes");
    assert!(!ron::to_string(&a).unwrap().contains("module_params"));
}

#[test]
fn distance_counts_the_mean_gene_difference_with_scales_as_logarithms() {
    let config = evolving();
    let (a, _, _) = initial(&config, 0);
    let mut b = a.clone();
    assert_eq!(distance(&a, &b, &config), 0.0);
    // η doubled (|ln 2|) and A moved by 1.5: mean over 6 genes, times c5 = 0.5.
    b.module_params[0] = 0.1;
    b.module_params[1] = 2.5;
    let expected = 0.5 * (2f64.ln() + 1.5) / 6.0;
    assert!((distance(&a, &b, &config) - expected).abs() < 1e-12);
}

#[test]
fn evolving_settings_out_of_range_name_their_field() {
    let mut config = evolving();
    if let LifetimeModuleSpec::Hebbian(h) = &mut config.lifetime[0] {
        h.eta = -0.1;
    }
    assert_eq!(config.validate().unwrap_err().field, "lifetime[0].eta");
    let mut config = evolving();
    if let LifetimeModuleSpec::Hebbian(h) = &mut config.lifetime[0] {
        h.a = 9.0;
    }
    let e = config.validate().unwrap_err();
    assert_eq!(e.field, "lifetime[0].a");
    assert!(e.message.contains("coefficient_limit"), "{e}");
    let mut config = evolving();
    config.module_genes.mutation_prob = 1.5;
    assert_eq!(
        config.validate().unwrap_err().field,
        "module_genes.mutation_prob"
    );
    assert!(ron::from_str::<NeatConfig>("(module_genes: (sigma: 0.1))").is_err());
}

#[test]
fn a_loaded_genome_must_carry_one_valid_value_per_gene() {
    let config = evolving();
    let (g, _, _) = initial(&config, 0);
    let mut short = g.clone();
    short.module_params.pop();
    assert_eq!(
        short.check_for(&config),
        Err(GenomeError::ModuleGeneCount { got: 5, want: 6 })
    );
    let mut negative = g.clone();
    negative.module_params[5] = -1.0;
    let e = negative.check_for(&config).unwrap_err();
    assert!(
        e.to_string().contains("lifetime[2].beta"),
        "names the setting: {e}"
    );
    let mut nan = g;
    nan.module_params[2] = f64::NAN;
    assert!(nan.check_for(&config).is_err());
}

proptest! {
    #[test]
    fn mutation_keeps_scales_positive_and_coefficients_within_the_limit(seed in 0u64..500) {
        let config = NeatConfig {
            module_genes: ModuleGenesConfig {
                mutation_prob: 1.0,
                perturb_power: 1.0,
                ..ModuleGenesConfig::default()
            },
            ..evolving()
        };
        let (mut g, mut tracker, mut rng) = initial(&config, seed);
        let before = g.module_params.clone();
        for _ in 0..30 {
            mutation::mutate(&mut g, &config, &mut tracker, &mut rng);
        }
        prop_assert!(g.module_params != before);
        prop_assert!(g.check_for(&config).is_ok(), "{:?}", g.module_params);
    }

    #[test]
    fn crossover_takes_each_gene_from_either_parent(seed in 0u64..500) {
        let config = NeatConfig {
            module_genes: ModuleGenesConfig {
                mutation_prob: 1.0,
                ..ModuleGenesConfig::default()
            },
            ..evolving()
        };
        let (mut a, mut tracker, mut rng) = initial(&config, seed);
        let mut b = a.clone();
        for _ in 0..5 {
            mutation::mutate(&mut a, &config, &mut tracker, &mut rng);
            mutation::mutate(&mut b, &config, &mut tracker, &mut rng);
        }
        let child = crossover(9, &a, &b, Fitter::First, &config, &mut rng);
        prop_assert_eq!(child.module_params.len(), a.module_params.len());
        for (i, v) in child.module_params.iter().enumerate() {
            prop_assert!(*v == a.module_params[i] || *v == b.module_params[i]);
        }
    }
}
