//! The window through the binary: screenshots and clips of `replay`, `play`
//! and `watch` under a virtual X server with Mesa's software Vulkan (the pixel
//! art where the simulation puts it, ghosts, GIFs, a resized window's HUD), and
//! the window options.
//!
//! These need `xvfb-run` (Debian: xvfb, xauth, mesa-vulkan-drivers,
//! libvulkan1; `.ci/run` installs them). Where it is missing they say so and
//! pass, unless `SPROUT_REQUIRE_WINDOW_TESTS=1` (set by CI) makes that a failure.

use std::path::Path;
use std::process::Command;

use crate::platformer::{SMALL_PLATFORMER, last_json};
use crate::util::{TINY_XOR, dir_with_run, sprout_err, sprout_ok};

/// The pixel art: its palette is what screenshots are checked against.
const SPRITES: &str = include_str!("../../crates/viewer-core/src/art/sprites.txt");

/// The player's cap and shirt (palette `R`).
const PLAYER_RGB: [u8; 3] = [230, 20, 20];
/// The player's overalls (palette `B`) and skin (`S`).
const PLAYER_OTHER_RGB: [[u8; 3]; 2] = [[40, 60, 200], [252, 188, 140]];
/// Brick faces (`O`), pipe green (`g`), earth (`E`).
const TILE_RGB: [[u8; 3]; 3] = [[200, 76, 12], [60, 180, 50], [200, 120, 60]];
/// The sky behind the level.
const SKY_RGB: [u8; 3] = [106, 142, 245];

/// Every opaque colour of the art's palette.
fn palette() -> Vec<[u8; 3]> {
    SPRITES
        .lines()
        .skip_while(|l| l.trim() != "palette")
        .skip(1)
        .take_while(|l| !l.starts_with("sprite"))
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let v: Vec<u8> = l
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            (v.len() == 4 && v[3] == 255).then(|| [v[0], v[1], v[2]])
        })
        .collect()
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(&x, y)| x.abs_diff(y) <= tolerance)
}
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

    /// The pixels within `radius` of (`x`, `y`).
    fn around(&self, [x, y]: [f64; 2], radius: i64) -> Vec<[u8; 3]> {
        let mut found = Vec::new();
        for dy in -radius..=radius {
            for dx in -radius..=radius {
                let (px, py) = (x as i64 + dx, y as i64 + dy);
                if px < 0 || py < 0 || px >= i64::from(self.width) || py >= i64::from(self.height) {
                    continue;
                }
                found.push(self.pixel(px as u32, py as u32));
            }
        }
        found
    }

    /// Pixels of the player's red within `radius` of (`x`, `y`).
    fn player_pixels_near(&self, at: [f64; 2], radius: i64) -> usize {
        let around = self.around(at, radius);
        around.iter().filter(|&&p| near(p, PLAYER_RGB, 24)).count()
    }
}

/// The JSON report's `[x, y]` at `key`.
fn point(report: &serde_json::Value, key: &str) -> [f64; 2] {
    let a = report[key].as_array().unwrap_or_else(|| panic!("no {key}"));
    [a[0].as_f64().unwrap(), a[1].as_f64().unwrap()]
}

