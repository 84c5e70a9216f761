#![allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
use super::*;
use crate::hebbian::WeightBounds;
use crate::testutil::rng;

/// A tiny network stand-in: node activations and modulation set by the test.
struct MockNet {
    activations: Vec<f64>,
    modulation: Vec<f64>,
    synapses: Vec<Synapse>,
}

impl MockNet {
    fn new(nodes: usize, edges: &[(usize, usize, f64)]) -> Self {
        Self {
            activations: vec![0.0; nodes],
            modulation: vec![0.0; nodes],
            synapses: edges
                .iter()
                .map(|&(source, target, weight)| Synapse {
                    source,
                    target,
                    weight,
                    enabled: true,
                })
                .collect(),
        }
    }

    fn weights(&self) -> Vec<f64> {
        self.synapses.iter().map(|s| s.weight).collect()
    }
}

impl SynapseView for MockNet {
    fn node_count(&self) -> usize {
        self.activations.len()
    }
    fn activation(&self, node: usize) -> f64 {
        self.activations[node]
    }
    fn modulation(&self, node: usize) -> f64 {
        self.modulation[node]
    }
    fn connection_count(&self) -> usize {
        self.synapses.len()
    }
    fn connection(&self, index: usize) -> Synapse {
        self.synapses[index]
    }
    fn set_weight(&mut self, index: usize, weight: f64) {
        self.synapses[index].weight = weight;
    }
    fn set_enabled(&mut self, index: usize, enabled: bool) {
        self.synapses[index].enabled = enabled;
    }
}

const HEBB: Abcd = Abcd {
    eta: 0.1,
    a: 1.0,
    b: 0.0,
    c: 0.0,
    d: 0.0,
};

#[test]
fn hebbian_module_strengthens_coactive_connections_only() {
    // 0 → 2, 1 → 2; node 0 fires with node 2, node 1 is silent.
    let mut net = MockNet::new(3, &[(0, 2, 0.5), (1, 2, 0.5)]);
    let mut module = HebbianModule::new(
        RuleAssignment::Shared(HEBB),
        false,
        WeightConstraints::default(),
    )
    .unwrap();
    module.on_episode_start(&mut net).unwrap();
    net.activations = vec![1.0, 0.0, 0.8];
    for _ in 0..3 {
        module.after_activation(&mut net).unwrap();
    }
    let w = net.weights();
    assert!((w[0] - (0.5 + 3.0 * 0.1 * 0.8)).abs() < 1e-12);
    assert_eq!(w[1], 0.5);
}

#[test]
fn hebbian_module_applies_per_connection_and_class_rules() {
    let mut net = MockNet::new(3, &[(0, 2, 0.0), (1, 2, 0.0), (0, 1, 0.0)]);
    net.activations = vec![1.0, 1.0, 1.0];
    let anti = Abcd { a: -1.0, ..HEBB };
    let drift = Abcd {
        eta: 1.0,
        d: 0.25,
        ..Abcd::FROZEN
    };
    let mut per = HebbianModule::new(
        RuleAssignment::PerConnection(vec![HEBB, anti, drift]),
        false,
        WeightConstraints::default(),
    )
    .unwrap();
    per.on_episode_start(&mut net).unwrap();
    per.after_activation(&mut net).unwrap();
    assert_eq!(net.weights(), vec![0.1, -0.1, 0.25]);

    let mut classes = HebbianModule::new(
        RuleAssignment::Classes {
            rules: vec![HEBB, anti],
            class_of: vec![1, 1, 0],
        },
        false,
        WeightConstraints::default(),
    )
    .unwrap();
    classes.on_episode_start(&mut net).unwrap();
    classes.after_activation(&mut net).unwrap();
    assert_eq!(net.weights(), vec![0.0, -0.2, 0.35]);
}

#[test]
fn hebbian_module_rejects_rule_tables_that_do_not_fit() {
    let mut net = MockNet::new(2, &[(0, 1, 0.0)]);
    let mut module = HebbianModule::new(
        RuleAssignment::PerConnection(vec![HEBB, HEBB]),
        false,
        WeightConstraints::default(),
    )
    .unwrap();
    assert!(module.on_episode_start(&mut net).is_err());
    assert!(
        HebbianModule::new(
            RuleAssignment::Classes {
                rules: vec![HEBB],
                class_of: vec![0, 1],
            },
            false,
            WeightConstraints::default(),
        )
        .is_err()
    );
}

