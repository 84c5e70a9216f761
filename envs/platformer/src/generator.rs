//! Seeded level generator in the style of the Mario AI benchmark's "notch"
//! generator, with a completability guarantee.
//!
//! A level is 15 rows high. It opens with 8 flat columns (player start at column
//! 2) and closes with 12 flat columns holding the goal 6 columns before the end.
//! In between, a layout pass picks zones left to right with weights that grow with
//! the difficulty `d` (0..=10):
//!
//! | zone       | weight        | content                                             |
//! |------------|---------------|-----------------------------------------------------|
//! | straight   | 20            | flat ground, sometimes floating bricks               |
//! | hills      | 10            | a step up or down of 1..=2+d/4 tiles (at most 4)     |
//! | pipes      | 2 + d         | 1–3 pipes, 2..=2+d/3 tiles high (at most 4)          |
//! | pits       | 2·d           | a gap of 2..=2+d/4 tiles (at most 4), landing ±1     |
//! | stairs     | 2 + d/2       | a staircase up and down, from d ≥ 4 maybe split by a pit |
//! | enemy group| max(0, 5d−10) | 2..=2+d/3 enemies close together                     |
//!
//! (Mario AI's cannons, which this game lacks, give their 5d−10 to enemy groups.)
//! Straight, hills and pipe zones also get an enemy at each column with
//! probability (d+1)/35, as in Mario AI. From d = 3 an enemy is a spiky with
//! probability (d−2)/16.
//!
//! Completability is checked and repaired: the [`crate::solver`] runs on the built
//! level; if it gets stuck, the zone where it stuck (or a neighbour) is rebuilt from
//! a fresh random stream, and after [`MAX_ATTEMPTS`] tries a zone becomes flat
//! ground without enemies. A level of flat zones is always completable, so the
//! loop ends. Everything is a pure function of (seed, difficulty, length).

use std::sync::Arc;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

use crate::enemies::EnemyKind;
use crate::level::{Level, Spawn};
use crate::solver::{SolverConfig, solve};
use crate::tiles::Tile;

/// Rows of a generated level.
pub const HEIGHT: i32 = 15;
/// Hardest difficulty.
pub const MAX_DIFFICULTY: u32 = 10;
/// Shortest generated level, in tiles.
pub const MIN_LENGTH: u32 = 40;
/// Longest generated level, in tiles.
pub const MAX_LENGTH: u32 = 4096;
/// Rebuilds of one zone before it falls back to flat ground.
pub const MAX_ATTEMPTS: u8 = 3;

/// Flat columns at the start.
const START_LEN: i32 = 8;
/// Flat columns at the end (the goal stands 6 before the last column).
const END_LEN: i32 = 12;
/// Top ground row of the start and the lowest floor.
const BASE_FLOOR: i32 = HEIGHT - 2;
/// Highest floor a hill may reach.
const TOP_FLOOR: i32 = 7;

/// Bad generator arguments.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// Difficulty above [`MAX_DIFFICULTY`].
    #[error("difficulty {0} is out of range 0..={MAX_DIFFICULTY}")]
    Difficulty(u32),
    /// Length outside [`MIN_LENGTH`]..=[`MAX_LENGTH`].
    #[error("length {0} is out of range {MIN_LENGTH}..={MAX_LENGTH} tiles")]
    Length(u32),
}

/// SplitMix64 finaliser: a well-mixed 64-bit hash of `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mixes a list of words into one seed.
pub fn mix(words: &[u64]) -> u64 {
    words
        .iter()
        .fold(0x5EED_F5B0_u64, |acc, &w| splitmix64(acc ^ splitmix64(w)))
}

/// The kinds of zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Straight,
    Hills,
    Pipes,
    Pits,
    Stairs,
    Group,
}

/// One zone of the layout.
#[derive(Debug, Clone, Copy)]
struct Zone {
    kind: Kind,
    start: i32,
    len: i32,
    floor_in: i32,
    floor_out: i32,
}