/// Checks a screenshot against the JSON line the command printed: the window's
/// size, not blank, the player sprite's colours where the simulation puts the
/// player (and its red nowhere far from it), and every HUD text inside the
/// picture and apart from the others.
fn check_shot(dir: &Path, stdout: &str, png: &str, size: [u32; 2]) -> serde_json::Value {
    let report = last_json(stdout);
    let shot = Shot::load(&dir.join(png));
    assert_eq!([shot.width, shot.height], size, "window size");
    assert_eq!(report["width"], size[0]);
    assert_eq!(report["height"], size[1]);
    assert!(shot.distinct_colors() > 20, "the picture is nearly blank");
    let at = point(&report, "player_screen");
    // The sprite is 16×16 level pixels, drawn 32×32 at 1280×720: its middle
    // is the red shirt, with the overalls and the face around it.
    let scale = f64::from(size[0]) / 1280.0;
    let scale = scale.min(f64::from(size[1]) / 720.0);
    let radius = (8.0 * scale).round() as i64;
    let around = shot.around(at, radius);
    let red = around.iter().filter(|&&p| near(p, PLAYER_RGB, 24)).count();
    let other = around
        .iter()
        .filter(|&&p| PLAYER_OTHER_RGB.iter().any(|&c| near(p, c, 24)))
        .count();
    let area = around.len();
    assert!(red * 6 >= area, "only {red} of {area} pixels red at {at:?}");
    assert!(
        other * 20 >= area,
        "only {other} of {area} overall or skin pixels at {at:?}"
    );
    // Far away (another part of the level) there is no player.
    let far = [(at[0] + 400.0 * scale) % f64::from(size[0]), at[1]];
    assert_eq!(
        shot.player_pixels_near(far, 4),
        0,
        "player colour at {far:?}"
    );
    check_texts(&report, size);
    report
}

