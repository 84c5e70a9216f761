//! Enemies: walkers, which can be stomped, and spikies, which cannot. Both walk at
//! a constant speed, turn around at walls and fall into pits.

use serde::{Deserialize, Serialize};

use crate::level::{Level, Spawn};
use crate::physics::{GRAVITY, MAX_FALL, overlaps, sweep_x, sweep_y};
use crate::units::{PX, TILE};

/// Enemy hitbox width (14 px).
pub const ENEMY_W: i32 = 14 * PX;
/// Enemy hitbox height (14 px).
pub const ENEMY_H: i32 = 14 * PX;
/// Walking speed, sub-px/tick (0.5 px/tick).
pub const ENEMY_SPEED: i32 = PX / 2;
/// Most enemies alive at once; further spawns wait until a slot frees.
pub const MAX_ACTIVE: usize = 16;

/// The kinds of enemy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum EnemyKind {
    /// Dies when stomped from above; touching it otherwise kills the player.
    #[default]
    Walker,
    /// Cannot be stomped: any contact kills the player.
    Spiky,
}

impl EnemyKind {
    /// Whether landing on it from above kills it.
    pub const fn stompable(self) -> bool {
        matches!(self, EnemyKind::Walker)
    }

    /// Its character in level files.
    pub const fn to_char(self) -> char {
        match self {
            EnemyKind::Walker => 'E',
            EnemyKind::Spiky => 'S',
        }
    }
}

/// A live enemy: plain data for renderers and sensors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Enemy {
    /// Kind.
    pub kind: EnemyKind,
    /// Left edge, sub-px.
    pub x: i32,
    /// Top edge, sub-px.
    pub y: i32,
    /// Horizontal velocity, sub-px/tick (±[`ENEMY_SPEED`]).
    pub vx: i32,
    /// Vertical velocity, sub-px/tick.
    pub vy: i32,
    /// Index of its spawn in [`Level::spawns`] (stable identity for renderers).
    pub spawn: u32,
}

impl Enemy {
    /// A new enemy standing in its spawn cell, walking left.
    pub fn spawned(spawn: &Spawn, index: u32) -> Self {
        Enemy {
            kind: spawn.kind,
            x: spawn.col * TILE + (TILE - ENEMY_W) / 2,
            y: spawn.row * TILE + TILE - ENEMY_H,
            vx: -ENEMY_SPEED,
            vy: 0,
            spawn: index,
        }
    }

    /// Hitbox as (x, y, w, h).
    #[inline]
    pub fn hitbox(&self) -> (i32, i32, i32, i32) {
        (self.x, self.y, ENEMY_W, ENEMY_H)
    }

    /// Centre, sub-px.
    pub fn center(&self) -> (i32, i32) {
        (self.x + ENEMY_W / 2, self.y + ENEMY_H / 2)
    }

    /// One tick of walking and falling. Returns false once it fell out of the level.
    #[inline]
    fn update(&mut self, level: &Level) -> bool {
        self.vy = (self.vy + GRAVITY).min(MAX_FALL);
        if sweep_x(level, &mut self.x, self.y, ENEMY_W, ENEMY_H, self.vx) {
            self.vx = -self.vx;
        }
        if sweep_y(level, self.x, &mut self.y, ENEMY_W, ENEMY_H, self.vy) {
            self.vy = 0;
        }
        self.y < level.bottom()
    }

    /// Whether it overlaps the box `other`.
    #[inline]
    pub(crate) fn touches(&self, other: (i32, i32, i32, i32)) -> bool {
        overlaps(self.hitbox(), other)
    }
}

/// The live enemies, inline and fixed-capacity so a world clones without
/// allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Enemies {
    slots: [Enemy; MAX_ACTIVE],
    len: u8,
}

impl Default for Enemies {
    fn default() -> Self {
        Enemies {
            slots: [Enemy::default(); MAX_ACTIVE],
            len: 0,
        }
    }
}

impl Enemies {
    /// The live enemies, in spawn order.
    #[inline]
    pub fn as_slice(&self) -> &[Enemy] {
        &self.slots[..self.len as usize]
    }

    /// Whether another enemy fits.
    #[inline]
    pub(crate) fn has_room(&self) -> bool {
        (self.len as usize) < MAX_ACTIVE
    }

    /// Adds an enemy; the caller checks [`Enemies::has_room`].
    #[inline]
    pub(crate) fn push(&mut self, enemy: Enemy) {
        self.slots[self.len as usize] = enemy;
        self.len += 1;
    }

    /// Keeps the enemies for which `keep` returns true (which may also change them),
    /// preserving order.
    #[inline]
    pub(crate) fn retain_mut(&mut self, mut keep: impl FnMut(&mut Enemy) -> bool) {
        let mut kept = 0;
        for i in 0..self.len as usize {
            if keep(&mut self.slots[i]) {
                if kept != i {
                    self.slots[kept] = self.slots[i];
                }
                kept += 1;
            }
        }
        self.len = kept as u8;
    }

    /// Advances every enemy one tick, dropping those that fell out or are more
    /// than `behind` sub-px left of `player_x`.
    #[inline]
    pub(crate) fn update(&mut self, level: &Level, player_x: i32, behind: i32) {
        self.retain_mut(|e| e.update(level) && e.x + ENEMY_W >= player_x - behind);
    }
}
