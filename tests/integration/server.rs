//! As a server operator runs Sprout: stopped by signals, failing fast on bad
//! output directories and oversized populations, logging progress when standard
//! error is not a terminal, and checkpoints that are compact, versioned and
//! written so that a failed write loses nothing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{
    SMALL_XOR, assert_same_run, dir_with_small_xor, signal, sprout, sprout_err, sprout_ok,
    straight_and_split,
};

/// SMALL_XOR, running until stopped, checkpointing only when it ends.
fn endless_xor(dir: &Path) {
    let endless = SMALL_XOR
        .replace("generations: 8", "generations: 1000000")
        .replace("checkpoint_every: 3", "checkpoint_every: 0");
    std::fs::write(dir.join("endless.ron"), endless).unwrap();
}

/// Starts `sprout args` in `dir` and returns once it has announced its run (its
/// first line on standard output) and evolved for a moment.
fn start(dir: &Path, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sprout"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("evolving"), "{first}");
    std::thread::sleep(Duration::from_millis(500));
    (child, first)
}

fn checkpoint_names(run: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(run.join("checkpoints"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn generation_of(name: &str) -> u64 {
    name.trim_start_matches("gen-")
        .trim_end_matches(".ron.zst")
        .parse()
        .unwrap()
}

/// Stops an endless run with `name`, checks the exit code, the message and the
/// checkpoint, and resumes it for two more generations.
fn stopping_with(name: &str, code: i32) {
    let dir = tempfile::tempdir().unwrap();
    endless_xor(dir.path());
    let (child, _) = start(
        dir.path(),
        &["evolve", "--config", "endless.ron", "--out", "run"],
    );
    signal(&child, name);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    assert!(stderr.contains(&format!("SIG{name}")), "{stderr}");
    assert!(stdout.contains("stopped after generation"), "{stdout}");
    assert!(stdout.contains("sprout evolve --resume run"), "{stdout}");
    let names = checkpoint_names(&dir.path().join("run"));
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        stdout.contains(&names[0]),
        "the message names the checkpoint: {stdout}"
    );
    let target = (generation_of(&names[0]) + 2).to_string();
    let out = sprout_ok(
        dir.path(),
        &["evolve", "--resume", "run", "--generations", &target],
    );
    assert!(
        out.contains(&format!("finished {target} generations")),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_saves_a_checkpoint_that_resumes() {
    stopping_with("INT", 130);
}

#[cfg(unix)]
#[test]
fn sigterm_saves_a_checkpoint_and_exits_143() {
    stopping_with("TERM", 143);
}

#[cfg(unix)]
#[test]
fn sighup_saves_a_checkpoint_and_exits_129() {
    stopping_with("HUP", 129);
}

#[cfg(unix)]
#[test]
fn a_second_signal_exits_at_once_and_corrupts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Slow generations (a large population), so the second signal arrives while
    // the first generation is still in flight.
    let slow = SMALL_XOR
        .replace("generations: 8", "generations: 1000000")
        .replace("population_size: 40", "population_size: 20000")
        .replace("checkpoint_every: 3", "checkpoint_every: 1");
    std::fs::write(dir.path().join("slow.ron"), slow).unwrap();
    let (child, _) = start(
        dir.path(),
        &["evolve", "--config", "slow.ron", "--out", "run"],
    );
    signal(&child, "TERM");
    std::thread::sleep(Duration::from_millis(50));
    signal(&child, "TERM");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("again: exiting now"), "{stderr}");
    // Whatever checkpoints exist are whole: the newest resumes.
    let names = checkpoint_names(&dir.path().join("run"));
    if let Some(newest) = names.iter().rfind(|n| n.starts_with("gen-")) {
        let target = (generation_of(newest) + 1).to_string();
        sprout_ok(
            dir.path(),
            &["evolve", "--resume", "run", "--generations", &target],
        );
    }
}

#[test]
fn an_unwritable_output_directory_fails_before_the_first_generation() {
    let dir = dir_with_small_xor();
    std::fs::write(dir.path().join("a-file"), "not a directory").unwrap();
    for out in ["/proc/nope", "a-file/run"] {
        let err = sprout_err(
            dir.path(),
            &["evolve", "--config", "small.ron", "--out", out],
        );
        assert!(err.contains(out), "{err}");
        assert!(err.contains("cannot write the run's output here"), "{err}");
    }
    // Nothing was evolved: no announcement, no run directory.
    let out = sprout(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "a-file/run"],
    );
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    assert!(
        std::fs::read_dir(dir.path()).unwrap().count() == 2,
        "small.ron and a-file only"
    );
}

#[test]
fn a_resume_source_that_does_not_parse_fails_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gen-000001.ron"),
        "(format: 1, experiment: (",
    )
    .unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--resume", "gen-000001.ron"]);
    assert!(err.contains("gen-000001.ron:"), "{err}");
}