/// Generates a completable level.
pub fn generate(seed: u64, difficulty: u32, length: u32) -> Result<Level, GenerateError> {
    if difficulty > MAX_DIFFICULTY {
        return Err(GenerateError::Difficulty(difficulty));
    }
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(GenerateError::Length(length));
    }
    let generator = Generator {
        seed,
        d: difficulty as i32,
        width: length as i32,
    };
    let zones = generator.layout();
    let mut attempts = vec![0u8; zones.len()];
    let solver = SolverConfig {
        max_ticks: (length * 32).max(SolverConfig::default().max_ticks),
        ..SolverConfig::default()
    };
    loop {
        let level = Arc::new(generator.build(&zones, &attempts));
        let solution = solve(&level, &solver);
        if solution.finished {
            return Ok(Arc::unwrap_or_clone(level));
        }
        let stuck_col = solution.furthest_px / crate::units::TILE_PX + 1;
        let here = zones
            .iter()
            .rposition(|z| z.start <= stuck_col)
            .unwrap_or(0) as i64;
        let pick = [0i64, 1, -1, 2, -2]
            .iter()
            .map(|o| here + o)
            .filter(|&i| 0 <= i && i < zones.len() as i64)
            .find(|&i| attempts[i as usize] < MAX_ATTEMPTS);
        match pick {
            Some(i) => attempts[i as usize] += 1,
            // Nothing near is left to rebuild: flatten everything.
            None => {
                attempts.fill(MAX_ATTEMPTS);
                return Ok(generator.build(&zones, &attempts));
            }
        }
    }
}

/// The arguments of one generation.
struct Generator {
    seed: u64,
    d: i32,
    width: i32,
}

impl Generator {
    fn rng(&self, stream: u64, attempt: u8) -> Xoshiro256PlusPlus {
        let words = [
            self.seed,
            self.d as u64,
            self.width as u64,
            stream,
            u64::from(attempt),
        ];
        Xoshiro256PlusPlus::seed_from_u64(mix(&words))
    }

    /// Picks zone kinds, lengths and floor heights left to right.
    fn layout(&self) -> Vec<Zone> {
        let d = self.d;
        let mut rng = self.rng(u64::MAX, 0);
        let weights = [
            (Kind::Straight, 20),
            (Kind::Hills, 10),
            (Kind::Pipes, 2 + d),
            (Kind::Pits, 2 * d),
            (Kind::Stairs, 2 + d / 2),
            (Kind::Group, (5 * d - 10).max(0)),
        ];
        let total: i32 = weights.iter().map(|w| w.1).sum();
        let end = self.width - END_LEN;
        let (mut x, mut floor) = (START_LEN, BASE_FLOOR);
        let mut zones = Vec::new();
        while x < end {
            let mut roll = rng.random_range(0..total);
            let mut kind = Kind::Straight;
            for &(k, w) in &weights {
                if roll < w {
                    kind = k;
                    break;
                }
                roll -= w;
            }
            let (lo, hi) = match kind {
                Kind::Straight => (4, 10),
                Kind::Hills => (6, 12),
                Kind::Pipes => (9, 16),
                Kind::Pits => (8, 12),
                Kind::Stairs => (10, 16),
                Kind::Group => (8, 12),
            };
            let mut len = rng.random_range(lo..=hi);
            if end - x < lo {
                kind = Kind::Straight;
                len = end - x;
            }
            len = len.min(end - x);
            let floor_out = match kind {
                Kind::Hills => {
                    let max_step = (2 + d / 4).min(4);
                    let step = rng.random_range(1..=max_step);
                    let up = floor - step >= TOP_FLOOR
                        && (floor + step > BASE_FLOOR || rng.random_bool(0.5));
                    if up {
                        floor - step
                    } else {
                        (floor + step).min(BASE_FLOOR)
                    }
                }
                Kind::Pits => (floor + rng.random_range(-1..=1)).clamp(TOP_FLOOR, BASE_FLOOR),
                _ => floor,
            };
            zones.push(Zone {
                kind,
                start: x,
                len,
                floor_in: floor,
                floor_out,
            });
            x += len;
            floor = floor_out;
        }
        zones
    }

