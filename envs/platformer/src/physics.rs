//! Player physics and the swept tile collision shared by every body.
//!
//! The model follows the Mario AI engine in spirit, retuned for 60 ticks/s and
//! integer sub-pixels (see [`crate::units`]):
//!
//! - Horizontal: each tick `vx ← (vx + dir·a)·230/256`, with `a` = [`WALK_ACCEL`]
//!   or [`RUN_ACCEL`] when run is held, so speed builds up and decays with inertia.
//!   Top speeds: walk ≈ 1.48 px/tick (89 px/s), run ≈ 2.73 px/tick (164 px/s).
//! - Vertical: constant [`GRAVITY`] (0.375 px/tick²) up to [`MAX_FALL`]. A jump
//!   starts only on a fresh press while standing and sets `vy = −`[`JUMP_SPEED`];
//!   while jump stays held the upward speed is sustained for up to
//!   [`JUMP_HOLD_TICKS`] ticks, so a tap hops 23 px (1.5 tiles) and a full hold rises
//!   71 px (4.5 tiles: a 4-tile wall is clearable, a 5-tile one is not) in 44 ticks
//!   of airtime. A full running jump spans ≈ 7.5 tiles of flat ground and a walking
//!   one ≈ 4, so 3–4 tile pits are comfortable with a run-up.
//! - Collision: a move is split into steps of at most [`MAX_STEP`] (8 px, less than
//!   a tile), x first, then y; each step checks only the tiles newly entered by the
//!   leading edge and snaps flush on contact. No speed can tunnel through a tile.
//!
//! The tests at the bottom pin these designed numbers.

use crate::buttons::Buttons;
use crate::level::Level;
use crate::units::{PX, TILE, tile_of};

/// Player hitbox width (12 px).
pub const PLAYER_W: i32 = 12 * PX;
/// Player hitbox height (16 px, one tile).
pub const PLAYER_H: i32 = 16 * PX;
/// Horizontal acceleration when walking, sub-px/tick².
pub const WALK_ACCEL: i32 = 44;
/// Horizontal acceleration with run held, sub-px/tick².
pub const RUN_ACCEL: i32 = 80;
/// Horizontal velocity keeps `DAMPING/256` of itself each tick (≈ 0.9, Mario AI's
/// 0.89 inertia).
pub const DAMPING: i32 = 230;
/// Downward acceleration, sub-px/tick² (0.375 px/tick²).
pub const GRAVITY: i32 = 96;
/// Fastest fall, sub-px/tick (6 px/tick).
pub const MAX_FALL: i32 = 6 * PX;
/// Upward speed of a jump, sub-px/tick (4 px/tick).
pub const JUMP_SPEED: i32 = 4 * PX;
/// Ticks the jump speed is sustained while jump is held (the first tick included).
pub const JUMP_HOLD_TICKS: u8 = 13;
/// Upward speed after stomping an enemy.
pub const STOMP_SPEED: i32 = 4 * PX;
/// Sustain ticks after a stomp when jump is held (a higher bounce).
pub const STOMP_HOLD_TICKS: u8 = 6;
/// Longest sub-step of a move (8 px): below a tile, so no tile can be skipped.
pub const MAX_STEP: i32 = 8 * PX;

/// The player's state: plain data for renderers and sensors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Player {
    /// Left edge, sub-px.
    pub x: i32,
    /// Top edge, sub-px (y grows downward).
    pub y: i32,
    /// Horizontal velocity, sub-px/tick.
    pub vx: i32,
    /// Vertical velocity, sub-px/tick (negative is up).
    pub vy: i32,
    /// Standing on a solid tile after the last tick.
    pub on_ground: bool,
    /// Ticks of jump sustain left.
    pub jump_ticks: u8,
    /// Whether jump was held in the previous tick (a new jump needs a fresh press).
    pub jump_held: bool,
    /// −1 facing left, +1 facing right.
    pub facing: i8,
    /// Crouching (down held on the ground).
    pub crouching: bool,
}

/// What a renderer should draw for the player.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pose {
    /// On the ground, not moving.
    Standing,
    /// On the ground, moving.
    Walking,
    /// On the ground, down held.
    Crouching,
    /// In the air, going up.
    Jumping,
    /// In the air, going down.
    Falling,
}

impl Player {
    /// A standing player whose hitbox is centred in the cell (column, row).
    pub fn at_cell(col: i32, row: i32) -> Self {
        Player {
            x: col * TILE + (TILE - PLAYER_W) / 2,
            y: row * TILE + TILE - PLAYER_H,
            vx: 0,
            vy: 0,
            on_ground: false,
            jump_ticks: 0,
            jump_held: false,
            facing: 1,
            crouching: false,
        }
    }

