//! `sprout bench`.

use crate::util::{sprout_err, sprout_ok};

#[test]
fn bench_xor_json_line_has_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &["bench", "xor", "--runs", "4", "--seed", "10", "--json"],
    );
    let last = out.lines().last().unwrap();
    let json: serde_json::Value = serde_json::from_str(last).unwrap();
    for key in [
        "runs",
        "success",
        "evaluations_mean",
        "evaluations_median",
        "generations_mean",
        "hidden_nodes_mean",
        "wall_seconds",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {last}");
    }
    assert_eq!(json["runs"], 4);
    assert_eq!(json["success"], 4, "XOR is solved in every run");
    // Four solved runs: a rate interval and a mean's, too few for a median's.
    let rate = json["success_rate_ci95"].as_array().unwrap();
    assert_eq!(rate[1], 1.0, "{last}");
    assert!(rate[0].as_f64().unwrap() < 1.0, "{last}");
    let mean = json["evaluations_mean_ci95"].as_array().unwrap();
    assert!(
        mean[0].as_f64() <= json["evaluations_mean"].as_f64(),
        "{last}"
    );
    assert!(json["evaluations_ci95"].is_null(), "{last}");
    let evaluations = json["evaluations_mean"].as_f64().unwrap();
    assert!(evaluations > 0.0 && evaluations % 1.0 == 0.0 || evaluations > 150.0);
}

#[test]
fn bench_runs_are_the_same_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let json = |threads: &str| {
        let out = sprout_ok(
            dir.path(),
            &[
                "bench",
                "xor",
                "--runs",
                "3",
                "--threads",
                threads,
                "--json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        (
            v["evaluations_mean"].clone(),
            v["hidden_nodes_mean"].clone(),
        )
    };
    assert_eq!(json("1"), json("2"));
}

#[test]
fn bench_generation_splits_the_generation_into_phases_that_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "generation",
            "--population",
            "40",
            "--generations",
            "3",
            "--threads",
            "1",
            "--json",
        ],
    );
    let last = out.lines().last().unwrap();
    let json: serde_json::Value = serde_json::from_str(last).unwrap();
    let ns = |key: &str| {
        json[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} missing from {last}"))
    };
    let phases: f64 = [
        "compile",
        "evaluation",
        "speciation",
        "reproduction",
        "other",
    ]
    .iter()
    .map(|phase| ns(&format!("{phase}_ns_per_genome")))
    .sum();
    let whole = ns("ns_per_genome");
    assert!(
        whole > 0.0 && (phases - whole).abs() <= 1e-6 * whole,
        "{last}"
    );
    assert!(ns("bytes_per_genome") > 0.0, "{last}");
    assert_eq!(json["population"], 40);
    assert_eq!(json["generations"], 3);
    assert_eq!(json["threads"], 1);
    assert_eq!(json["experiment"], "xor");
    assert!(
        out.contains("compile") && out.contains("reproduction"),
        "{out}"
    );
}

#[test]
fn bench_generation_refuses_an_unknown_task_and_a_population_too_small() {
    let dir = tempfile::tempdir().unwrap();
    let err = sprout_err(dir.path(), &["bench", "generation", "--task", "nosuch"]);
    assert!(err.contains("nosuch"), "{err}");
    let err = sprout_err(dir.path(), &["bench", "generation", "--population", "1"]);
    assert!(err.contains("population"), "{err}");
}
