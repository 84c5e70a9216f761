//! Measures simulation speed: ticks per second of the bare world, and of episodes
//! that also fill the 13×13 sensor grid every 5 ticks, with random-ish buttons.
//!
//! `cargo run --release -p sprout-platformer --example sim_speed`

use std::sync::Arc;
use std::time::Instant;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use sprout_platformer::generator::generate;
use sprout_platformer::{Buttons, Episode, EpisodeRules, Level, SensorSpec, World};

/// Buttons biased to the right, redrawn every 5 ticks.
fn policy(rng: &mut Xoshiro256PlusPlus) -> Buttons {
    let mut b = Buttons::RIGHT;
    if rng.random_bool(0.5) {
        b = b | Buttons::RUN;
    }
    if rng.random_bool(0.4) {
        b = b | Buttons::JUMP;
    }
    if rng.random_bool(0.1) {
        b = Buttons::LEFT;
    }
    b
}

fn main() {
    let mut levels: Vec<Arc<Level>> = Level::builtin_names()
        .map(|n| Arc::new(Level::builtin(n).unwrap()))
        .collect();
    for (seed, d) in [(1, 2), (2, 5), (3, 10)] {
        levels.push(Arc::new(generate(seed, d, 200).unwrap()));
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let target: u64 = 20_000_000;

    // Bare world: restart on any ending.
    let start = Instant::now();
    let (mut ticks, mut i) = (0u64, 0usize);
    while ticks < target {
        let mut world = World::new(levels[i % levels.len()].clone());
        i += 1;
        let mut b = Buttons::NONE;
        for t in 0..3000u32 {
            if t.is_multiple_of(5) {
                b = policy(&mut rng);
            }
            ticks += 1;
            if world.step(b) != sprout_platformer::Status::Playing {
                break;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "world.step only:        {:>6.1} M ticks/s ({:.1} ns/tick, {} episodes)",
        ticks as f64 / secs / 1e6,
        secs * 1e9 / ticks as f64,
        i
    );

    // Episodes with MarI/O rules and the sensor grid every 5 ticks.
    let spec = SensorSpec::default();
    let mut obs = vec![0.0; spec.len()];
    let mut checksum = 0.0;
    let start = Instant::now();
    let (mut ticks, mut i) = (0u64, 0usize);
    while ticks < target {
        let mut episode = Episode::new(levels[i % levels.len()].clone(), EpisodeRules::default());
        i += 1;
        let mut b = Buttons::NONE;
        loop {
            if episode.world().tick().is_multiple_of(5) {
                spec.observe(episode.world(), &mut obs);
                checksum += obs[0];
                b = policy(&mut rng);
            }
            ticks += 1;
            if episode.step(b).is_some() {
                break;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "episode + 13x13 sensor: {:>6.1} M ticks/s ({:.1} ns/tick, {} episodes, checksum {checksum})",
        ticks as f64 / secs / 1e6,
        secs * 1e9 / ticks as f64,
        i
    );

    // Sensor fill alone.
    let world = World::new(levels[0].clone());
    let n = 2_000_000u64;
    let start = Instant::now();
    for _ in 0..n {
        spec.observe(std::hint::black_box(&world), &mut obs);
        checksum += obs[84];
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "sensor grid fill:       {:.1} ns each ({checksum})",
        secs * 1e9 / n as f64
    );

    // Solver.
    let start = Instant::now();
    for level in &levels {
        let s = sprout_platformer::solver::solve(level, &Default::default());
        assert!(s.finished, "{}", level.name());
    }
    println!(
        "solver:                 {:.1} ms per level",
        start.elapsed().as_secs_f64() * 1e3 / levels.len() as f64
    );
}