    /// Centre of the hitbox, sub-px.
    pub fn center(&self) -> (i32, i32) {
        (self.x + PLAYER_W / 2, self.y + PLAYER_H / 2)
    }

    /// The pose to draw.
    pub fn pose(&self) -> Pose {
        match (self.on_ground, self.crouching) {
            (true, true) => Pose::Crouching,
            (true, false) if self.vx == 0 => Pose::Standing,
            (true, false) => Pose::Walking,
            (false, _) if self.vy < 0 => Pose::Jumping,
            (false, _) => Pose::Falling,
        }
    }

    /// One tick of input, forces and tile collision.
    #[inline]
    pub(crate) fn update(&mut self, level: &Level, buttons: Buttons) {
        let jump = buttons.contains(Buttons::JUMP);
        let dir = buttons.direction();
        self.crouching = self.on_ground && buttons.contains(Buttons::DOWN);
        if dir != 0 && !self.crouching {
            let accel = if buttons.contains(Buttons::RUN) {
                RUN_ACCEL
            } else {
                WALK_ACCEL
            };
            self.vx += dir * accel;
            self.facing = dir as i8;
        }
        // Integer division truncates toward zero, so left and right decay alike.
        self.vx = self.vx * DAMPING / 256;

        if jump && !self.jump_held && self.on_ground {
            self.vy = -JUMP_SPEED;
            self.jump_ticks = JUMP_HOLD_TICKS - 1;
        } else if jump && self.jump_ticks > 0 {
            self.vy = -JUMP_SPEED;
            self.jump_ticks -= 1;
        } else {
            self.jump_ticks = 0;
            self.vy = (self.vy + GRAVITY).min(MAX_FALL);
        }
        self.jump_held = jump;

        if sweep_x(level, &mut self.x, self.y, PLAYER_W, PLAYER_H, self.vx) {
            self.vx = 0;
        }
        let blocked = sweep_y(level, self.x, &mut self.y, PLAYER_W, PLAYER_H, self.vy);
        self.on_ground = blocked && self.vy > 0;
        if blocked {
            self.vy = 0;
            self.jump_ticks = 0;
        }
    }

    /// Bounce off a stomped enemy.
    pub(crate) fn bounce(&mut self) {
        self.vy = -STOMP_SPEED;
        self.jump_ticks = if self.jump_held { STOMP_HOLD_TICKS } else { 0 };
    }
}

/// Whether any tile of column `col`, rows `r0..=r1`, is solid.
#[inline]
fn column_blocked(level: &Level, col: i32, r0: i32, r1: i32) -> bool {
    let mut r = r0;
    while r <= r1 {
        if level.is_solid(col, r) {
            return true;
        }
        r += 1;
    }
    false
}

/// Whether any tile of row `row`, columns `c0..=c1`, is solid.
#[inline]
fn row_blocked(level: &Level, row: i32, c0: i32, c1: i32) -> bool {
    let mut c = c0;
    while c <= c1 {
        if level.is_solid(c, row) {
            return true;
        }
        c += 1;
    }
    false
}

/// Moves a `w`×`h` box at (`x`, `y`) horizontally by `dx`, in sub-steps of at most
/// [`MAX_STEP`], stopping flush against the first solid tile. Returns whether it
/// was blocked. The box must not overlap a solid tile on entry.
#[inline]
pub(crate) fn sweep_x(level: &Level, x: &mut i32, y: i32, w: i32, h: i32, dx: i32) -> bool {
    let (r0, r1) = (tile_of(y), tile_of(y + h - 1));
    let mut rest = dx;
    while rest != 0 {
        let step = rest.clamp(-MAX_STEP, MAX_STEP);
        rest -= step;
        let nx = *x + step;
        // Only a leading edge that enters a new column can meet a new tile.
        if step > 0 {
            let col = tile_of(nx + w - 1);
            if col != tile_of(*x + w - 1) && column_blocked(level, col, r0, r1) {
                *x = col * TILE - w;
                return true;
            }
        } else {
            let col = tile_of(nx);
            if col != tile_of(*x) && column_blocked(level, col, r0, r1) {
                *x = (col + 1) * TILE;
                return true;
            }
        }
        *x = nx;
    }
    false
}

