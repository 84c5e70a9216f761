//! The window through the binary: screenshots of `replay`, `play` and `watch`
//! under a virtual X server with Mesa's software Vulkan, and the level options.
//!
//! These need `xvfb-run` (Debian: xvfb, xauth, mesa-vulkan-drivers,
//! libvulkan1; `.ci/run` installs them). Where it is missing they say so and
//! pass, unless `SPROUT_REQUIRE_WINDOW_TESTS=1` (set by CI) makes that a failure.

use std::path::Path;
use std::process::Command;

use crate::platformer::{SMALL_PLATFORMER, last_json};
use crate::util::{TINY_XOR, dir_with_run, sprout_err, sprout_ok};

/// The player's colour (`sprout_viewer::PLAYER_COLOR`, sRGB 0.9, 0.08, 0.08).
const PLAYER_RGB: [u8; 3] = [230, 20, 20];
/// The overlay's colour for a grid cell hidden from the network (sRGB 0.45,
/// 0.2, 0.55).
const HIDDEN_RGB: [u8; 3] = [115, 51, 140];

/// Whether screenshots can be taken here; panics if CI demands them and they
/// cannot.
fn window_tests_possible() -> bool {
    let found = Command::new("sh")
        .args(["-c", "command -v xvfb-run"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("SPROUT_REQUIRE_WINDOW_TESTS").is_none(),
            "SPROUT_REQUIRE_WINDOW_TESTS is set but xvfb-run is missing"
        );
        eprintln!("xvfb-run not found: window test not run");
    }
    found
}

