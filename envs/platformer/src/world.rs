//! The game state and its 60 Hz step.
//!
//! A [`World`] is plain data — the shared level, the player, the live enemies and a
//! tick counter — and [`World::step`] advances it by one tick given the held
//! buttons. Cloning a world costs a reference-count increment and a few hundred
//! bytes of copying, so searches can branch freely.
//!
//! Order within a tick: player input, forces and collision; fall-out check; enemies
//! near the player wake up; enemies move; player–enemy contacts; goal check.
//! Enemies sleep until the player comes within [`WAKE_AHEAD`] of their spawn (one
//! screen, as in Super Mario) and vanish once [`FORGET_BEHIND`] behind the player.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::buttons::Buttons;
use crate::enemies::{Enemies, Enemy};
use crate::level::{Level, Spawn};
use crate::physics::{PLAYER_H, PLAYER_W, Player};
use crate::units::{PX, TILE};

/// Spawns this far right of the player's left edge wake up (16 tiles).
pub const WAKE_AHEAD: i32 = 16 * TILE;
/// Enemies this far left of the player are forgotten (16 tiles).
pub const FORGET_BEHIND: i32 = 16 * TILE;
/// A falling player stomps when its feet were at most this far below the enemy's
/// top at the start of the tick (4 px).
pub const STOMP_MARGIN: i32 = 4 * PX;

/// The player's left edge at which `level` counts as finished: the hitbox centre
/// reaches the middle of the goal column.
pub fn finish_x(level: &Level) -> i32 {
    level.goal_x() + TILE / 2 - PLAYER_W / 2
}

/// How the player died.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeathCause {
    /// Fell below the level.
    Pit,
    /// Touched an enemy other than by stomping it.
    Enemy,
}

/// Whether the game goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Still playing.
    Playing,
    /// Reached the goal.
    Finished,
    /// Dead.
    Dead(DeathCause),
}

/// The whole game state.
#[derive(Debug, Clone)]
pub struct World {
    level: Arc<Level>,
    player: Player,
    enemies: Enemies,
    next_spawn: u32,
    tick: u32,
    status: Status,
    stomps: u32,
}

impl World {
    /// A fresh world with the player at the level's start.
    pub fn new(level: Arc<Level>) -> Self {
        let (col, row) = level.start_cell();
        let mut world = World {
            player: Player::at_cell(col, row),
            level,
            enemies: Enemies::default(),
            next_spawn: 0,
            tick: 0,
            status: Status::Playing,
            stomps: 0,
        };
        world.wake_enemies();
        world
    }

    /// Advances one tick with `buttons` held and returns the new status. Once the
    /// game is over, stepping changes nothing.
    pub fn step(&mut self, buttons: Buttons) -> Status {
        if self.status != Status::Playing {
            return self.status;
        }
        self.tick += 1;
        let feet_before = self.player.y + PLAYER_H;
        self.player.update(&self.level, buttons);
        if self.player.y >= self.level.bottom() {
            self.status = Status::Dead(DeathCause::Pit);
            return self.status;
        }
        self.wake_enemies();
        self.enemies
            .update(&self.level, self.player.x, FORGET_BEHIND);
        self.resolve_contacts(feet_before);
        if self.status == Status::Playing && self.player.x >= finish_x(&self.level) {
            self.status = Status::Finished;
        }
        self.status
    }

    /// Wakes sleeping spawns within reach, in spawn order, while slots are free.
    fn wake_enemies(&mut self) {
        let spawns = self.level.spawns();
        while let Some(spawn) = spawns.get(self.next_spawn as usize) {
            if spawn.col * TILE > self.player.x + WAKE_AHEAD || !self.enemies.has_room() {
                break;
            }
            self.enemies.push(Enemy::spawned(spawn, self.next_spawn));
            self.next_spawn += 1;
        }
    }

    /// Stomps and deadly contacts.
    fn resolve_contacts(&mut self, feet_before: i32) {
        let player_box = (self.player.x, self.player.y, PLAYER_W, PLAYER_H);
        let falling = self.player.vy > 0;
        let (mut stomped, mut hurt) = (0, false);
        self.enemies.retain_mut(|e| {
            if !e.touches(player_box) {
                return true;
            }
            if e.kind.stompable() && falling && feet_before <= e.y + STOMP_MARGIN {
                stomped += 1;
                return false;
            }
            hurt = true;
            true
        });
        if stomped > 0 {
            self.stomps += stomped;
            self.player.bounce();
        }
        if hurt {
            self.status = Status::Dead(DeathCause::Enemy);
        }
    }

    /// The level.
    pub fn level(&self) -> &Level {
        &self.level
    }

    /// The shared level handle.
    pub fn level_arc(&self) -> &Arc<Level> {
        &self.level
    }

    /// The player.
    pub fn player(&self) -> &Player {
        &self.player
    }

    /// The live enemies.
    pub fn enemies(&self) -> &[Enemy] {
        self.enemies.as_slice()
    }

    /// Spawns that have not woken up yet (for renderers that draw them asleep).
    pub fn sleeping_spawns(&self) -> &[Spawn] {
        &self.level.spawns()[self.next_spawn as usize..]
    }