#[test]
fn neuromodulated_module_learns_only_when_modulated() {
    let mut net = MockNet::new(3, &[(0, 1, 0.0), (0, 2, 0.0)]);
    net.activations = vec![1.0, 1.0, 1.0];
    net.modulation = vec![0.0, 0.0, -2.0];
    let mut module = HebbianModule::new(
        RuleAssignment::Shared(HEBB),
        true,
        WeightConstraints::default(),
    )
    .unwrap();
    module.on_episode_start(&mut net).unwrap();
    module.after_activation(&mut net).unwrap();
    let w = net.weights();
    assert_eq!(w[0], 0.0, "no modulation reaching node 1: frozen");
    assert!(
        (w[1] + 0.1 * 1f64.tanh()).abs() < 1e-12,
        "negative modulation reverses"
    );
}

#[test]
fn hebbian_module_bounds_and_normalises_per_target_and_skips_disabled() {
    let mut net = MockNet::new(4, &[(0, 3, 0.2), (1, 3, 0.3), (2, 3, 0.5), (0, 2, 0.9)]);
    net.synapses[2].enabled = false;
    net.activations = vec![1.0, 0.5, 1.0, 1.0];
    let constraints = WeightConstraints {
        bounds: Some(WeightBounds::new(-1.0, 1.0).unwrap()),
        normalisation: Normalisation::Subtractive { sum: 1.0 },
    };
    let mut module = HebbianModule::new(RuleAssignment::Shared(HEBB), false, constraints).unwrap();
    module.on_episode_start(&mut net).unwrap();
    for _ in 0..20 {
        module.after_activation(&mut net).unwrap();
    }
    let w = net.weights();
    assert!(
        (w[0] + w[1] - 1.0).abs() < 1e-12,
        "enabled inputs of node 3 sum to 1"
    );
    assert!(w[0] > w[1], "the more active input wins the competition");
    assert_eq!(w[2], 0.5, "disabled connection untouched");
    assert_eq!(
        w[3], 1.0,
        "a lone input is normalised to 1 and clipped into bounds"
    );
}

#[test]
fn hopfield_memory_completes_occluded_observations() {
    let patterns = [
        [1.0, -1.0, 1.0, -1.0, 1.0, 1.0],
        [-1.0, -1.0, 1.0, 1.0, -1.0, 1.0],
        [1.0, 1.0, -1.0, -1.0, -1.0, -1.0],
    ];
    // Inputs: a bias, then the 6-value grid.
    let mut module =
        HopfieldMemory::new(1..7, 16, 4.0, CompletionMode::Replace, Some(f64::NAN)).unwrap();
    let mut net = MockNet::new(1, &[]);
    module.on_episode_start(&mut net).unwrap();
    let mut extended = [0.0; 7];
    for p in &patterns {
        let mut inputs = [1.0; 7];
        inputs[1..].copy_from_slice(p);
        module.before_activation(&inputs, &mut extended).unwrap();
        assert_eq!(&extended[1..], p, "complete observations pass through");
    }
    assert_eq!(module.memory().len(), 3);
    let mut occluded = [1.0; 7];
    occluded[1..].copy_from_slice(&patterns[1]);
    occluded[1] = f64::NAN;
    occluded[4] = f64::NAN;
    module.before_activation(&occluded, &mut extended).unwrap();
    assert_eq!(
        module.memory().len(),
        3,
        "occluded observations are not stored"
    );
    for (got, want) in extended[1..].iter().zip(&patterns[1]) {
        assert_eq!(got.signum(), *want, "{extended:?}");
    }
    assert_eq!(extended[2], -1.0, "observed values are kept as they are");
    module.on_episode_start(&mut net).unwrap();
    assert!(module.memory().is_empty());
}

#[test]
fn hopfield_memory_appends_retrieval_as_extra_inputs() {
    let mut module = HopfieldMemory::new(0..3, 4, 8.0, CompletionMode::Append, None).unwrap();
    assert_eq!(module.extra_inputs(), 3);
    let mut extended = [0.0; 6];
    module
        .before_activation(&[1.0, -1.0, 1.0], &mut extended)
        .unwrap();
    module
        .before_activation(&[0.9, -0.8, 0.2], &mut extended)
        .unwrap();
    assert_eq!(&extended[..3], &[0.9, -0.8, 0.2]);
    assert!((extended[3] - 1.0).abs() < 1e-3 && (extended[4] + 1.0).abs() < 1e-3);
    let mut short = [0.0; 5];
    assert!(
        module
            .before_activation(&[1.0, 1.0, 1.0], &mut short)
            .is_err()
    );
    assert!(
        module
            .before_activation(&[1.0, 1.0], &mut [0.0; 5])
            .is_err()
    );
}

