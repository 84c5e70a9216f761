//! `sprout evolve`, `replay` and `inspect`.

use crate::util::{
    XOR_CONFIG, assert_same_run, dir_with_small_xor, sprout_ok, stats_without_seconds,
    straight_and_split,
};

#[test]
fn evolve_writes_champion_stats_plot_and_checkpoints() {
    let dir = dir_with_small_xor();
    let out = sprout_ok(
        dir.path(),
        &["evolve", "--config", "small.ron", "--seed", "5"],
    );
    assert!(out.contains("finished 8 generations"), "{out}");
    let run = dir.path().join("saves/small-5");
    for file in ["champion.ron", "stats.csv", "fitness.png"] {
        assert!(run.join(file).is_file(), "{file} missing");
    }
    let png = std::fs::read(run.join("fitness.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let stats = std::fs::read_to_string(run.join("stats.csv")).unwrap();
    assert_eq!(
        stats.lines().count(),
        1 + 8,
        "header and one row per generation"
    );
    assert!(stats.starts_with(
        "generation,best_fitness,mean_fitness,species,mean_nodes,mean_connections,evaluations"
    ));
    let checkpoints: Vec<_> = std::fs::read_dir(run.join("checkpoints"))
        .unwrap()
        .collect();
    assert!(checkpoints.len() >= 2, "every 3 generations and at the end");
}

#[test]
fn replay_reproduces_the_recorded_fitness_exactly() {
    let dir = tempfile::tempdir().unwrap();
    sprout_ok(
        dir.path(),
        &[
            "evolve", "--config", XOR_CONFIG, "--seed", "2", "--out", "run",
        ],
    );
    let out = sprout_ok(dir.path(), &["replay", "run/champion.ron", "--headless"]);
    assert!(
        out.contains("replay matches the recording exactly"),
        "{out}"
    );
    let recorded = out
        .lines()
        .find(|l| l.starts_with("recorded fitness"))
        .unwrap();
    let replayed = out
        .lines()
        .find(|l| l.starts_with("replayed fitness"))
        .unwrap();
    assert_eq!(
        recorded.split_whitespace().nth(2),
        replayed.split_whitespace().nth(2)
    );
}

#[test]
fn xor_experiment_solves_xor() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &["evolve", "--config", XOR_CONFIG, "--seed", "7"],
    );
    assert!(out.contains("solved in generation"), "{out}");
    assert!(dir.path().join("saves/xor-7/champion.ron").is_file());
}

#[test]
fn default_experiment_is_the_platformer() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(dir.path(), &["evolve", "--generations", "2"]);
    assert!(out.contains("task platformer"), "{out}");
    let stats = std::fs::read_to_string(dir.path().join("saves/platformer-0/stats.csv")).unwrap();
    assert_eq!(stats.lines().count(), 3);
}

#[test]
fn inspect_prints_structure_and_dot() {
    let dir = tempfile::tempdir().unwrap();
    sprout_ok(
        dir.path(),
        &[
            "evolve", "--config", XOR_CONFIG, "--seed", "1", "--out", "run",
        ],
    );
    let out = sprout_ok(dir.path(), &["inspect", "run/champion.ron"]);
    assert!(
        out.contains("nodes") && out.contains("enabled ratio"),
        "{out}"
    );
    let dot = sprout_ok(dir.path(), &["inspect", "run/champion.ron", "--dot"]);
    assert!(
        dot.starts_with("digraph genome {") && dot.trim_end().ends_with('}'),
        "{dot}"
    );
    // A checkpoint works as a genome file too: its champion is inspected.
    let checkpoint = std::fs::read_dir(dir.path().join("run/checkpoints"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let out = sprout_ok(dir.path(), &["inspect", checkpoint.to_str().unwrap()]);
    assert!(out.contains("enabled ratio"), "{out}");
}

#[test]
fn resume_continues_bit_identically_to_an_uninterrupted_run() {
    let dir = dir_with_small_xor();
    straight_and_split(dir.path(), 4);
    // --generations is the total: 4 more generations to reach 8.
    let out = sprout_ok(
        dir.path(),
        &["evolve", "--resume", "split", "--generations", "8"],
    );
    assert!(out.contains("finished 8 generations"), "{out}");
    assert_same_run(dir.path(), "straight", "split");
}

#[test]
fn thread_count_does_not_change_the_run() {
    let dir = dir_with_small_xor();
    for threads in ["1", "2", "8"] {
        let out = format!("t{threads}");
        sprout_ok(
            dir.path(),
            &[
                "evolve",
                "--config",
                "small.ron",
                "--threads",
                threads,
                "--out",
                &out,
            ],
        );
    }
    let one = stats_without_seconds(&dir.path().join("t1/stats.csv"));
    for threads in ["2", "8"] {
        assert_eq!(
            one,
            stats_without_seconds(&dir.path().join(format!("t{threads}/stats.csv")))
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("t1/champion.ron")).unwrap(),
            std::fs::read_to_string(dir.path().join(format!("t{threads}/champion.ron"))).unwrap()
        );
    }
}

#[test]
fn pole_balancing_champions_evolve_and_replay() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["pole", "dpv"] {
        let config = format!("{}/../../configs/{name}.ron", env!("CARGO_MANIFEST_DIR"));
        let out = sprout_ok(
            dir.path(),
            &[
                "evolve",
                "--config",
                &config,
                "--generations",
                "3",
                "--out",
                name,
            ],
        );
        assert!(out.contains(&format!("task {name}")), "{out}");
        let replay = sprout_ok(
            dir.path(),
            &["replay", &format!("{name}/champion.ron"), "--headless"],
        );
        assert!(
            replay.contains("replay matches the recording exactly"),
            "{replay}"
        );
    }
}
