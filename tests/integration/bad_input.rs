//! Bad input gets a short error naming the file (and line or field), exit code 1,
//! and never a panic.

use crate::util::{SMALL_XOR, XOR_CONFIG, dir_with_small_xor, sprout_err, sprout_ok};

fn with_config(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.ron"), text).unwrap();
    (dir, "bad.ron".to_string())
}

#[test]
fn malformed_config_names_file_and_line() {
    let (dir, file) = with_config("(\n  name: \"x\",\n  generations: ,\n  task: Xor,\n)");
    let err = sprout_err(dir.path(), &["evolve", "--config", &file]);
    assert!(err.contains("bad.ron:3:"), "{err}");
}

#[test]
fn misspelled_field_is_rejected_with_its_name_and_line() {
    let text = SMALL_XOR.replace("add_node_prob", "add_nod_prob");
    let (dir, file) = with_config(&text);
    let err = sprout_err(dir.path(), &["evolve", "--config", &file]);
    assert!(err.contains("bad.ron:6:"), "{err}");
    assert!(err.contains("add_nod_prob"), "{err}");
}

#[test]
fn out_of_range_rate_names_the_field_and_line() {
    let text = SMALL_XOR.replace("add_node_prob: 0.2", "add_node_prob: 1.7");
    let (dir, file) = with_config(&text);
    let err = sprout_err(dir.path(), &["evolve", "--config", &file]);
    assert!(err.contains("neat.add_node_prob"), "{err}");
    assert!(err.contains("bad.ron:6"), "{err}");
}

#[test]
fn population_below_two_is_rejected() {
    let text = SMALL_XOR.replace("population_size: 40", "population_size: 1");
    let (dir, file) = with_config(&text);
    let err = sprout_err(dir.path(), &["evolve", "--config", &file]);
    assert!(err.contains("population_size"), "{err}");
}

#[test]
fn missing_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "nowhere.ron"]);
    assert!(err.contains("nowhere.ron"), "{err}");
}

#[test]
fn missing_genome_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = sprout_err(dir.path(), &["replay", "gone.ron", "--headless"]);
    assert!(err.contains("gone.ron"), "{err}");
    let err = sprout_err(dir.path(), &["inspect", "gone.ron"]);
    assert!(err.contains("gone.ron"), "{err}");
}

fn saved_champion() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    sprout_ok(
        dir.path(),
        &[
            "evolve", "--config", XOR_CONFIG, "--seed", "4", "--out", "run",
        ],
    );
    let text = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    (dir, text)
}

#[test]
fn truncated_genome_is_a_parse_error_with_a_line() {
    let (dir, text) = saved_champion();
    std::fs::write(dir.path().join("cut.ron"), &text[..text.len() / 2]).unwrap();
    for command in ["replay", "inspect"] {
        let err = sprout_err(dir.path(), &[command, "cut.ron"]);
        assert!(err.contains("cut.ron:"), "{err}");
    }
}

#[test]
fn garbage_genome_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("junk.ron"),
        [0xff_u8, 0x00, 0x13, 0x37, b'{'],
    )
    .unwrap();
    let err = sprout_err(dir.path(), &["replay", "junk.ron", "--headless"]);
    assert!(err.contains("junk.ron"), "{err}");
}

#[test]
fn genome_with_a_dangling_connection_is_called_corrupt() {
    let (dir, text) = saved_champion();
    // Point the first connection at a node that does not exist.
    let corrupt = text.replacen("target: 3,", "target: 999,", 1);
    assert_ne!(corrupt, text);
    std::fs::write(dir.path().join("corrupt.ron"), corrupt).unwrap();
    let err = sprout_err(dir.path(), &["replay", "corrupt.ron", "--headless"]);
    assert!(err.contains("corrupt.ron") && err.contains("999"), "{err}");
}

#[test]
fn truncated_checkpoint_cannot_be_resumed() {
    let dir = dir_with_small_xor();
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "small.ron",
            "--out",
            "run",
            "--generations",
            "3",
        ],
    );
    let checkpoint = dir.path().join("run/checkpoints/gen-000003.ron.zst");
    let bytes = std::fs::read(&checkpoint).unwrap();
    std::fs::write(&checkpoint, &bytes[..bytes.len() - 200]).unwrap();
    let err = sprout_err(
        dir.path(),
        &["evolve", "--resume", "run", "--generations", "6"],
    );
    assert!(err.contains("gen-000003.ron.zst:"), "{err}");
}

#[test]
fn resume_from_a_directory_without_checkpoints_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--resume", "empty"]);
    assert!(err.contains("empty"), "{err}");
}
