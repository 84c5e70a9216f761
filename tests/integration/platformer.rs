//! The platformer through the binary: evolve, replay, and its benchmarks.

use crate::util::{TINY_XOR, dir_with_run, sprout_err, sprout_ok};

pub const SMALL_PLATFORMER: &str = r#"(
    name: "tiny",
    generations: 3,
    stop_when_solved: false,
    checkpoint_every: 0,
    neat: (
        population_size: 24,
        initial_connection: Unconnected,
        feed_forward: false,
        hidden_activation: SteepTanh,
        output_activation: SteepTanh,
        add_node_prob: 0.5,
        add_connection_prob: 1.0,
    ),
    task: Platformer(levels: Builtin(["1-1"]), max_ticks: 600),
)"#;

pub fn last_json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.lines().last().unwrap()).unwrap()
}

#[test]
fn platformer_champion_replays_to_the_recorded_fitness() {
    let dir = dir_with_run("tiny.ron", SMALL_PLATFORMER);
    let out = sprout_ok(dir.path(), &["replay", "run/champion.ron", "--headless"]);
    assert!(
        out.contains("replay matches the recording exactly"),
        "{out}"
    );
    let out = sprout_ok(dir.path(), &["inspect", "run/champion.ron"]);
    assert!(out.contains("169 inputs"), "{out}");
}

#[test]
fn bench_platformer_and_generalize_report_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), SMALL_PLATFORMER).unwrap();
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "platformer",
            "--runs",
            "2",
            "--config",
            "tiny.ron",
            "--json",
        ],
    );
    let json = last_json(&out);
    for key in ["runs", "success", "generations_median", "wall_seconds"] {
        assert!(json.get(key).is_some(), "{key} missing: {json}");
    }
    assert_eq!(json["runs"], 2);

    sprout_ok(
        dir.path(),
        &["evolve", "--config", "tiny.ron", "--out", "run"],
    );
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "generalize",
            "--genome",
            "run/champion.ron",
            "--difficulties",
            "0,3",
            "--levels",
            "2",
            "--length",
            "60",
            "--json",
        ],
    );
    let json = last_json(&out);
    assert_eq!(json["levels"], 4);
    let cleared = json["cleared"].as_u64().unwrap();
    assert!(cleared <= 4);
    let progress = json["progress_mean"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&progress), "{json}");
    let rate = json["cleared_rate_ci95"].as_array().unwrap();
    let (low, high) = (rate[0].as_f64().unwrap(), rate[1].as_f64().unwrap());
    let observed = cleared as f64 / 4.0;
    assert!(
        0.0 <= low && low <= observed && observed <= high && high <= 1.0,
        "{json}"
    );
    let interval = json["progress_ci95"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() <= progress, "{json}");
    assert!(progress <= interval[1].as_f64().unwrap(), "{json}");
}

#[test]
fn bench_generalize_rejects_a_non_platformer_champion() {
    let dir = dir_with_run("xor.ron", TINY_XOR);
    let err = sprout_err(
        dir.path(),
        &["bench", "generalize", "--genome", "run/champion.ron"],
    );
    assert!(err.contains("not a platformer champion"), "{err}");
}

#[test]
fn bench_throughput_reports_agent_steps_per_second() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "throughput",
            "--threads",
            "2",
            "--seconds",
            "0.2",
            "--warmup-generations",
            "1",
            "--json",
        ],
    );
    let json = last_json(&out);
    assert!(
        json["agent_steps_per_second"].as_f64().unwrap() > 0.0,
        "{json}"
    );
}

#[test]
fn platformer_config_with_a_bad_sensor_radius_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = SMALL_PLATFORMER.replace("max_ticks: 600", "max_ticks: 600, sensor_radius: 0");
    std::fs::write(dir.path().join("bad.ron"), bad).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "bad.ron"]);
    assert!(err.contains("sensor_radius"), "{err}");
}

#[test]
fn headless_replay_plays_a_chosen_generated_level() {
    let dir = dir_with_run("tiny.ron", SMALL_PLATFORMER);
    let out = sprout_ok(
        dir.path(),
        &[
            "replay",
            "run/champion.ron",
            "--headless",
            "--seed",
            "5",
            "--difficulty",
            "2",
        ],
    );
    assert!(out.contains("on level gen-s5-d2-l150:"), "{out}");
    assert!(out.contains("fitness"), "{out}");
}