/// Every HUD text of the report inside the picture (letterboxed to 16:9
/// within the window) and overlapping no other text nor the chart.
fn check_texts(report: &serde_json::Value, [w, h]: [u32; 2]) {
    let scale = (f64::from(w) / 1280.0).min(f64::from(h) / 720.0);
    let (pw, ph) = (1280.0 * scale, 720.0 * scale);
    let (ox, oy) = (
        ((f64::from(w) - pw) / 2.0).floor(),
        ((f64::from(h) - ph) / 2.0).floor(),
    );
    let boxes: Vec<[f64; 4]> = report["texts"]
        .as_array()
        .expect("text boxes")
        .iter()
        .map(|b| {
            let v: Vec<f64> = b
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();
    assert!(
        boxes.len() >= 2,
        "the show lines and the help line: {boxes:?}"
    );
    for b in &boxes {
        assert!(
            b[0] >= ox - 0.5 && b[1] >= oy - 0.5 && b[2] <= ox + pw + 0.5 && b[3] <= oy + ph + 0.5,
            "text {b:?} leaves the picture ({ox}, {oy}, {pw}x{ph})"
        );
    }
    let overlap =
        |a: &[f64; 4], b: &[f64; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!overlap(a, b), "texts {a:?} and {b:?} overlap");
        }
        if let Some(c) = report["chart"].as_array() {
            let c: Vec<f64> = c.iter().map(|x| x.as_f64().unwrap()).collect();
            assert!(
                !overlap(a, &[c[0], c[1], c[2], c[3]]),
                "text {a:?} over the chart {c:?}"
            );
        }
    }
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
    let report = check_shot(dir.path(), &out, "shot.png", [1280, 720]);
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
fn ghosts_draw_the_whole_generation_translucent_around_the_opaque_champion() {
    if !window_tests_possible() {
        return;
    }
    // The embedded experiment's sixth generation: hundreds of genomes that
    // by tick 240 have spread over a screen.
    let dir = tempfile::tempdir().unwrap();
    sprout_ok(
        dir.path(),
        &["evolve", "--generations", "6", "--out", "run"],
    );
    let out = sprout_in_window(
        dir.path(),
        &[
            "replay",
            "run",
            "--ghosts",
            "--screenshot",
            "ghosts.png",
            "--frames",
            "240",
        ],
    );
    let report = check_shot(dir.path(), &out, "ghosts.png", [1280, 720]);
    let visible = report["ghosts_visible"].as_u64().unwrap();
    assert!(visible >= 100, "{visible} ghosts");
    let shot = Shot::load(&dir.path().join("ghosts.png"));
    let palette = palette();
    // A ghost is its species' colour blended with what is behind it. Take the
    // ghosts alone (no other ghost, nor the opaque champion, over their
    // centre) and compare the centre with the background just above the head
    // (20 px up): drawn at 45% opacity, it keeps at least half of the
    // background's light in every channel, which no opaque ghost would (each
    // species colour lacks some channel: a red one over the sky has little
    // blue), and the colour is none of the opaque art's.
    let ghosts: Vec<[f64; 2]> = report["ghosts_screen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| [g[0].as_f64().unwrap(), g[1].as_f64().unwrap()])
        .collect();
    let champion = point(&report, "player_screen");
    let apart = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() > 16.0 || (a[1] - b[1]).abs() > 16.0;
    let alone: Vec<[f64; 2]> = ghosts
        .iter()
        .enumerate()
        .filter(|&(i, &g)| {
            apart(g, champion)
                && ghosts
                    .iter()
                    .enumerate()
                    .all(|(j, &o)| i == j || apart(g, o))
        })
        .map(|(_, &g)| g)
        .filter(|&[x, y]| (0.0..1280.0).contains(&x) && (20.0..720.0).contains(&y))
        .collect();
    let pixels: Vec<([u8; 3], [u8; 3])> = alone
        .iter()
        .map(|&[x, y]| {
            (
                shot.pixel(x as u32, y as u32),
                shot.pixel(x as u32, y as u32 - 20),
            )
        })
        .collect();
    let translucent = pixels
        .iter()
        .filter(|&&(p, behind)| {
            let shows_through = p
                .iter()
                .zip(behind)
                .all(|(&a, b)| f64::from(a) >= 0.5 * f64::from(b));
            shows_through && !near(p, behind, 8) && !palette.iter().any(|&c| near(p, c, 8))
        })
        .count();
    assert!(alone.len() >= 3, "{} ghosts alone", alone.len());
    assert!(
        translucent * 10 >= alone.len() * 8,
        "{translucent} of {} ghosts alone look translucent: {pixels:?}",
        alone.len(),
    );
    // Only the top 3: fewer ghosts.
    let out = sprout_in_window(
        dir.path(),
        &[
            "replay",
            "run",
            "--ghosts",
            "--top",
            "3",
            "--screenshot",
            "top.png",
            "--frames",
            "2",
        ],
    );
    let top = last_json(&out)["ghosts_visible"].as_u64().unwrap();
    assert!((1..=3).contains(&top), "{top} of the top 3");
}

/// The frames of a GIF, as RGB.
fn gif_frames(path: &Path) -> Vec<Shot> {
    use image::AnimationDecoder;
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    image::codecs::gif::GifDecoder::new(file)
        .unwrap()
        .into_frames()
        .map(|f| {
            let rgb = image::DynamicImage::ImageRgba8(f.unwrap().into_buffer()).to_rgb8();
            Shot {
                width: rgb.width(),
                height: rgb.height(),
                rgb: rgb.into_raw(),
            }
        })
        .collect()
}

#[test]
fn a_clip_has_the_frames_asked_for_and_starts_as_the_screenshot_of_tick_one() {
    if !window_tests_possible() {
        return;
    }
    let dir = dir_with_run("tiny.ron", SMALL_PLATFORMER);
    let record = |name: &str| {
        let out = sprout_in_window(
            dir.path(),
            &[
                "replay",
                "run/champion.ron",
                "--record",
                name,
                "--frames",
                "6",
                "--stride",
                "3",
            ],
        );
        last_json(&out)
    };
    let report = record("clip.gif");
    assert_eq!(report["frames"], 6);
    // Frames at ticks 1, 4, …, 16.
    assert_eq!(report["ticks"], 16);
    let frames = gif_frames(&dir.path().join("clip.gif"));
    assert_eq!(frames.len(), 6);
    assert!(frames.iter().all(|f| (f.width, f.height) == (1280, 720)));
    assert!(
        !dir.path().join(".clip.gif.tmp").exists(),
        "written through a rename"
    );
    // Deterministic frame by frame: the same clip again, byte for byte.
    record("again.gif");
    let bytes = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert!(
        bytes("clip.gif") == bytes("again.gif"),
        "two recordings differ"
    );
    // The first frame is the window at tick 1 (up to the GIF's palette).
    sprout_in_window(
        dir.path(),
        &[
            "replay",
            "run/champion.ron",
            "--screenshot",
            "tick1.png",
            "--frames",
            "1",
        ],
    );
    let shot = Shot::load(&dir.path().join("tick1.png"));
    let first = &frames[0];
    let diff: u64 = shot
        .rgb
        .iter()
        .zip(&first.rgb)
        .map(|(&a, &b)| u64::from(a.abs_diff(b)))
        .sum();
    let mean = diff as f64 / shot.rgb.len() as f64;
    assert!(
        mean < 3.0,
        "first frame differs from the screenshot by {mean} per channel"
    );
    // Later frames move on.
    let moved: usize = frames[5]
        .rgb
        .iter()
        .zip(&first.rgb)
        .filter(|(a, b)| a != b)
        .count();
    assert!(moved > 100, "only {moved} channels changed in 15 ticks");
}

#[test]
fn a_resized_window_scales_the_picture_and_keeps_the_hud_inside_and_apart() {
    if !window_tests_possible() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.ron"), SMALL_PLATFORMER).unwrap();
    // Watch mode has the most text: numbers, show lines, species, chart.
    let out = sprout_in_window(
        dir.path(),
        &[
            "watch",
            "--config",
            "tiny.ron",
            "--generations",
            "2",
            "--out",
            "run",
            "--window",
            "800x600",
            "--screenshot",
            "small.png",
            "--frames",
            "20",
        ],
    );
    let json = out
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("the capture line");
    let report = check_shot(dir.path(), json, "small.png", [800, 600]);
    assert!(report["chart"].is_array(), "watch has a chart");
    // 800×600 holds the 16:9 picture at 800×450, 75 px from the top: the
    // letterbox above and below is black.
    let shot = Shot::load(&dir.path().join("small.png"));
    assert_eq!(shot.pixel(400, 30), [0, 0, 0]);
    assert_eq!(shot.pixel(400, 570), [0, 0, 0]);
    let at = point(&report, "player_screen");
    assert!((75.0..=525.0).contains(&at[1]), "player at {at:?}");
    // A long file name is shortened, not cut: the replay label stays inside.
    let long = dir
        .path()
        .join("a-rather-long-directory-name-for-a-run-of-the-tiny-experiment");
    std::fs::rename(dir.path().join("run"), &long).unwrap();
    let label = format!("{}/champion.ron", long.display());
    let out = sprout_in_window(
        dir.path(),
        &[
            "replay",
            &label,
            "--window",
            "640x360",
            "--screenshot",
            "label.png",
            "--frames",
            "5",
        ],
    );
    check_shot(dir.path(), &out, "label.png", [640, 360]);
}

/// Runs `sprout args…`, expecting a usage error (exit code 2, no panic);
/// returns stderr.
fn usage_err(dir: &Path, args: &[&str]) -> String {
    let out = crate::util::sprout(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "sprout {args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn window_options_are_checked() {
    let dir = dir_with_run("tiny.ron", SMALL_PLATFORMER);
    let err = usage_err(
        dir.path(),
        &["replay", "run/champion.ron", "--window", "10x10"],
    );
    assert!(err.contains("64 to 8192"), "{err}");
    let err = usage_err(
        dir.path(),
        &["replay", "run/champion.ron", "--window", "wide"],
    );
    assert!(err.contains("WIDTHxHEIGHT"), "{err}");
    let err = usage_err(dir.path(), &["replay", "run/champion.ron", "--episode"]);
    assert!(err.contains("--record"), "{err}");
    let err = usage_err(dir.path(), &["replay", "run/champion.ron", "--top", "3"]);
    assert!(err.contains("--ghosts"), "{err}");
    // Without a checkpoint there is no whole generation to replay.
    std::fs::remove_dir_all(dir.path().join("run/checkpoints")).ok();
    let err = sprout_err(dir.path(), &["replay", "run/champion.ron", "--ghosts"]);
    assert!(err.contains("--ghosts replays a whole generation"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
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
fn play_screenshot_shows_the_player_and_the_tile_sprites_at_the_start_of_1_1() {
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
    let report = check_shot(dir.path(), &out, "start.png", [1280, 720]);
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
    let shot = Shot::load(&dir.path().join("start.png"));
    // At the start of 1-1: bricks at columns 16–20 of row 9 (screen x 512–672,
    // y 528–560), the first pipe at columns 30–31 (x 960–1024), earth below the
    // ground's top edge.
    for (what, rgb, min) in [
        ("brick", TILE_RGB[0], 500),
        ("pipe", TILE_RGB[1], 500),
        ("earth", TILE_RGB[2], 5000),
    ] {
        let n = shot.pixels_of(rgb);
        assert!(n >= min, "{what}: only {n} pixels of {rgb:?}");
    }
    let brick = shot.around([540.0, 544.0], 12);
    assert!(
        brick.iter().any(|&p| near(p, TILE_RGB[0], 12)),
        "no brick at (540, 544)"
    );
    let pipe = shot.around([992.0, 630.0], 12);
    assert!(
        pipe.iter().any(|&p| near(p, TILE_RGB[1], 12)),
        "no pipe at (992, 630)"
    );
    // The sky is the sky, and the pixel art is crisp: most pixels of the
    // level are palette colours exactly (nearest-neighbour sampling).
    assert!(shot.pixels_of(SKY_RGB) > 200_000);
    let palette = palette();
    let level = &shot.rgb[3 * 1280 * 250..3 * 1280 * 680];
    let exact = level
        .chunks_exact(3)
        .filter(|p| {
            let p = [p[0], p[1], p[2]];
            near(p, SKY_RGB, 1) || palette.iter().any(|&c| near(p, c, 1))
        })
        .count();
    assert!(
        exact * 100 >= (level.len() / 3) * 98,
        "{exact} exact palette pixels"
    );
}

/// Runs `sprout watch` on the tiny experiment for one generation with `extra`
/// options and a screenshot after 20 ticks; checks it ([`check_shot`]) and
/// returns the report and stdout.
fn watch_shot(dir: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    std::fs::write(dir.join("tiny.ron"), SMALL_PLATFORMER).unwrap();
    let mut args = vec!["watch", "--config", "tiny.ron", "--generations", "1"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--screenshot", "watch.png", "--frames", "20"]);
    let out = sprout_in_window(dir, &args);
    let json = out
        .lines()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no capture line in {out}"));
    (check_shot(dir, json, "watch.png", [1280, 720]), out)
}

#[test]
fn watch_screenshot_shows_the_first_champion_playing() {
    if !window_tests_possible() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    watch_shot(dir.path(), &["--out", "run"]);
    assert!(
        dir.path().join("run/champion.ron").exists(),
        "watch saves as evolve does"
    );
}

#[test]
fn watch_with_ghosts_plays_the_generation_just_evaluated() {
    if !window_tests_possible() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = watch_shot(dir.path(), &["--out", "run", "--ghosts"]);
    // The tiny experiment evaluates 24 genomes: all of them play.
    let visible = report["ghosts_visible"].as_u64().unwrap();
    assert!((2..=24).contains(&visible), "{visible} ghosts");
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
    let url = redis.url();
    let farm = ["--out", "farm", "--redis", &url, "--local-threads", "1"];
    let (_, out) = watch_shot(dir.path(), &farm);
    assert!(out.contains("master of run"), "{out}");
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
