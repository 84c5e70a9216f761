use sprout_genome::{Activation, ConnGene, NodeGene};

use super::*;

fn node(id: u32, kind: NodeKind) -> NodeGene {
    NodeGene {
        id,
        kind,
        activation: Activation::Identity,
        bias: 0.0,
    }
}

/// Inputs 0 and 1, bias 2, output 3, hidden 4; `links` are (source, target, weight).
fn genome(links: &[(u32, u32, f64)]) -> Genome {
    Genome {
        id: 1,
        inputs: 2,
        outputs: 1,
        nodes: vec![
            node(0, NodeKind::Input),
            node(1, NodeKind::Input),
            node(2, NodeKind::Bias),
            node(3, NodeKind::Output),
            node(4, NodeKind::Hidden),
        ],
        conns: links
            .iter()
            .enumerate()
            .map(|(i, &(source, target, weight))| ConnGene {
                innovation: i as u64,
                source,
                target,
                weight,
                enabled: true,
                plastic: None,
            })
            .collect(),
        module_params: Vec::new(),
    }
}

/// Whether output 3 is reachable from input 0 or 1 over enabled links.
fn output_reachable(genome: &Genome) -> bool {
    let mut seen = vec![0u32, 1];
    let mut stack = seen.clone();
    while let Some(n) = stack.pop() {
        for c in genome.conns.iter().filter(|c| c.enabled && c.source == n) {
            if !seen.contains(&c.target) {
                seen.push(c.target);
                stack.push(c.target);
            }
        }
    }
    seen.contains(&3)
}

#[test]
fn magnitude_pruning_removes_the_smallest_weights_first() {
    let g = genome(&[
        (0, 3, 0.1),
        (1, 3, -2.0),
        (2, 3, 0.5),
        (0, 4, 1.5),
        (4, 3, -0.05),
    ]);
    let enabled = enabled_connections(&g);
    let probe = Probe {
        activity: vec![0.0; enabled.len()],
        episodes: Vec::new(),
    };
    let neat = NeatConfig::default();
    let s = saliency(Method::Magnitude, &g, &neat, &enabled, &probe, 0).unwrap();
    let mut guard = output_guard(&g, &enabled);
    let alive = prune_mask(&s, 0.4, &mut guard).unwrap();
    assert_eq!(alive, [false, true, true, true, false]);
}

#[test]
fn an_output_stays_reachable_at_every_fraction() {
    // The only input path runs through tiny weights; the bias link is the largest.
    let g = genome(&[(0, 4, 0.01), (4, 3, 0.02), (1, 4, 0.03), (2, 3, 5.0)]);
    let enabled = enabled_connections(&g);
    let neat = NeatConfig::default();
    let probe = Probe {
        activity: vec![0.0; enabled.len()],
        episodes: Vec::new(),
    };
    let mut guard = output_guard(&g, &enabled);
    for method in [Method::Magnitude, Method::Random] {
        for seed in 0..5 {
            let s = saliency(method, &g, &neat, &enabled, &probe, seed).unwrap();
            for step in 0..20 {
                let fraction = step as f64 * 0.05;
                let alive = prune_mask(&s, fraction, &mut guard).unwrap();
                let pruned = with_pruned(&g, &enabled, &alive);
                assert!(
                    output_reachable(&pruned),
                    "{method:?} seed {seed} fraction {fraction}: {alive:?}"
                );
            }
        }
    }
    // The guard leaves exactly one input path: it removes at most the bias link
    // and one of the two input links.
    let s = saliency(Method::Magnitude, &g, &neat, &enabled, &probe, 0).unwrap();
    let alive = prune_mask(&s, 0.95, &mut guard).unwrap();
    assert_eq!(alive, [false, true, true, false]);
}

#[test]
fn gauss_newton_diagonal_of_a_linear_output_is_the_mean_squared_input() {
    // output = w0·x0 + w1·x1 + w2·1, so ∂output/∂w_k is the k-th input.
    let g = genome(&[(0, 3, 0.7), (1, 3, -1.2), (2, 3, 0.3)]);
    let enabled = enabled_connections(&g);
    let episodes = vec![vec![vec![1.0, 0.0], vec![3.0, 0.0]], vec![vec![-2.0, 0.0]]];
    let h = gauss_newton_diagonal(&g, &NeatConfig::default(), &enabled, &episodes).unwrap();
    let want = [(1.0 + 9.0 + 4.0) / 3.0, 0.0, 1.0];
    for (got, want) in h.iter().zip(want) {
        assert!((got - want).abs() < 1e-6, "{h:?}");
    }
    // OBD ranks the unused input's link lowest even though its weight is largest.
    let probe = Probe {
        activity: vec![0.0; 3],
        episodes,
    };
    let s = saliency(Method::Obd, &g, &NeatConfig::default(), &enabled, &probe, 0).unwrap();
    assert!(s[1] < s[2] && s[2] < s[0], "{s:?}");
}

#[test]
fn fractions_outside_the_unit_interval_are_rejected_naming_the_flag() {
    for bad in [[1.0], [-0.1], [f64::NAN]] {
        let message = check_fractions(&bad).unwrap_err().to_string();
        assert!(message.contains("--fractions"), "{message}");
    }
    assert!(check_fractions(&[0.0, 0.5, 0.99]).is_ok());
    assert!(check_fractions(&[]).is_err());
}