/// Runs `sprout args…` under xvfb-run with software Vulkan; returns stdout.
fn sprout_in_window(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x720x24"])
        .arg(env!("CARGO_BIN_EXE_sprout"))
        .args(args)
        .env("WGPU_BACKEND", "vulkan")
        .current_dir(dir)
        .output()
        .expect("xvfb-run runs");
    assert!(
        out.status.success(),
        "sprout {args:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A decoded screenshot.
struct Shot {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Shot {
    fn load(path: &Path) -> Shot {
        let image = image::open(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .to_rgb8();
        Shot {
            width: image.width(),
            height: image.height(),
            rgb: image.into_raw(),
        }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * (y * self.width + x) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    fn distinct_colors(&self) -> usize {
        let mut colors: Vec<&[u8]> = self.rgb.chunks_exact(3).collect();
        colors.sort_unstable();
        colors.dedup();
        colors.len()
    }

    /// Pixels within 12 of `rgb` in every channel.
    fn pixels_of(&self, rgb: [u8; 3]) -> usize {
        self.rgb
            .chunks_exact(3)
            .filter(|p| p.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= 12))
            .count()
    }

    /// Pixels of the player's colour within `radius` of (`x`, `y`).
    fn player_pixels_near(&self, [x, y]: [f64; 2], radius: i64) -> usize {
        let mut count = 0;
        for dy in -radius..=radius {
            for dx in -radius..=radius {
                let (px, py) = (x as i64 + dx, y as i64 + dy);
                if px < 0 || py < 0 || px >= i64::from(self.width) || py >= i64::from(self.height) {
                    continue;
                }
                let p = self.pixel(px as u32, py as u32);
                if p.iter().zip(PLAYER_RGB).all(|(&a, b)| a.abs_diff(b) <= 24) {
                    count += 1;
                }
            }
        }
        count
    }
}

/// Checks a screenshot against the JSON line the command printed: the window's
/// size, not blank, and the player's colour where the simulation puts the
/// player (and nowhere far from it).
fn check_shot(dir: &Path, stdout: &str, png: &str) -> serde_json::Value {
    let report = last_json(stdout);
    let shot = Shot::load(&dir.join(png));
    assert_eq!((shot.width, shot.height), (1280, 720), "window size");
    assert_eq!(report["width"], 1280);
    assert_eq!(report["height"], 720);
    assert!(shot.distinct_colors() > 20, "the picture is nearly blank");
    let at = report["player_screen"]
        .as_array()
        .map(|a| [a[0].as_f64().unwrap(), a[1].as_f64().unwrap()])
        .expect("a show was playing");
    // The player is 24×32 px at scale 2: most of a 9×9 box at its centre.
    let near = shot.player_pixels_near(at, 4);
    assert!(near >= 60, "only {near} player pixels at {at:?}");
    // Far away (another part of the level) there is no player.
    let far = [(at[0] + 400.0) % 1280.0, at[1]];
    assert_eq!(
        shot.player_pixels_near(far, 4),
        0,
        "player colour at {far:?}"
    );
    report
}

/// Evolves `config` briefly, replays its champion in the window for 90 ticks
/// and checks the screenshot ([`check_shot`]); returns the JSON report and the
/// number of hidden-cell pixels.
fn replay_shot(config: &str) -> (serde_json::Value, usize) {
    let dir = dir_with_run("experiment.ron", config);
    let out = sprout_in_window(
        dir.path(),
        &[
            "replay",
            "run/champion.ron",
            "--screenshot",
            "shot.png",
            "--frames",
            "90",
        ],
    );
    let report = check_shot(dir.path(), &out, "shot.png");
    let hidden = Shot::load(&dir.path().join("shot.png")).pixels_of(HIDDEN_RGB);
    (report, hidden)
}

#[test]
fn replay_screenshot_shows_the_player_where_the_simulation_has_it() {
    if !window_tests_possible() {
        return;
    }
    let (report, hidden) = replay_shot(SMALL_PLATFORMER);
    assert_eq!(report["ticks"], 90);
    assert_eq!(hidden, 0, "the plain game hides no cells");
}

#[test]
fn replay_of_an_occluded_experiment_marks_the_hidden_cells() {
    if !window_tests_possible() {
        return;
    }
    // Every observation loses half its grid cells.
    let config = SMALL_PLATFORMER.replace(
        "max_ticks: 600)",
        "max_ticks: 600, occlusion: Some(probability: 1.0))",
    );
    assert_ne!(config, SMALL_PLATFORMER);
    let (_, hidden) = replay_shot(&config);
    // 85 of the 169 overlay cells (each several pixels square) are marked.
    assert!(hidden >= 85 * 9, "only {hidden} hidden-cell pixels");
}

#[test]
fn play_screenshot_shows_the_player_at_the_start_of_1_1() {
    if !window_tests_possible() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = sprout_in_window(
        dir.path(),
        &[
            "play",
            "--level",
            "1-1",
            "--screenshot",
            "start.png",
            "--frames",
            "30",
        ],
    );
    let report = check_shot(dir.path(), &out, "start.png");
    // Independently of the viewer's own numbers: in 1-1 the player starts in
    // column 2 on the ground whose top is row 13, so with nobody pressing keys
    // its centre stays at level pixel (2·16 + 8, 13·16 − 8) = (40, 200), drawn at
    // twice the size under the 240 px band: screen (80, 640).
    let at = &report["player_screen"];
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    assert!(
        (x - 80.0).abs() <= 4.0 && (y - 640.0).abs() <= 4.0,
        "player at ({x}, {y})"
    );
}

#[test]
fn watch_screenshot_shows_the_first_champion_playing() {
    if !window_tests_possible() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), SMALL_PLATFORMER).unwrap();
    let out = sprout_in_window(
        dir.path(),
        &[
            "watch",
            "--config",
            "tiny.ron",
            "--generations",
            "1",
            "--out",
            "run",
            "--screenshot",
            "watch.png",
            "--frames",
            "20",
        ],
    );
    let json = out
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("the capture line");
    check_shot(dir.path(), json, "watch.png");
    assert!(
        dir.path().join("run/champion.ron").exists(),
        "watch saves as evolve does"
    );
}

#[test]
fn watch_over_redis_shows_the_run_the_workers_evaluate() {
    if !window_tests_possible() {
        return;
    }
    let Some(redis) = crate::many_machines::Redis::start(&[]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), SMALL_PLATFORMER).unwrap();
    let url = redis.url();
    let out = sprout_in_window(
        dir.path(),
        &[
            "watch",
            "--config",
            "tiny.ron",
            "--generations",
            "1",
            "--out",
            "farm",
            "--redis",
            &url,
            "--local-threads",
            "1",
            "--screenshot",
            "watch.png",
            "--frames",
            "20",
        ],
    );
    assert!(out.contains("master of run"), "{out}");
    let json = out
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("the capture line");
    check_shot(dir.path(), json, "watch.png");
    let args = [
        "evolve",
        "--config",
        "tiny.ron",
        "--generations",
        "1",
        "--out",
        "local",
    ];
    sprout_ok(dir.path(), &args);
    crate::many_machines::assert_same_run(dir.path(), "local", "farm");
}

#[test]
fn level_options_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let err = sprout_err(dir.path(), &["play", "--level", "9-9"]);
    assert!(err.contains("no level `9-9`"), "{err}");
    let err = sprout_err(dir.path(), &["play", "--seed", "1", "--difficulty", "11"]);
    assert!(err.contains("--difficulty 11"), "{err}");
    let err = sprout_err(dir.path(), &["watch", "--config", "missing.ron"]);
    assert!(err.contains("missing.ron"), "{err}");
}

#[test]
fn without_a_display_the_window_commands_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sprout"))
        .args(["play", "--level", "1-1"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_window_refuses_a_non_platformer_genome_by_name() {
    let dir = dir_with_run("xor.ron", TINY_XOR);
    let err = sprout_err(dir.path(), &["replay", "run/champion.ron"]);
    assert!(err.contains("runs task `xor`"), "{err}");
    assert!(err.contains("--headless"), "{err}");
    let err = sprout_err(dir.path(), &["watch", "--config", "xor.ron"]);
    assert!(err.contains("runs task `xor`"), "{err}");
}
