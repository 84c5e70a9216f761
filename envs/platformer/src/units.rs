//! Fixed-point units of the simulation.
//!
//! Every position and velocity is an `i32` in sub-pixels: [`PX`] = 256 sub-pixels
//! make one pixel and [`TILE`] = 16 px make one tile. Velocities are sub-pixels per
//! tick, accelerations sub-pixels per tick². The simulation runs at [`TICKS_PER_SECOND`]
//! ticks per simulated second. Integer arithmetic keeps every replay bit-exact.

/// Sub-pixels per pixel.
pub const PX: i32 = 256;
/// Tile edge in pixels.
pub const TILE_PX: i32 = 16;
/// Tile edge in sub-pixels.
pub const TILE: i32 = TILE_PX * PX;
/// `TILE == 1 << TILE_SHIFT`: tile index of a sub-pixel coordinate is `v >> TILE_SHIFT`
/// (an arithmetic shift, so negative coordinates round down).
pub const TILE_SHIFT: u32 = 12;
/// Simulation ticks per simulated second.
pub const TICKS_PER_SECOND: u32 = 60;

/// Tile index (column or row) containing the sub-pixel coordinate `v`.
#[inline]
pub const fn tile_of(v: i32) -> i32 {
    v >> TILE_SHIFT
}

/// Converts sub-pixels to pixels as a float (for reports and renderers).
#[inline]
pub fn to_px(v: i32) -> f64 {
    f64::from(v) / f64::from(PX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_shift_matches_tile_size() {
        assert_eq!(1 << TILE_SHIFT, TILE);
        assert_eq!(tile_of(TILE - 1), 0);
        assert_eq!(tile_of(TILE), 1);
        assert_eq!(tile_of(-1), -1);
    }
}