    /// Ticks stepped so far.
    pub fn tick(&self) -> u32 {
        self.tick
    }

    /// Whether the game goes on.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Enemies stomped so far.
    pub fn stomps(&self) -> u32 {
        self.stomps
    }

    /// Mutable player, for tests that place it.
    #[cfg(test)]
    pub(crate) fn player_mut(&mut self) -> &mut Player {
        &mut self.player
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enemies::ENEMY_SPEED;
    use crate::testutil::level;

    fn run(world: &mut World, ticks: u32, buttons: Buttons) -> Status {
        for _ in 0..ticks {
            if world.step(buttons) != Status::Playing {
                break;
            }
        }
        world.status()
    }

    const ARENA: [&str; 5] = [
        "....................",
        "....................",
        "..M.......?........G",
        "XXXXXXXXXXXXXXXXXXXX",
        "XXXXXXXXXXXXXXXXXXXX",
    ];

    fn arena(enemy: char) -> World {
        let rows: Vec<String> = ARENA
            .iter()
            .map(|r| r.replace('?', &enemy.to_string()))
            .collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        World::new(level(&rows))
    }

    #[test]
    fn walking_into_a_walker_kills_the_player() {
        let mut world = arena('E');
        assert_eq!(
            run(&mut world, 300, Buttons::RIGHT),
            Status::Dead(DeathCause::Enemy)
        );
        assert_eq!(world.enemies().len(), 1);
    }

    /// Waits for the enemy to come close, then jumps straight up so the player
    /// lands on it.
    fn jump_onto(world: &mut World) -> Status {
        while world.enemies()[0].x > world.player().x + 30 * PX {
            world.step(Buttons::NONE);
        }
        run(world, 200, Buttons::JUMP)
    }

    #[test]
    fn stomping_a_walker_kills_it_and_bounces_the_player() {
        let mut world = arena('E');
        while world.enemies()[0].x > world.player().x + 30 * PX {
            world.step(Buttons::NONE);
        }
        let mut bounced = false;
        for _ in 0..200 {
            let vy_before = world.player().vy;
            world.step(Buttons::JUMP);
            if world.stomps() == 1 {
                bounced = vy_before > 0 && world.player().vy < 0;
                break;
            }
        }
        assert!(bounced, "stomped with a bounce");
        assert!(world.enemies().is_empty());
        assert_eq!(run(&mut world, 400, Buttons::RIGHT), Status::Finished);
    }

    #[test]
    fn spikies_cannot_be_stomped() {
        let mut world = arena('S');
        assert_eq!(jump_onto(&mut world), Status::Dead(DeathCause::Enemy));
        assert_eq!(world.stomps(), 0);
    }

    #[test]
    fn falling_into_a_pit_kills() {
        let rows = ["..........", "..M.....G.", "XXXX..XXXX", "XXXX..XXXX"];
        let mut world = World::new(level(&rows));
        assert_eq!(
            run(&mut world, 300, Buttons::RIGHT),
            Status::Dead(DeathCause::Pit)
        );
        assert!(world.player().y >= world.level().bottom());
    }

    #[test]
    fn reaching_the_goal_finishes_and_freezes_the_world() {
        let mut world = arena('.');
        assert_eq!(run(&mut world, 600, Buttons::RIGHT), Status::Finished);
        let (tick, player) = (world.tick(), *world.player());
        assert_eq!(world.step(Buttons::LEFT), Status::Finished);
        assert_eq!((world.tick(), *world.player()), (tick, player));
    }

    #[test]
    fn walkers_turn_at_walls_and_fall_into_pits() {
        let rows = [
            "....................",
            "....................",
            "M.P..E.........E...G",
            "XXXXXXXXXXXX...XXXXX",
            "XXXXXXXXXXXX...XXXXX",
        ];
        let mut world = World::new(level(&rows));
        assert_eq!(world.enemies().len(), 2);
        let mut turned = false;
        let mut second_fell_first = false;
        for _ in 0..600 {
            world.step(Buttons::NONE);
            let live = world.enemies();
            turned |= live.iter().any(|e| e.spawn == 0 && e.vx == ENEMY_SPEED);
            second_fell_first |= live.len() == 1 && live[0].spawn == 0;
        }
        // The first walker bumps into the pipe, turns, and later walks into the
        // pit too; the second drops into the pit at once.
        assert!(turned && second_fell_first);
        assert!(world.enemies().is_empty());
        assert_eq!(world.status(), Status::Playing);
    }

    #[test]
    fn far_spawns_sleep_until_the_player_approaches() {
        let mut top = ".".repeat(60);
        top.push('G');
        let mut mid = format!("..M{}E{}G", ".".repeat(30), ".".repeat(26));
        mid.truncate(61);
        let ground = "X".repeat(61);
        let rows = [top.as_str(), mid.as_str(), ground.as_str(), ground.as_str()];
        let mut world = World::new(level(&rows));
        assert!(world.enemies().is_empty());
        assert_eq!(world.sleeping_spawns().len(), 1);
        run(&mut world, 200, Buttons::RIGHT | Buttons::RUN);
        assert_eq!(world.enemies().len(), 1);
        assert!(world.sleeping_spawns().is_empty());
    }
}
