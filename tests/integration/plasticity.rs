//! `sprout bench plasticity`, and plastic experiments through evolve and replay.

use crate::util::{sprout_err, sprout_ok};

/// The shipped plastic T-maze experiment.
const PLASTIC_CONFIG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../configs/tmaze-plastic.ron"
);

#[test]
fn bench_plasticity_json_line_has_every_arm_and_the_p_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "plasticity",
            "--runs",
            "2",
            "--generations",
            "3",
            "--json",
        ],
    );
    let last = out.lines().last().unwrap();
    let json: serde_json::Value = serde_json::from_str(last).unwrap();
    let tmaze = &json["tmaze"];
    for key in [
        "fixed_mean",
        "recurrent_mean",
        "plastic_mean",
        "p_value",
        "p_value_mann_whitney",
        "p_value_recurrent",
        "p_value_recurrent_mann_whitney",
        "fixed_sd",
        "plastic_min",
        "recurrent_max",
    ] {
        assert!(tmaze.get(key).is_some(), "{key} missing from {last}");
    }
    assert_eq!(tmaze["runs"], 2);
    assert_eq!(tmaze["generations"], 3);
    for arm in ["fixed", "recurrent", "plastic"] {
        let scores = tmaze[format!("{arm}_scores")].as_array().unwrap();
        assert_eq!(scores.len(), 2, "{arm}");
        let mean = tmaze[format!("{arm}_mean")].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&mean), "{arm}: {mean}");
    }
    // Without memory a network turns the same way every trial: about half of
    // them, and never more than the 65 the latest flip allows.
    let fixed = tmaze["fixed_max"].as_f64().unwrap();
    assert!(fixed <= 65.0, "{last}");
    let p = tmaze["p_value"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p), "{last}");
    assert!(out.contains("plastic vs fixed feed-forward"), "{out}");

    // The platformer with shifting controls: the same three arms.
    let platformer = &json["platformer"];
    for key in [
        "fixed_mean",
        "recurrent_mean",
        "plastic_mean",
        "p_value",
        "p_value_recurrent",
        "plastic_progress_mean",
        "fixed_mirrored_progress_mean",
    ] {
        assert!(platformer.get(key).is_some(), "{key} missing from {last}");
    }
    assert_eq!(platformer["runs"], 2);
    assert_eq!(platformer["generations"], 3);
    for arm in ["fixed", "recurrent", "plastic"] {
        let progress = platformer[format!("{arm}_progress_mean")].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&progress), "{arm}: {progress}");
        // Runs that clear 1-1 under both mappings, with an exact interval: after
        // three generations, none does.
        let rate = platformer[format!("{arm}_success_rate")].as_f64().unwrap();
        assert_eq!(rate, 0.0, "{arm}");
        let ci = platformer[format!("{arm}_success_rate_ci95")]
            .as_array()
            .unwrap();
        assert_eq!(ci[0].as_f64(), Some(0.0), "{arm}");
        // Clopper–Pearson for 0 of 2: [0, 1 − 0.025^(1/2)].
        let hi = ci[1].as_f64().unwrap();
        assert!((hi - (1.0 - 0.025f64.sqrt())).abs() < 1e-9, "{arm}: {hi}");
    }
    assert!(out.contains("clear both 0%"), "{out}");
    // The occluded platformer: no module against each module.
    let occluded = &json["occluded"];
    for key in [
        "none_mean",
        "hopfield_mean",
        "rbm_mean",
        "p_value_hopfield",
        "p_value_rbm",
        "rbm_scores",
    ] {
        assert!(occluded.get(key).is_some(), "{key} missing from {last}");
    }
    assert!(occluded.get("none_mirrored_progress_mean").is_none());
    // The platformer in the dark: a Hopfield memory against no module and
    // against fixed recurrent networks, with the effect's interval.
    for section in ["memory", "features"] {
        module_section_has_its_keys(&json[section], last);
    }
    assert!(out.contains("effect of the Hopfield memory"), "{out}");
    assert!(out.contains("effect of the RBM features"), "{out}");
    assert!(occluded.get("none_success_rate").is_none());
    assert!(tmaze.get("plastic_success_rate").is_none());
}

/// A `memory` or `features` section: a module against no module and against
/// fixed recurrent networks, with the effect's interval.
fn module_section_has_its_keys(section: &serde_json::Value, last: &str) {
    for key in [
        "none_mean",
        "module_mean",
        "recurrent_mean",
        "p_value",
        "mannwhitney_p",
        "vs_recurrent_p_value",
        "vs_recurrent_mannwhitney_p",
        "module_scores",
    ] {
        assert!(section.get(key).is_some(), "{key} missing from {last}");
    }
    let effect = section["effect"].as_f64().unwrap();
    let none = section["none_mean"].as_f64().unwrap();
    let module = section["module_mean"].as_f64().unwrap();
    assert!((effect - (module - none)).abs() < 1e-9, "{last}");
    if let Some(ci) = section["effect_ci95"].as_array() {
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        assert!(lo <= effect && effect <= hi, "{last}");
    }
}