#[test]
fn a_level_that_does_not_load_fails_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let config = "(name: \"lost\", task: Platformer(levels: Files([\"levels/gone.ron\"])))";
    std::fs::write(dir.path().join("lost.ron"), config).unwrap();
    let out = sprout(
        dir.path(),
        &["evolve", "--config", "lost.ron", "--out", "run"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("lost.ron") && stderr.contains("levels/gone.ron"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    assert!(!dir.path().join("run").exists(), "nothing was written");
}

#[test]
fn two_billion_genomes_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let huge = SMALL_XOR.replace("population_size: 40", "population_size: 2000000000");
    std::fs::write(dir.path().join("huge.ron"), huge).unwrap();
    // Without the guard this run grows until the machine kills it.
    let err = sprout_err(dir.path(), &["evolve", "--config", "huge.ron"]);
    assert!(err.contains("huge.ron:6: neat.population_size"), "{err}");
    assert!(err.contains("a population of 2000000000 genomes"), "{err}");
    assert!(err.contains("of memory, but"), "{err}");
    assert!(err.contains("is available"), "{err}");
}

/// The progress lines on standard error of a run of SMALL_XOR.
fn log_lines(extra: &[&str]) -> Vec<String> {
    let dir = dir_with_small_xor();
    let mut args = vec!["evolve", "--config", "small.ron", "--out", "run"];
    args.extend_from_slice(extra);
    let out = sprout(dir.path(), &args);
    assert!(out.status.success());
    String::from_utf8(out.stderr)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn logs_get_one_plain_line_per_generation_when_stderr_is_not_a_terminal() {
    let lines = log_lines(&["--log-interval", "0"]);
    assert_eq!(lines.len(), 8, "{lines:?}");
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line.starts_with(&format!("gen {}/8  best ", i + 1)),
            "{line}"
        );
        for field in ["mean ", "species ", "evals/s ", "elapsed "] {
            assert!(line.contains(field), "{line}");
        }
    }
    // The default interval keeps fast runs short, and always logs the end.
    let lines = log_lines(&[]);
    assert!(!lines.is_empty() && lines.len() < 8, "{lines:?}");
    assert!(lines.last().unwrap().starts_with("gen 8/8"), "{lines:?}");
}

#[test]
fn json_logs_carry_the_same_fields_and_quiet_logs_nothing() {
    let lines = log_lines(&["--log-format", "json", "--log-interval", "0"]);
    assert_eq!(lines.len(), 8, "{lines:?}");
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["generation"], i as u64 + 1);
        for key in [
            "best_fitness",
            "mean_fitness",
            "species",
            "evaluations_per_second",
            "elapsed_seconds",
        ] {
            assert!(v[key].is_number(), "{key} in {line}");
        }
    }
    assert!(log_lines(&["--quiet"]).is_empty());
}

#[test]
fn checkpoints_are_compressed_and_plain_ones_still_resume() {
    let dir = dir_with_small_xor();
    straight_and_split(dir.path(), 3);
    let compressed = dir.path().join("split/checkpoints/gen-000003.ron.zst");
    let bytes = std::fs::read(&compressed).unwrap();
    assert_eq!(&bytes[..4], [0x28, 0xb5, 0x2f, 0xfd], "a zstd frame");
    // An older Sprout wrote plain RON: decompress it into one, as it would be.
    let plain = zstd::decode_all(bytes.as_slice()).unwrap();
    assert!(
        plain.len() > 3 * bytes.len(),
        "{} vs {}",
        plain.len(),
        bytes.len()
    );
    let text = String::from_utf8(plain).unwrap();
    assert!(
        text.trim_start().starts_with("(\n    format: 1,"),
        "{}",
        &text[..40]
    );
    std::fs::remove_file(&compressed).unwrap();
    std::fs::write(dir.path().join("split/checkpoints/gen-000003.ron"), text).unwrap();
    sprout_ok(
        dir.path(),
        &["evolve", "--resume", "split", "--generations", "8"],
    );
    assert_same_run(dir.path(), "straight", "split");
}

#[test]
fn a_failed_checkpoint_write_stops_the_run_and_keeps_the_previous_one() {
    let dir = dir_with_small_xor();
    // Generation 6's checkpoint cannot be written: its name is taken by a
    // directory that is not empty, so the final rename fails.
    let blocked = dir.path().join("run/checkpoints/gen-000006.ron.zst");
    std::fs::create_dir_all(blocked.join("x")).unwrap();
    let err = sprout_err(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "run"],
    );
    assert!(err.contains("gen-000006.ron.zst"), "{err}");
    assert!(
        err.contains("cannot write the checkpoint of generation 6"),
        "{err}"
    );
    assert!(err.contains("previous checkpoints are intact"), "{err}");
    let names = checkpoint_names(&dir.path().join("run"));
    assert_eq!(
        names,
        ["gen-000003.ron.zst", "gen-000006.ron.zst"],
        "no temporary file is left"
    );
    std::fs::remove_dir_all(&blocked).unwrap();
    let out = sprout_ok(
        dir.path(),
        &["evolve", "--resume", "run", "--generations", "8"],
    );
    assert!(out.contains("finished 8 generations"), "{out}");
}

#[test]
fn files_from_a_newer_format_are_refused_naming_both_versions() {
    let dir = dir_with_small_xor();
    sprout_ok(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "run"],
    );
    let champion = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    assert!(champion.contains("format: 1,"), "{champion}");
    std::fs::write(
        dir.path().join("future.ron"),
        champion.replacen("format: 1,", "format: 9,", 1),
    )
    .unwrap();
    let err = sprout_err(dir.path(), &["replay", "future.ron", "--headless"]);
    assert!(err.contains("future.ron: file format version 9"), "{err}");
    assert!(err.contains("reads versions 1 to 1"), "{err}");
}

#[test]
fn a_genome_that_claims_a_billion_nodes_is_refused_at_once() {
    let dir = dir_with_small_xor();
    sprout_ok(
        dir.path(),
        &["evolve", "--config", "small.ron", "--out", "run"],
    );
    let champion = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    let claim = champion.replacen("inputs: 2,", "inputs: 1000000000,", 1);
    assert_ne!(claim, champion);
    std::fs::write(dir.path().join("claim.ron"), claim).unwrap();
    for command in [
        &["replay", "claim.ron", "--headless"][..],
        &["inspect", "claim.ron"],
    ] {
        let err = sprout_err(dir.path(), command);
        assert!(err.contains("claim.ron"), "{err}");
    }
}
