//! The golden digest: short runs of the built-in experiments that exercise every
//! transcendental path of evaluation (activations, pole trigonometry, the
//! modulated Hebbian gate, Hopfield and RBM exponentials, module-gene mutation),
//! hashed and pinned. Sprout promises the same bits on every machine; if this
//! test fails, either the code changed results (update the digest on purpose and
//! say so in the commit) or this platform computes differently (a bug).

use sprout_evolve::{Budget, Evolution, TaskDescription};
use sprout_lab::tasks::builtin_experiment;

/// 64-bit FNV-1a, folded over the bits of every number of a run.
fn fold(hash: u64, bits: u64) -> u64 {
    bits.to_le_bytes().iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every generation's best and mean fitness, and the champion's weights, of a
/// short run of the embedded experiment `name` with a small population.
fn digest(name: &str, population: usize, generations: u64) -> u64 {
    let mut experiment = builtin_experiment(name).unwrap();
    experiment.neat.population_size = population;
    let task = experiment.task.build().unwrap();
    let mut evolution = Evolution::new(&experiment.neat, task.as_ref(), 11);
    evolution
        .run(
            &experiment.neat,
            task.as_ref(),
            Budget {
                generations,
                stop_when_solved: false,
            },
        )
        .unwrap();
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for stats in &evolution.history {
        hash = fold(hash, stats.best_fitness.to_bits());
        hash = fold(hash, stats.mean_fitness.to_bits());
    }
    let champion = evolution.best.as_ref().unwrap();
    for connection in &champion.genome.conns {
        hash = fold(hash, connection.weight.to_bits());
    }
    hash
}

#[test]
fn short_runs_of_every_evaluation_path_give_the_pinned_bits() {
    let got = [
        ("xor", digest("xor", 50, 6)),
        ("dpv", digest("dpv", 40, 4)),
        ("tmaze-plastic", digest("tmaze-plastic", 30, 3)),
        (
            "platformer-shifting-plastic",
            digest("platformer-shifting-plastic", 16, 3),
        ),
        (
            "platformer-occluded-hopfield",
            digest("platformer-occluded-hopfield", 12, 2),
        ),
        (
            "platformer-occluded-rbm",
            digest("platformer-occluded-rbm", 12, 2),
        ),
    ];
    let shown: Vec<String> = got
        .iter()
        .map(|(name, hash)| format!("    (\"{name}\", {hash:#018x}),"))
        .collect();
    assert!(
        got == GOLDEN,
        "the digests moved; now:\n{}",
        shown.join("\n")
    );
}

/// Pinned on x86-64 Linux (glibc), release 0.1.0, 2026-12-02; the shifting
/// platformer's on 2026-12-03, when its arms began to score the worse episode.
const GOLDEN: [(&str, u64); 6] = [
    ("xor", 0x83f780896e21498e),
    ("dpv", 0x06d45f76637c2312),
    ("tmaze-plastic", 0x0ff6fb28159f3dee),
    ("platformer-shifting-plastic", 0xa09d945a1cd8d6e5),
    ("platformer-occluded-hopfield", 0xffbbb9032330b63d),
    ("platformer-occluded-rbm", 0x93442c6009ca5c25),
];
