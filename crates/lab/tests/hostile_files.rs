//! A short fuzzing run of every file Sprout reads, inside `cargo test`: each
//! entry of the committed corpus (`fuzz/corpus/<target>/`, grown by `cargo fuzz`)
//! and of the crash regressions (`fuzz/regressions/<target>/`) goes through the
//! target's entry point, then mutated copies of them do (flipped, cut, spliced
//! and repeated bytes, recompressed). Nothing may panic.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sprout_lab::hostile::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The corpus and regression inputs of one target.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                found.push((path, bytes));
            }
        }
    }
    found.sort();
    found
}

fn entry_point(target: &str) -> sprout_lab::hostile::EntryPoint {
    TARGETS.iter().find(|(name, _)| *name == target).unwrap().1
}

fn replays_its_corpus(target: &str) {
    let inputs = inputs(target);
    assert!(
        inputs.len() >= 5,
        "fuzz/corpus/{target} holds {} inputs; it should be committed",
        inputs.len()
    );
    let run = entry_point(target);
    let mut accepted = 0;
    for (path, bytes) in &inputs {
        let outcome = std::panic::catch_unwind(|| run(bytes));
        match outcome {
            Ok(Ok(())) => accepted += 1,
            Ok(Err(_)) => {}
            Err(_) => panic!("{target}: {} panics", path.display()),
        }
    }
    // The seeds are real files: some must load, or the target tests nothing.
    assert!(accepted > 0, "{target}: no corpus input loads");
}

#[test]
fn experiment_corpus_loads_or_errors() {
    replays_its_corpus("experiment");
}

#[test]
fn champion_corpus_loads_or_errors() {
    replays_its_corpus("champion");
}

#[test]
fn checkpoint_corpus_loads_or_errors() {
    replays_its_corpus("checkpoint");
}

#[test]
fn level_corpus_loads_or_errors() {
    replays_its_corpus("level");
}

/// A mutation of a corpus input.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bits: u8 },
    Cut { at: usize },
    Splice { at: usize, from: usize, len: usize },
    Repeat { at: usize, len: usize, times: usize },
    Insert { at: usize, text: &'static str },
    Compress,
}

const TOKENS: [&str; 8] = ["(", ")", "[", "]", ",", "1e308", "-0.0", "4294967296"];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        any::<usize>().prop_map(|at| Mutation::Cut { at }),
        (any::<usize>(), any::<usize>(), 1usize..64).prop_map(|(at, from, len)| Mutation::Splice {
            at,
            from,
            len
        }),
        (any::<usize>(), 1usize..16, 1usize..64).prop_map(|(at, len, times)| Mutation::Repeat {
            at,
            len,
            times
        }),
        (any::<usize>(), proptest::sample::select(TOKENS.to_vec()))
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        Just(Mutation::Compress),
    ]
}

fn apply(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let n = out.len().max(1);
        match *m {
            Mutation::Flip { at, bits } => {
                if !out.is_empty() {
                    out[at % n] ^= bits;
                }
            }
            Mutation::Cut { at } => out.truncate(at % n),
            Mutation::Splice { at, from, len } => {
                let from = from % n;
                let piece: Vec<u8> = out.iter().skip(from).take(len).copied().collect();
                let at = (at % n).min(out.len());
                out.splice(at..at, piece);
            }
            Mutation::Repeat { at, len, times } => {
                let at = (at % n).min(out.len());
                let piece: Vec<u8> = out.iter().skip(at).take(len).copied().collect();
                for _ in 0..times {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            Mutation::Insert { at, text } => {
                let at = (at % n).min(out.len());
                out.splice(at..at, text.bytes());
            }
            Mutation::Compress => out = zstd::bulk::compress(&out, 1).unwrap(),
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic() {
    for (target, run) in TARGETS {
        let inputs = inputs(target);
        let mut runner = TestRunner::new(Config {
            cases: 200,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (
            proptest::sample::select(inputs.clone()),
            proptest::collection::vec(mutation(), 1..4),
        );
        runner
            .run(&strategy, |((_, bytes), mutations)| {
                let mutated = apply(&bytes, &mutations);
                let _ = run(&mutated);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{target}: {e}"));
    }
}

#[test]
fn the_hand_made_hostile_files_are_refused() {
    for (target, name) in [
        ("checkpoint", "bomb-100mb-of-spaces.ron.zst"),
        ("experiment", "level-file-is-dev-zero.ron"),
        ("champion", "claims-a-billion-inputs.ron"),
    ] {
        let bytes = std::fs::read(fuzz_dir().join("regressions").join(target).join(name)).unwrap();
        let error = entry_point(target)(&bytes).expect_err(name).to_string();
        assert!(!error.is_empty(), "{name}");
    }
    // A 5,000-column level is large, and valid.
    let wide =
        std::fs::read(fuzz_dir().join("regressions/level/five-thousand-columns.ron")).unwrap();
    entry_point("level")(&wide).unwrap();
}
