//! Running the binary and reading its outputs.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `sprout` with `args` in `dir`.
pub fn sprout(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sprout"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the sprout binary runs")
}

/// Sends signal `name` (`TERM`, `KILL`, …) to `child`.
pub fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Runs `sprout` and asserts success; returns stdout.
pub fn sprout_ok(dir: &Path, args: &[&str]) -> String {
    let out = sprout(dir, args);
    assert!(
        out.status.success(),
        "sprout {args:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `sprout`, asserts a clean failure (non-zero exit, no panic), and
/// returns stderr.
pub fn sprout_err(dir: &Path, args: &[&str]) -> String {
    let out = sprout(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "sprout {args:?} should fail");
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "backtrace: {stderr}");
    stderr
}

/// stats.csv without the wall-clock column.
pub fn stats_without_seconds(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A small XOR experiment that runs a fixed number of generations.
pub const SMALL_XOR: &str = r#"(
    name: "small",
    generations: 8,
    stop_when_solved: false,
    checkpoint_every: 3,
    neat: (population_size: 40, add_node_prob: 0.2, add_connection_prob: 0.3),
    task: Xor,
)"#;

/// The shipped XOR experiment.
pub const XOR_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../configs/xor.ron");

/// A temporary directory holding `small.ron` ([`SMALL_XOR`]).
pub fn dir_with_small_xor() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.ron"), SMALL_XOR).unwrap();
    dir
}

/// A two-generation XOR experiment (for "not a platformer genome" checks).
pub const TINY_XOR: &str = "(name: \"x\", generations: 2, stop_when_solved: false, task: Xor)";

/// A temporary directory where `file` holds `config` and `sprout evolve` has
/// written its run to `run/` (so `run/champion.ron` exists).
pub fn dir_with_run(file: &str, config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), config).unwrap();
    sprout_ok(dir.path(), &["evolve", "--config", file, "--out", "run"]);
    dir
}

/// In a directory holding small.ron ([`SMALL_XOR`]): evolves it straight
/// through into `straight/`, and for only `first` generations into `split/`.
pub fn straight_and_split(dir: &Path, first: u64) {
    sprout_ok(
        dir,
        &["evolve", "--config", "small.ron", "--out", "straight"],
    );
    let first = first.to_string();
    sprout_ok(
        dir,
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "split",
            "--generations",
            &first,
        ],
    );
}

/// Asserts that the run directories `a` and `b` in `dir` hold the same run:
/// the same stats.csv (timing aside) and the same champion.ron.
pub fn assert_same_run(dir: &Path, a: &str, b: &str) {
    assert_eq!(
        stats_without_seconds(&dir.join(a).join("stats.csv")),
        stats_without_seconds(&dir.join(b).join("stats.csv"))
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(a).join("champion.ron")).unwrap(),
        std::fs::read_to_string(dir.join(b).join("champion.ron")).unwrap()
    );
}
