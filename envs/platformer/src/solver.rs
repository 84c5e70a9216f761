//! A beam search over the real simulation, used to prove levels completable.
//!
//! From each kept state it tries every button combination of [`ACTIONS`] held for
//! `hold_ticks` ticks, on a clone of the world. Children that died are dropped;
//! the rest are deduplicated by a quantised player state (whole pixels, coarse
//! velocities, jump state, enemy count) and the `beam_width` rightmost survive, at
//! most `per_cell` per tile cell so that slower states (waiting for an enemy,
//! backing up, rising along a wall) stay in the beam. Dedup and cell counts are
//! membership tests only, so hash order never reaches the result. The search is deterministic. It may miss a
//! solution (it is not exhaustive), never claims one that is not real: a found
//! solution is the per-tick button sequence that finished, and replaying it
//! finishes the level.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::buttons::Buttons;
use crate::level::Level;
use crate::units::{PX, tile_of};
use crate::world::{Status, World};

const L: u8 = Buttons::LEFT.0;
const R: u8 = Buttons::RIGHT.0;
const J: u8 = Buttons::JUMP.0;
const RUN: u8 = Buttons::RUN.0;

/// The button combinations the solver tries.
pub const ACTIONS: [Buttons; 9] = [
    Buttons(R | RUN),
    Buttons(R | RUN | J),
    Buttons(R),
    Buttons(R | J),
    Buttons(0),
    Buttons(J),
    Buttons(L),
    Buttons(L | J),
    Buttons(L | RUN | J),
];

/// Search settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolverConfig {
    /// States kept per layer.
    pub beam_width: usize,
    /// Most states kept per tile cell (of the player's top-left corner) in one
    /// layer.
    pub per_cell: usize,
    /// Ticks each action is held.
    pub hold_ticks: u32,
    /// Give up after this many ticks of game time.
    pub max_ticks: u32,
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            beam_width: 48,
            per_cell: 3,
            hold_ticks: 4,
            max_ticks: 20_000,
        }
    }
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Whether the goal was reached.
    pub finished: bool,
    /// Per-tick buttons that reach the goal (when finished), or that lead to the
    /// rightmost surviving state found (when not).
    pub buttons: Vec<Buttons>,
    /// Rightmost player x (left edge) of any living state, whole px (a state
    /// still in the air over a pit counts).
    pub furthest_px: i32,
}

/// One search node: how it was reached.
#[derive(Clone, Copy)]
struct Node {
    parent: u32,
    action: u8,
}

/// Searches for a way through `level`.
pub fn solve(level: &Arc<Level>, config: &SolverConfig) -> Solution {
    let hold = config.hold_ticks.max(1);
    let mut nodes = vec![Node {
        parent: u32::MAX,
        action: 0,
    }];
    let mut beam = vec![(World::new(level.clone()), 0u32)];
    let mut best = (beam[0].0.player().x, 0u32);
    let mut seen = HashSet::new();
    let mut per_cell = HashMap::new();
    let mut children: Vec<(World, u32)> = Vec::new();
    while !beam.is_empty() && beam[0].0.tick() < config.max_ticks {
        children.clear();
        for (world, node) in &beam {
            for (a, &buttons) in ACTIONS.iter().enumerate() {
                let mut child = world.clone();
                for _ in 0..hold {
                    if child.step(buttons) != Status::Playing {
                        break;
                    }
                }
                let index = nodes.len() as u32;
                nodes.push(Node {
                    parent: *node,
                    action: a as u8,
                });
                match child.status() {
                    Status::Finished => {
                        let mut buttons = path(&nodes, index, hold);
                        buttons.truncate(child.tick() as usize);
                        return Solution {
                            finished: true,
                            buttons,
                            furthest_px: child.player().x.div_euclid(PX),
                        };
                    }
                    Status::Dead(_) => {}
                    Status::Playing => {
                        if child.player().x > best.0 {
                            best = (child.player().x, index);
                        }
                        children.push((child, index));
                    }
                }
            }
        }
        // Rightmost first, then highest; the sort is stable, so full ties keep
        // their generation order.
        children.sort_by_key(|(w, _)| (std::cmp::Reverse(w.player().x), w.player().y));
        seen.clear();
        per_cell.clear();
        beam.clear();
        for (world, node) in children.drain(..) {
            if beam.len() == config.beam_width {
                break;
            }
            let p = world.player();
            let count = per_cell.entry((tile_of(p.x), tile_of(p.y))).or_insert(0);
            if *count >= config.per_cell || !seen.insert(state_key(&world)) {
                continue;
            }
            *count += 1;
            beam.push((world, node));
        }
    }
    Solution {
        finished: false,
        buttons: path(&nodes, best.1, hold),
        furthest_px: best.0.div_euclid(PX),
    }
}

/// The quantised state used to merge near-duplicates.
fn state_key(world: &World) -> (i32, i32, i32, i32, u8, bool, bool, usize) {
    let p = world.player();
    (
        p.x >> 8,
        p.y >> 8,
        p.vx >> 5,
        p.vy >> 6,
        p.jump_ticks,
        p.jump_held,
        p.on_ground,
        world.enemies().len(),
    )
}

/// Per-tick buttons from the root to `index`.
fn path(nodes: &[Node], mut index: u32, hold: u32) -> Vec<Buttons> {
    let mut actions = Vec::new();
    while index != 0 {
        let node = nodes[index as usize];
        actions.push(ACTIONS[node.action as usize]);
        index = node.parent;
    }
    actions
        .iter()
        .rev()
        .flat_map(|&b| std::iter::repeat_n(b, hold as usize))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::episode::{EndCause, PlaySettings};
    use crate::testutil::level;

    fn replays_to_the_goal(level: &Arc<Level>, solution: &Solution) -> bool {
        let mut settings = PlaySettings::default();
        settings.rules.max_ticks = 100_000;
        // A solver path may pause longer than the stall rule allows.
        settings.rules.stall_frames = 100_000;
        settings.replay(level, &solution.buttons).cause == EndCause::Finished
    }

    #[test]
    fn solves_every_builtin_level() {
        for name in Level::builtin_names() {
            let level = Arc::new(Level::builtin(name).unwrap());
            let solution = solve(&level, &SolverConfig::default());
            assert!(
                solution.finished,
                "{name}: stuck at {} px",
                solution.furthest_px
            );
            assert!(replays_to_the_goal(&level, &solution), "{name}");
        }
    }

    #[test]
    fn reports_an_impossible_level_and_how_far_it_got() {
        let rows = [
            "................................",
            "..M............................G",
            "XXXXXXXXXX............XXXXXXXXXX",
            "XXXXXXXXXX............XXXXXXXXXX",
        ];
        let solution = solve(&level(&rows), &SolverConfig::default());
        assert!(!solution.finished);
        // It gets over the 12-tile pit (160..352 px) only as far as a doomed
        // jump carries it.
        assert!(
            (160..300).contains(&solution.furthest_px),
            "{}",
            solution.furthest_px
        );
    }

    #[test]
    fn waits_for_a_spiky_in_a_corridor_when_it_must() {
        // A spiky walks toward the player under a low ceiling: the only way on is to
        // retreat into the alcove-free start and jump it when the ceiling ends.
        let rows = [
            "..............................",
            "..............................",
            "......BBBBBBBBBBB.............",
            "..M.............S............G",
            "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ];
        let level = level(&rows);
        let solution = solve(&level, &SolverConfig::default());
        assert!(solution.finished);
        assert!(replays_to_the_goal(&level, &solution));
    }
}