/// Vertical twin of [`sweep_x`].
#[inline]
pub(crate) fn sweep_y(level: &Level, x: i32, y: &mut i32, w: i32, h: i32, dy: i32) -> bool {
    let (c0, c1) = (tile_of(x), tile_of(x + w - 1));
    let mut rest = dy;
    while rest != 0 {
        let step = rest.clamp(-MAX_STEP, MAX_STEP);
        rest -= step;
        let ny = *y + step;
        if step > 0 {
            let row = tile_of(ny + h - 1);
            if row != tile_of(*y + h - 1) && row_blocked(level, row, c0, c1) {
                *y = row * TILE - h;
                return true;
            }
        } else {
            let row = tile_of(ny);
            if row != tile_of(*y) && row_blocked(level, row, c0, c1) {
                *y = (row + 1) * TILE;
                return true;
            }
        }
        *y = ny;
    }
    false
}

/// Whether two boxes (x, y, w, h) overlap (touching edges do not).
#[inline]
pub(crate) fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{flat, level};
    use crate::units::TILE_PX;
    use crate::world::World;
    use proptest::prelude::*;

    const RUN_RIGHT: Buttons = Buttons(Buttons::RIGHT.0 | Buttons::RUN.0);

    /// Steps until the player stands again; returns (apex rise px, ticks, Δx px).
    fn jump_profile(world: &mut World, buttons: &mut dyn FnMut(u32) -> Buttons) -> (f64, u32, f64) {
        let (x0, y0) = (world.player().x, world.player().y);
        let mut top = y0;
        for t in 0..600 {
            world.step(buttons(t));
            top = top.min(world.player().y);
            if t > 0 && world.player().on_ground {
                let dx = world.player().x - x0;
                return (
                    crate::units::to_px(y0 - top),
                    t + 1,
                    crate::units::to_px(dx),
                );
            }
        }
        panic!("never landed");
    }

    fn standing(level: std::sync::Arc<Level>) -> World {
        let mut world = World::new(level);
        world.step(Buttons::NONE);
        assert!(world.player().on_ground);
        world
    }

    #[test]
    fn full_jump_rises_about_four_and_a_half_tiles() {
        let mut world = standing(flat(40));
        let (rise, ticks, _) = jump_profile(&mut world, &mut |_| Buttons::JUMP);
        assert!((70.0..=73.0).contains(&rise), "rise {rise} px");
        assert!(
            rise > f64::from(4 * TILE_PX),
            "a 4-tile wall must be clearable"
        );
        assert!((40..=46).contains(&ticks), "airtime {ticks} ticks");
    }

    #[test]
    fn tapped_jump_is_low_and_holding_goes_higher() {
        let mut rises = Vec::new();
        for hold in [1, 4, 8, 13] {
            let mut world = standing(flat(40));
            let (rise, _, _) = jump_profile(&mut world, &mut |t| {
                if t < hold {
                    Buttons::JUMP
                } else {
                    Buttons::NONE
                }
            });
            rises.push(rise);
        }
        assert!((20.0..=25.0).contains(&rises[0]), "tap {rises:?}");
        assert!(rises.windows(2).all(|w| w[0] < w[1]), "{rises:?}");
    }

    #[test]
    fn held_jump_does_not_repeat_until_released() {
        let mut world = standing(flat(40));
        jump_profile(&mut world, &mut |_| Buttons::JUMP);
        let y = world.player().y;
        for _ in 0..30 {
            world.step(Buttons::JUMP);
        }
        assert_eq!(world.player().y, y, "still held: no second jump");
        world.step(Buttons::NONE);
        world.step(Buttons::JUMP);
        assert!(world.player().y < y, "fresh press jumps");
    }

    fn top_speed(buttons: Buttons) -> f64 {
        let mut world = standing(flat(200));
        for _ in 0..120 {
            world.step(buttons);
        }
        crate::units::to_px(world.player().vx)
    }

    #[test]
    fn top_speeds_are_as_designed() {
        let walk = top_speed(Buttons::RIGHT);
        let run = top_speed(RUN_RIGHT);
        assert!((1.45..=1.6).contains(&walk), "walk {walk} px/tick");
        assert!((2.6..=2.8).contains(&run), "run {run} px/tick");
        assert_eq!(top_speed(Buttons::LEFT | Buttons::RIGHT), 0.0);
    }

    #[test]
    fn inertia_builds_speed_over_several_ticks() {
        let mut world = standing(flat(100));
        world.step(RUN_RIGHT);
        let first = world.player().vx;
        for _ in 0..9 {
            world.step(RUN_RIGHT);
        }
        assert!(first > 0 && world.player().vx > 4 * first);
        for _ in 0..5 {
            world.step(Buttons::NONE);
        }
        assert!(world.player().vx > 0, "it coasts");
    }

    fn jump_distance(buttons: Buttons) -> f64 {
        let mut world = standing(flat(200));
        for _ in 0..120 {
            world.step(buttons);
        }
        jump_profile(&mut world, &mut |_| buttons | Buttons::JUMP).2
    }

    #[test]
    fn running_jump_spans_about_seven_tiles_and_walking_four() {
        let run = jump_distance(RUN_RIGHT) / f64::from(TILE_PX);
        let walk = jump_distance(Buttons::RIGHT) / f64::from(TILE_PX);
        assert!((6.5..=8.0).contains(&run), "run jump {run} tiles");
        assert!((3.5..=4.5).contains(&walk), "walk jump {walk} tiles");
    }

    fn climb(wall_height: usize) -> bool {
        let mut rows = vec!["..............."; 15];
        let walls = [
            "..M.....#.....G",
            "........#......",
            "........#......",
            "........#......",
            "........#......",
        ];
        for (i, w) in walls.iter().take(wall_height).enumerate() {
            rows[12 - i] = if i == 0 { w } else { walls[i] };
        }
        if wall_height == 0 {
            rows[12] = "..M...........G";
        }
        rows[13] = "XXXXXXXXXXXXXXX";
        rows[14] = "XXXXXXXXXXXXXXX";
        let mut world = standing(level(&rows));
        // Walk to the wall, then jump with right held.
        for _ in 0..80 {
            world.step(Buttons::RIGHT);
        }
        for _ in 0..60 {
            world.step(Buttons::RIGHT | Buttons::JUMP);
        }
        world.player().x > 9 * TILE
    }

    #[test]
    fn a_four_tile_wall_is_jumpable_and_a_five_tile_wall_is_not() {
        assert!(climb(4));
        assert!(!climb(5));
    }

    #[test]
    fn ceiling_stops_the_jump() {
        let mut rows = vec!["........"; 15];
        rows[10] = "BBBBBBBB";
        rows[12] = "..M....G";
        rows[13] = "XXXXXXXX";
        rows[14] = "XXXXXXXX";
        let mut world = standing(level(&rows));
        for _ in 0..10 {
            world.step(Buttons::JUMP);
            assert!(world.player().y >= 11 * TILE);
        }
        assert!(world.player().vy > 0, "falls after the bonk");
    }

    /// A level with a one-tile-thick wall in column 20 and a floor.
    fn walled() -> std::sync::Arc<Level> {
        let mut rows = vec!["....................#..........G".to_string(); 15];
        rows[12] = "..M.................#..........G".to_string();
        rows[13] = "X".repeat(32);
        rows[14] = "X".repeat(32);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        level(&rows)
    }

    proptest! {
        #[test]
        fn no_horizontal_speed_tunnels_through_a_wall(
            start_px in 0i32..300,
            row in 0i32..12,
            speed in 1i32..(200 * PX),
        ) {
            let level = walled();
            let mut x = start_px * PX;
            let y = row * TILE;
            let blocked = sweep_x(&level, &mut x, y, PLAYER_W, PLAYER_H, speed);
            prop_assert!(x + PLAYER_W <= 20 * TILE);
            prop_assert_eq!(blocked, start_px * PX + speed + PLAYER_W > 20 * TILE);
            let mut back = 21 * TILE + (start_px * PX) % (10 * TILE - PLAYER_W);
            sweep_x(&level, &mut back, y, PLAYER_W, PLAYER_H, -speed);
            prop_assert!(back >= 21 * TILE);
        }

        #[test]
        fn no_fall_speed_tunnels_through_the_floor(
            col_px in 0i32..300,
            height in 0i32..(12 * TILE),
            speed in 1i32..(200 * PX),
        ) {
            let level = walled();
            let x = col_px * PX;
            let mut y = height.min(13 * TILE - PLAYER_H);
            sweep_y(&level, x, &mut y, PLAYER_W, PLAYER_H, speed);
            prop_assert!(y + PLAYER_H <= 13 * TILE);
        }

        #[test]
        fn the_running_player_never_enters_a_wall(
            start_col in 0i32..18,
            boost in 0i32..(40 * PX),
            jump_at in 0u32..100,
        ) {
            let mut world = standing(walled());
            world.player_mut().x = start_col * TILE;
            world.player_mut().vx = boost;
            for t in 0..200 {
                let b = if (jump_at..jump_at + 12).contains(&t) { RUN_RIGHT | Buttons::JUMP } else { RUN_RIGHT };
                world.step(b);
                let p = world.player();
                prop_assert!(p.x + PLAYER_W <= 20 * TILE || p.y + PLAYER_H <= 0,
                    "tick {t}: x {} y {}", p.x, p.y);
            }
        }
    }
}