    /// Builds the level for the given per-zone attempt numbers.
    fn build(&self, zones: &[Zone], attempts: &[u8]) -> Level {
        let mut canvas = Canvas::new(self.width);
        for col in 0..START_LEN {
            canvas.ground(col, BASE_FLOOR);
        }
        for (i, zone) in zones.iter().enumerate() {
            let mut rng = self.rng(i as u64, attempts[i]);
            if attempts[i] >= MAX_ATTEMPTS {
                canvas.flat_zone(zone);
            } else {
                canvas.zone(zone, self.d, &mut rng);
            }
        }
        let last_floor = zones.last().map_or(BASE_FLOOR, |z| z.floor_out);
        for col in self.width - END_LEN..self.width {
            canvas.ground(col, last_floor);
        }
        let goal = self.width - 6;
        for row in (last_floor - 9).max(0)..last_floor {
            canvas.set(goal, row, Tile::Goal);
        }
        let name = format!("gen-s{}-d{}-l{}", self.seed, self.d, self.width);
        Level::from_parts(
            name,
            self.width as usize,
            HEIGHT as usize,
            canvas.tiles,
            (2, BASE_FLOOR - 1),
            canvas.spawns,
        )
        .expect("generated levels satisfy the level rules")
    }
}

/// A level under construction.
struct Canvas {
    width: i32,
    tiles: Vec<Tile>,
    spawns: Vec<Spawn>,
}

impl Canvas {
    fn new(width: i32) -> Self {
        Canvas {
            width,
            tiles: vec![Tile::Empty; (width * HEIGHT) as usize],
            spawns: Vec::new(),
        }
    }

    fn set(&mut self, col: i32, row: i32, tile: Tile) {
        if (0..self.width).contains(&col) && (0..HEIGHT).contains(&row) {
            self.tiles[(row * self.width + col) as usize] = tile;
        }
    }

    fn get(&self, col: i32, row: i32) -> Tile {
        if (0..self.width).contains(&col) && (0..HEIGHT).contains(&row) {
            self.tiles[(row * self.width + col) as usize]
        } else {
            Tile::Empty
        }
    }

    /// Ground from row `floor` down.
    fn ground(&mut self, col: i32, floor: i32) {
        for row in floor..HEIGHT {
            self.set(col, row, Tile::Ground);
        }
    }

    /// A column of `h` tiles of `tile` standing on `floor`.
    fn stack(&mut self, col: i32, floor: i32, h: i32, tile: Tile) {
        for row in floor - h..floor {
            self.set(col, row, tile);
        }
    }

    /// An enemy standing on `floor` at `col`, if the cell is free.
    fn enemy(&mut self, col: i32, floor: i32, kind: EnemyKind) {
        let row = floor - 1;
        let taken = self.spawns.iter().any(|s| s.col == col && s.row == row);
        if !taken && self.get(col, row) == Tile::Empty && self.get(col, floor).is_solid() {
            self.spawns.push(Spawn { kind, col, row });
        }
    }

    /// Drops enemies on columns `cols` with Mario AI's per-column odds.
    fn scatter(
        &mut self,
        cols: std::ops::Range<i32>,
        floor: i32,
        d: i32,
        rng: &mut Xoshiro256PlusPlus,
    ) {
        for col in cols {
            if rng.random_ratio((d + 1) as u32, 35) {
                let kind = enemy_kind(d, rng);
                self.enemy(col, floor, kind);
            }
        }
    }

    /// A zone of flat ground that never blocks: steps of one tile lead up to a
    /// higher exit floor.
    fn flat_zone(&mut self, z: &Zone) {
        for i in 0..z.len {
            let rise = (z.floor_in - z.floor_out).max(0);
            let floor = z.floor_in - (rise - (z.len - 1 - i)).max(0);
            self.ground(z.start + i, floor);
        }
    }

