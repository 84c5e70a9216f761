//! What the network sees: MarI/O's tile grid around the player, plus optional
//! motion inputs.
//!
//! The grid is `(2r+1)²` cells centred on the tile holding the player's centre,
//! row-major from the top-left: +1 for a solid tile, −1 for a cell holding an
//! enemy's centre (enemies overwrite tiles), 0 otherwise. Columns outside the level
//! read as solid (walls), rows above and below as empty. With `extras`, three values
//! follow: horizontal velocity / 3 px·tick⁻¹, vertical velocity / [`MAX_FALL`]
//! (both roughly in −1..1) and on-ground (1 or 0). The bias is the agent's business.

use serde::{Deserialize, Serialize};

use crate::physics::MAX_FALL;
use crate::units::{PX, tile_of};
use crate::world::World;

/// Horizontal speed that reads as 1.0 in the extra inputs (3 px/tick, above the
/// run top speed).
const VX_SCALE: f64 = (3 * PX) as f64;
/// Number of extra inputs when enabled.
pub const EXTRA_INPUTS: usize = 3;

/// The shape of the observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensorSpec {
    /// Grid radius in tiles: the grid is (2·radius+1)² cells.
    pub radius: u32,
    /// Append velocity x, velocity y and on-ground.
    pub extras: bool,
}

impl Default for SensorSpec {
    fn default() -> Self {
        SensorSpec {
            radius: 6,
            extras: false,
        }
    }
}

impl SensorSpec {
    /// Cells along one side of the grid.
    pub fn side(&self) -> usize {
        2 * self.radius as usize + 1
    }

    /// Observation length (grid plus extras, no bias).
    pub fn len(&self) -> usize {
        self.side() * self.side() + if self.extras { EXTRA_INPUTS } else { 0 }
    }

    /// Always false: the grid has at least one cell.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Writes the observation of `world` into `out`, which must hold
    /// [`SensorSpec::len`] values. Allocation-free.
    pub fn observe(&self, world: &World, out: &mut [f64]) {
        let level = world.level();
        let player = world.player();
        let r = self.radius as i32;
        let side = self.side();
        let (cx, cy) = player.center();
        let (pc, pr) = (tile_of(cx), tile_of(cy));
        let (grid, extras) = out.split_at_mut(side * side);
        let c0 = pc - r;
        let width = level.width();
        let inside = c0 >= 0 && c0 + side as i32 <= width;
        for (cells, row) in grid.chunks_exact_mut(side).zip(pr - r..) {
            match level.solidity_row(row) {
                // The common case: the window row lies inside the level.
                Some(solidity) if inside => {
                    cells.copy_from_slice(&solidity[c0 as usize..c0 as usize + side]);
                }
                row => {
                    // Columns outside the level are walls; rows outside are empty.
                    for (cell, col) in cells.iter_mut().zip(c0..) {
                        *cell = match row {
                            _ if col < 0 || col >= width => 1.0,
                            Some(solidity) => solidity[col as usize],
                            None => 0.0,
                        };
                    }
                }
            }
        }
        for e in world.enemies() {
            let (ex, ey) = e.center();
            let (dc, dr) = (tile_of(ex) - pc + r, tile_of(ey) - pr + r);
            if (0..side as i32).contains(&dc) && (0..side as i32).contains(&dr) {
                grid[dr as usize * side + dc as usize] = -1.0;
            }
        }
        if self.extras {
            extras[0] = f64::from(player.vx) / VX_SCALE;
            extras[1] = f64::from(player.vy) / f64::from(MAX_FALL);
            extras[2] = if player.on_ground { 1.0 } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::level;

    fn cell(obs: &[f64], spec: &SensorSpec, dc: i32, dr: i32) -> f64 {
        let r = spec.radius as i32;
        obs[((dr + r) as usize) * spec.side() + (dc + r) as usize]
    }

    #[test]
    fn grid_shows_tiles_enemies_and_walls_around_the_player() {
        let rows = [
            "............",
            "............",
            "..M..E.....G",
            "XXXX.XXXX#XX",
            "XXXX.XXXXXXX",
        ];
        let spec = SensorSpec {
            radius: 3,
            extras: true,
        };
        let world = World::new(level(&rows));
        let mut obs = vec![9.0; spec.len()];
        spec.observe(&world, &mut obs);
        assert_eq!(obs.len(), 49 + 3);
        assert_eq!(cell(&obs, &spec, 0, 0), 0.0, "player cell is empty");
        assert_eq!(cell(&obs, &spec, 0, 1), 1.0, "ground below");
        assert_eq!(cell(&obs, &spec, 2, 1), 0.0, "pit column");
        assert_eq!(cell(&obs, &spec, 3, 0), -1.0, "walker three tiles right");
        assert_eq!(cell(&obs, &spec, -3, 0), 1.0, "left of column 0 is a wall");
        assert_eq!(cell(&obs, &spec, 0, -3), 0.0, "above the level is empty");
        assert_eq!(cell(&obs, &spec, 0, 3), 0.0, "below the level is empty");
        assert_eq!(
            &obs[49..],
            &[0.0, 0.0, 0.0],
            "standing still, not yet landed"
        );
        let solid = obs[..49].iter().filter(|&&v| v == 1.0).count();
        // Columns −1 (wall, 7 cells) plus ground rows 3 and 4 for columns 0..=5
        // except the pit column 4: 2 × 5 = 10 cells.
        assert_eq!(solid, 7 + 10);
    }

    #[test]
    fn default_grid_is_thirteen_by_thirteen() {
        assert_eq!(SensorSpec::default().len(), 169);
    }
}