#[test]
fn bench_plasticity_runs_only_the_sections_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_ok(
        dir.path(),
        &[
            "bench",
            "plasticity",
            "--section",
            "tmaze",
            "--runs",
            "2",
            "--generations",
            "2",
            "--json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["tmaze"], "{out}");
    let err = sprout_err(dir.path(), &["bench", "plasticity", "--section", "maze"]);
    assert!(
        err.contains("--section maze")
            && err.contains("tmaze, platformer, occluded, memory, features"),
        "{err}"
    );
}

#[test]
fn bench_plasticity_rejects_zero_runs() {
    let dir = tempfile::tempdir().unwrap();
    let err = sprout_err(dir.path(), &["bench", "plasticity", "--runs", "0"]);
    assert!(err.contains("--runs"), "{err}");
}

#[test]
fn a_plastic_champion_replays_exactly_and_keeps_its_genes() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(PLASTIC_CONFIG)
        .unwrap()
        .replace("population_size: 150", "population_size: 20")
        .replace("lifetimes: 4", "lifetimes: 1");
    std::fs::write(dir.path().join("plastic.ron"), text).unwrap();
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "plastic.ron",
            "--generations",
            "3",
            "--out",
            "run",
        ],
    );
    let champion = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    assert!(champion.contains("plastic:"), "the genes are saved");
    let out = sprout_ok(dir.path(), &["replay", "run/champion.ron", "--headless"]);
    assert!(
        out.contains("replay matches the recording exactly"),
        "{out}"
    );
}

#[test]
fn out_of_range_plasticity_names_the_field_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(PLASTIC_CONFIG)
        .unwrap()
        .replace("eta_limit: 1.0", "eta_limit: -1.0");
    std::fs::write(dir.path().join("bad.ron"), &text).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "bad.ron"]);
    assert!(err.contains("neat.plasticity.eta_limit"), "{err}");
    let line = text.lines().position(|l| l.contains("eta_limit:")).unwrap() + 1;
    assert!(err.contains(&format!("bad.ron:{line}")), "{err}");
}

#[test]
fn the_hebbian_platformer_experiment_evolves_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../configs/platformer-hebbian.ron"
    );
    let out = sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            config,
            "--generations",
            "2",
            "--out",
            "run",
        ],
    );
    assert!(out.contains("finished 2 generations"), "{out}");
    let champion = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    assert!(champion.contains("plasticity:"), "the section is saved");
    let out = sprout_ok(dir.path(), &["replay", "run/champion.ron", "--headless"]);
    assert!(
        out.contains("replay matches the recording exactly"),
        "{out}"
    );
}

/// configs/xor.ron with `lifetime` modules added to its neat section.
fn xor_with_lifetime(lifetime: &str) -> String {
    let text = std::fs::read_to_string(crate::util::XOR_CONFIG).unwrap();
    assert!(text.contains("    neat: (\n"));
    text.replacen(
        "    neat: (\n",
        &format!("    neat: (\n        {lifetime}\n"),
        1,
    )
}

#[test]
fn lifetime_modules_run_through_evolve_and_replay_exactly() {
    let (_, champion) = evolve_and_replay(
        "lifetime: [Hopfield(capacity: 4, missing: Some(0.5)), Hebbian(eta: 0.05, bound: 3.0), \
         ActivityPruning(threshold: 0.001, warmup: 1, interval: 1)],",
        3,
    );
    assert!(champion.contains("Hebbian("), "the modules are saved");
}

/// Evolves XOR with `lifetime` for `generations`, checks that the champion
/// replays exactly, and returns the directory (the run is in `run/`) and the
/// champion file.
fn evolve_and_replay(lifetime: &str, generations: u32) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("xor.ron"), xor_with_lifetime(lifetime)).unwrap();
    let generations = generations.to_string();
    sprout_ok(
        dir.path(),
        &[
            "evolve",
            "--config",
            "xor.ron",
            "--generations",
            &generations,
            "--out",
            "run",
        ],
    );
    let out = sprout_ok(dir.path(), &["replay", "run/champion.ron", "--headless"]);
    assert!(
        out.contains("replay matches the recording exactly"),
        "{out}"
    );
    let champion = std::fs::read_to_string(dir.path().join("run/champion.ron")).unwrap();
    (dir, champion)
}