    fn zone(&mut self, z: &Zone, d: i32, rng: &mut Xoshiro256PlusPlus) {
        let (x0, len, f) = (z.start, z.len, z.floor_in);
        match z.kind {
            Kind::Straight => {
                for col in x0..x0 + len {
                    self.ground(col, f);
                }
                if len >= 6 && rng.random_bool(0.4) {
                    let n = rng.random_range(3..=len.min(6));
                    let c0 = x0 + rng.random_range(0..=len - n);
                    for col in c0..c0 + n {
                        let tile = if rng.random_bool(0.8) {
                            Tile::Brick
                        } else {
                            Tile::Block
                        };
                        self.set(col, f - 4, tile);
                    }
                }
                self.scatter(x0..x0 + len, f, d, rng);
            }
            Kind::Hills => {
                let split = x0 + rng.random_range(2..=len - 3);
                for col in x0..x0 + len {
                    self.ground(col, if col < split { f } else { z.floor_out });
                }
                self.scatter(x0..split, f, d, rng);
                self.scatter(split + 1..x0 + len, z.floor_out, d, rng);
            }
            Kind::Pipes => {
                for col in x0..x0 + len {
                    self.ground(col, f);
                }
                let max_h = (2 + d / 3).min(4);
                let mut col = x0 + rng.random_range(1..=3);
                while col + 2 < x0 + len {
                    let h = rng.random_range(2..=max_h);
                    self.stack(col, f, h, Tile::Pipe);
                    self.stack(col + 1, f, h, Tile::Pipe);
                    let gap = rng.random_range(3..=6);
                    self.scatter(col + 2..(col + 2 + gap).min(x0 + len), f, d, rng);
                    col += 2 + gap;
                }
            }
            Kind::Pits => {
                let max_gap = (2 + d / 4).min(4);
                let run_up = rng.random_range(2..=4);
                let gap = rng.random_range(2..=max_gap);
                let edge = x0 + run_up;
                for col in x0..x0 + len {
                    if col < edge {
                        self.ground(col, f);
                    } else if col >= edge + gap {
                        self.ground(col, z.floor_out);
                    }
                }
                if d >= 5 && rng.random_bool(0.3) {
                    // A step in front of the gap.
                    self.stack(edge - 1, f, 1, Tile::Block);
                }
                self.scatter(edge + gap + 2..x0 + len, z.floor_out, d, rng);
            }
            Kind::Stairs => {
                for col in x0..x0 + len {
                    self.ground(col, f);
                }
                let split = d >= 4 && rng.random_bool(0.5);
                let gap = if split { rng.random_range(1..=2) } else { 0 };
                let max_h = ((len - 2 - gap) / 2).min(3 + d / 2).min(f - 2);
                let h = rng.random_range(2..=max_h.max(2));
                let c0 = x0 + 1;
                for i in 0..h {
                    self.stack(c0 + i, f, i + 1, Tile::Block);
                    self.stack(c0 + 2 * h + gap - 1 - i, f, i + 1, Tile::Block);
                }
                for col in c0 + h..c0 + h + gap {
                    for row in f..HEIGHT {
                        self.set(col, row, Tile::Empty);
                    }
                }
            }
            Kind::Group => {
                for col in x0..x0 + len {
                    self.ground(col, f);
                }
                let n = rng.random_range(2..=2 + d / 3);
                let mut col = x0 + rng.random_range(2..=4);
                for _ in 0..n {
                    if col >= x0 + len {
                        break;
                    }
                    let kind = enemy_kind(d, rng);
                    self.enemy(col, f, kind);
                    col += rng.random_range(1..=2);
                }
                if d >= 6 && rng.random_bool(0.5) {
                    for col in x0 + 1..x0 + len - 1 {
                        self.set(col, f - 4, Tile::Brick);
                    }
                }
            }
        }
    }
}