fn rbm_module(seed: u64) -> RbmFeatures {
    let rbm = Rbm::new(4, 3, 0.1, &mut rng(seed)).unwrap();
    let training = TrainingConfig {
        estimator: Estimator::ContrastiveDivergence { k: 1 },
        learning_rate: 0.1,
        momentum: 0.0,
        weight_decay: 0.0,
    };
    RbmFeatures::new(1..5, (-1.0, 1.0), rbm, training, seed).unwrap()
}

#[test]
fn rbm_features_learn_the_stream_and_reset_each_episode() {
    let mut module = rbm_module(3);
    let mut net = MockNet::new(1, &[]);
    let stream = [[1.0, 1.0, -1.0, -1.0, 1.0], [1.0, -1.0, -1.0, 1.0, 1.0]];
    let mut extended = [0.0; 8];
    let run = |module: &mut RbmFeatures, extended: &mut [f64; 8]| {
        let mut features = Vec::new();
        for step in 0..400 {
            module
                .before_activation(&stream[step % 2], extended)
                .unwrap();
            features.extend_from_slice(&extended[5..]);
        }
        features
    };
    module.on_episode_start(&mut net).unwrap();
    let visible = ndarray::Array2::from_shape_fn((2, 4), |(i, j)| (stream[i][j + 1] + 1.0) / 2.0);
    let before = module.rbm().reconstruction_error(visible.view()).unwrap();
    let first = run(&mut module, &mut extended);
    let after = module.rbm().reconstruction_error(visible.view()).unwrap();
    assert_eq!(&extended[..5], &stream[1]);
    assert!(extended[5..].iter().all(|&p| p > 0.0 && p < 1.0));
    assert!(after < 0.5 * before, "reconstruction {before} -> {after}");
    module.on_episode_start(&mut net).unwrap();
    assert_eq!(
        module.rbm().reconstruction_error(visible.view()).unwrap(),
        before
    );
    let second = run(&mut module, &mut extended);
    assert_eq!(first, second, "episodes replay bit for bit");
}

#[test]
fn rbm_features_refuse_mismatched_setups() {
    let rbm = Rbm::new(4, 3, 0.1, &mut rng(0)).unwrap();
    let training = TrainingConfig {
        estimator: Estimator::Exact,
        learning_rate: 0.1,
        momentum: 0.0,
        weight_decay: 0.0,
    };
    assert!(RbmFeatures::new(0..4, (0.0, 1.0), rbm.clone(), training, 0).is_err());
    let cd = TrainingConfig {
        estimator: Estimator::ContrastiveDivergence { k: 1 },
        ..training
    };
    assert!(RbmFeatures::new(0..3, (0.0, 1.0), rbm.clone(), cd, 0).is_err());
    assert!(RbmFeatures::new(0..4, (1.0, 1.0), rbm, cd, 0).is_err());
}

#[test]
fn activity_pruning_cuts_unused_connections_but_keeps_the_last_path() {
    // Inputs 0, 1; hidden 2; output 3. Input 1 is silent; 0 → 3 is the only direct
    // path and 0 → 2 → 3 the other.
    let mut net = MockNet::new(
        4,
        &[
            (0, 2, 1.0),
            (1, 2, 1.0),
            (2, 3, 0.001),
            (0, 3, 1.0),
            (1, 3, 0.5),
        ],
    );
    let mut module = ActivityPruning::new(0.2, 0.01, 10, 5, vec![0, 1], vec![3]).unwrap();
    module.on_episode_start(&mut net).unwrap();
    net.activations = vec![1.0, 0.0, 1.0, 1.0];
    for _ in 0..20 {
        module.after_activation(&mut net).unwrap();
    }
    let enabled: Vec<bool> = net.synapses.iter().map(|s| s.enabled).collect();
    assert_eq!(enabled, vec![true, false, false, true, false]);
    // Now make the last path silent too: it must survive anyway.
    net.activations = vec![0.0, 0.0, 0.0, 0.0];
    for _ in 0..40 {
        module.after_activation(&mut net).unwrap();
    }
    let enabled: Vec<bool> = net.synapses.iter().map(|s| s.enabled).collect();
    assert_eq!(enabled.iter().filter(|&&e| e).count(), 1);
    assert!(
        enabled[3] || enabled[0],
        "a path from an input to the output survives"
    );
}