#[test]
fn bad_lifetime_settings_name_the_field_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = xor_with_lifetime("lifetime: [Hebbian(), Hopfield(beta: -1.0)],");
    std::fs::write(dir.path().join("bad.ron"), &text).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "bad.ron"]);
    assert!(err.contains("neat.lifetime[1].beta"), "{err}");
    let line = text.lines().position(|l| l.contains("beta:")).unwrap() + 1;
    assert!(err.contains(&format!("bad.ron:{line}")), "{err}");

    // XOR has two inputs: a module cannot read a fifth.
    let text = xor_with_lifetime("lifetime: [Rbm(inputs: Range(0, 5))],");
    std::fs::write(dir.path().join("wide.ron"), &text).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "wide.ron"]);
    assert!(err.contains("neat.lifetime[0].inputs"), "{err}");
    assert!(err.contains("2 inputs"), "{err}");

    let text = xor_with_lifetime("lifetime: [Hopfield(capacty: 4)],");
    std::fs::write(dir.path().join("typo.ron"), &text).unwrap();
    let err = sprout_err(dir.path(), &["evolve", "--config", "typo.ron"]);
    assert!(err.contains("capacty"), "{err}");
}

#[test]
fn modules_that_append_inputs_widen_saved_genomes_and_replay() {
    let (_, champion) = evolve_and_replay(
        "lifetime: [Hopfield(capacity: 4, mode: Append), Rbm(hidden: 3, low: 0.0, high: 1.0)],",
        2,
    );
    // 2 observations, 2 recalled, 3 RBM features.
    assert!(champion.contains("inputs: 7,"), "{champion}");
}

#[test]
fn evolved_module_genes_are_saved_inspected_replayed_and_checked_on_load() {
    let (dir, champion) = evolve_and_replay(
        "lifetime: [Hebbian(eta: 0.05, bound: 3.0, evolve: true)], \
         module_genes: (mutation_prob: 1.0),",
        4,
    );
    assert!(champion.contains("module_params: ["), "{champion}");
    let out = sprout_ok(dir.path(), &["inspect", "run/champion.ron"]);
    assert!(out.contains("module genes Hebbian[0].eta "), "{out}");
    assert!(out.contains("Hebbian[0].d "), "{out}");

    // A hand-edited file whose η went negative is refused with the setting named.
    let start = champion.find("module_params: [").unwrap() + "module_params: [".len();
    let mut bad = champion.clone();
    let end = start + bad[start..].find(',').unwrap();
    bad.replace_range(start..end, "\n                -0.5");
    std::fs::write(dir.path().join("bad.ron"), &bad).unwrap();
    let err = sprout_err(dir.path(), &["replay", "bad.ron", "--headless"]);
    assert!(err.contains("bad.ron"), "{err}");
    assert!(err.contains("lifetime[0].eta"), "{err}");
    // One gene missing: the count is named.
    let mut short = champion;
    let end = start + short[start..].find(',').unwrap() + 1;
    short.replace_range(start..end, "");
    std::fs::write(dir.path().join("short.ron"), &short).unwrap();
    let err = sprout_err(dir.path(), &["inspect", "short.ron"]);
    assert!(
        err.contains("4 module genes") && err.contains("evolves 5"),
        "{err}"
    );
}

#[test]
fn bench_plasticity_keeps_runs_and_a_longer_bench_reuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let bench = |runs: &str| {
        let out = sprout_ok(
            dir.path(),
            &[
                "bench",
                "plasticity",
                "--section",
                "tmaze",
                "--runs",
                runs,
                "--generations",
                "2",
                "--keep-runs",
                "kept",
                "--json",
            ],
        );
        let json: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        json["tmaze"].clone()
    };
    let two = bench("2");
    let mut kept: Vec<String> = std::fs::read_dir(dir.path().join("kept"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            "tmaze-fixed-0-g2.ron",
            "tmaze-fixed-1-g2.ron",
            "tmaze-plastic-0-g2.ron",
            "tmaze-plastic-1-g2.ron",
            "tmaze-recurrent-0-g2.ron",
            "tmaze-recurrent-1-g2.ron",
        ]
    );
    // A kept champion is a champion file like any other.
    let replayed = sprout_ok(
        dir.path(),
        &["replay", "kept/tmaze-plastic-1-g2.ron", "--headless"],
    );
    assert!(!replayed.is_empty());
    // Three runs: the first two are the kept ones, scored the same.
    let three = bench("3");
    for arm in ["fixed", "recurrent", "plastic"] {
        let key = format!("{arm}_scores");
        let (two, three) = (
            two[&key].as_array().unwrap(),
            three[&key].as_array().unwrap(),
        );
        assert_eq!(three.len(), 3, "{arm}");
        assert_eq!(two[..], three[..2], "{arm}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("kept")).unwrap().count(),
        9
    );
}