/// Walker, or from difficulty 3 a spiky with probability (d−2)/16.
fn enemy_kind(d: i32, rng: &mut Xoshiro256PlusPlus) -> EnemyKind {
    if d >= 3 && rng.random_ratio((d - 2) as u32, 16) {
        EnemyKind::Spiky
    } else {
        EnemyKind::Walker
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::episode::{EndCause, PlaySettings};

    #[test]
    fn same_arguments_give_the_same_level() {
        for (seed, d) in [(1, 0), (7, 5), (99, 10)] {
            let a = generate(seed, d, 80).unwrap();
            let b = generate(seed, d, 80).unwrap();
            assert_eq!(a, b);
        }
        assert_ne!(
            generate(1, 5, 80).unwrap().tiles(),
            generate(2, 5, 80).unwrap().tiles()
        );
    }

    #[test]
    fn bad_arguments_are_rejected() {
        assert_eq!(generate(0, 11, 100), Err(GenerateError::Difficulty(11)));
        assert_eq!(generate(0, 3, 10), Err(GenerateError::Length(10)));
    }

    #[test]
    fn difficulty_adds_pits_and_enemies() {
        let count = |d: u32| {
            (0..6u64).fold((0, 0), |(pits, enemies), seed| {
                let level = generate(seed, d, 150).unwrap();
                let bottom = level.height() - 1;
                let pits = pits
                    + (0..level.width())
                        .filter(|&c| !level.is_solid(c, bottom))
                        .count();
                (pits, enemies + level.spawns().len())
            })
        };
        let (easy_pits, easy_enemies) = count(0);
        let (hard_pits, hard_enemies) = count(10);
        assert_eq!(easy_pits, 0, "no pits at difficulty 0");
        assert!(hard_pits > 20, "{hard_pits}");
        assert!(
            hard_enemies > 2 * easy_enemies,
            "{easy_enemies} vs {hard_enemies}"
        );
    }

    #[test]
    fn fully_flattened_levels_are_completable() {
        // The repair loop's last resort must always work, even on hilly layouts.
        for (seed, d) in [(0, 0), (5, 4), (11, 10), (12, 10)] {
            let generator = Generator {
                seed,
                d,
                width: 120,
            };
            let zones = generator.layout();
            assert!(zones.iter().any(|z| z.floor_in != z.floor_out) || d == 0);
            let flat = Arc::new(generator.build(&zones, &vec![MAX_ATTEMPTS; zones.len()]));
            assert!(flat.spawns().is_empty());
            assert!(
                solve(&flat, &SolverConfig::default()).finished,
                "seed {seed} d {d}"
            );
        }
    }

    /// Every generated level is finished by replaying an independent solver run
    /// through the episode rules.
    fn check_completable(seeds: std::ops::Range<u64>, difficulties: &[u32], length: u32) {
        let mut settings = PlaySettings::default();
        settings.rules.max_ticks = 100_000;
        settings.rules.stall_frames = 100_000;
        for seed in seeds {
            for &d in difficulties {
                let level = Arc::new(generate(seed, d, length).unwrap());
                let solution = solve(&level, &SolverConfig::default());
                assert!(solution.finished, "seed {seed} d {d}:\n{}", level.to_ron());
                let report = settings.replay(&level, &solution.buttons);
                assert_eq!(report.cause, EndCause::Finished, "seed {seed} d {d}");
            }
        }
    }

    #[test]
    fn generated_levels_are_completable_easy() {
        check_completable(0..6, &[0, 1, 2, 3], 100);
    }

    #[test]
    fn generated_levels_are_completable_hard() {
        check_completable(0..4, &[4, 5, 6, 7, 8, 9, 10], 100);
    }

    #[test]
    #[ignore = "slow sweep: cargo test --release -p sprout-platformer -- --ignored"]
    fn generated_levels_are_completable_sweep() {
        check_completable(100..150, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 200);
    }
}
