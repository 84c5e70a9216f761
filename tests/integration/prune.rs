//! `sprout prune`.

use crate::util::{dir_with_small_xor, sprout_err, sprout_ok};

/// A directory with a small XOR run's champion in `run/champion.ron`.
fn small_xor_champion() -> tempfile::TempDir {
    let dir = dir_with_small_xor();
    let args = [
        "evolve",
        "--config",
        "small.ron",
        "--seed",
        "2",
        "--out",
        "run",
    ];
    sprout_ok(dir.path(), &args);
    dir
}

#[test]
fn prune_writes_table_csv_png_and_json_with_the_baselines() {
    let dir = small_xor_champion();
    let out = sprout_ok(
        dir.path(),
        &[
            "prune",
            "run/champion.ron",
            "--method",
            "obd",
            "--fractions",
            "0.2,0.5",
            "--json",
        ],
    );
    let last = out.lines().last().unwrap();
    let json: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(json["method"], "obd");
    assert_eq!(json["fractions"], serde_json::json!([0.2, 0.5]));
    for method in ["magnitude", "random", "obd"] {
        let curve = json["fitness"][method].as_array().unwrap();
        assert_eq!(curve.len(), 2, "{method}: {last}");
        assert!(curve.iter().all(|f| f.as_f64().unwrap().is_finite()));
    }
    let png = std::fs::read(dir.path().join("run/prune.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let csv = std::fs::read_to_string(dir.path().join("run/prune.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2, "{csv}");
}

#[test]
fn prune_rejects_bad_fractions_and_unknown_methods() {
    let dir = small_xor_champion();
    let err = sprout_err(
        dir.path(),
        &[
            "prune",
            "run/champion.ron",
            "--method",
            "magnitude",
            "--fractions",
            "0.5,1",
        ],
    );
    assert!(err.contains("--fractions"), "{err}");
    let out = crate::util::sprout(
        dir.path(),
        &["prune", "run/champion.ron", "--method", "hunch"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("hunch"));
    let err = sprout_err(dir.path(), &["prune", "missing.ron", "--method", "random"]);
    assert!(err.contains("missing.ron"), "{err}");
}
