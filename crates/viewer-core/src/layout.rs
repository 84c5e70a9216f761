//! Where things go on screen. Pure arithmetic in screen pixels (origin top-left,
//! y down), shared by the renderer and by tests that look for the player in a
//! screenshot.

use sprout_platformer::units::{PX, TILE_PX};

/// Window width in logical pixels.
pub const WINDOW_W: f32 = 1280.0;
/// Window height in logical pixels.
pub const WINDOW_H: f32 = 720.0;
/// Height of the top band that holds the overlay and the HUD; the level is drawn
/// below it.
pub const BAND_H: f32 = 240.0;
/// Largest on-screen size of one level pixel.
pub const MAX_SCALE: f32 = 2.0;

/// How the level maps onto the screen this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelFrame {
    /// Screen pixels per level pixel.
    pub scale: f32,
    /// Level x (in level pixels) at the left edge of the window.
    pub scroll: f32,
    /// Level height in level pixels.
    pub level_h: f32,
}

impl LevelFrame {
    /// The frame for a level of `width` × `height` tiles with the player's centre
    /// at `player_x` (sub-pixels): the level fills the space below the band
    /// (bottom-aligned), and the view scrolls to keep the player a third of the way
    /// in, without showing anything left of the start or right of the end.
    pub fn new(width: i32, height: i32, player_x: i32) -> Self {
        let level_h = (height * TILE_PX) as f32;
        let level_w = (width * TILE_PX) as f32;
        let scale = ((WINDOW_H - BAND_H) / level_h).min(MAX_SCALE);
        let view_w = WINDOW_W / scale;
        let wanted = player_x as f32 / PX as f32 - view_w / 3.0;
        let scroll = wanted.min(level_w - view_w).max(0.0).round();
        LevelFrame {
            scale,
            scroll,
            level_h,
        }
    }

    /// Screen position of the level point (`x`, `y`) given in sub-pixels.
    pub fn to_screen(&self, x: i32, y: i32) -> [f32; 2] {
        let (x, y) = (x as f32 / PX as f32, y as f32 / PX as f32);
        [
            (x - self.scroll) * self.scale,
            WINDOW_H - (self.level_h - y) * self.scale,
        ]
    }
}

/// Top-left corner of the overlay's input grid, in screen pixels.
pub const GRID_ORIGIN: [f32; 2] = [12.0, 12.0];
/// Largest side of the input grid on screen.
const GRID_SPAN: f32 = 168.0;

/// Size of one input-grid cell for a grid `side` cells wide.
pub fn grid_cell(side: usize) -> f32 {
    (GRID_SPAN / side.max(1) as f32).floor().clamp(3.0, 12.0)
}

/// Centre of input-grid cell (`col`, `row`).
pub fn grid_cell_center(side: usize, col: usize, row: usize) -> [f32; 2] {
    let cell = grid_cell(side);
    [
        GRID_ORIGIN[0] + (col as f32 + 0.5) * cell,
        GRID_ORIGIN[1] + (row as f32 + 0.5) * cell,
    ]
}

/// The region hidden nodes are placed in: (left, top, right, bottom).
pub const HIDDEN_REGION: [f32; 4] = [200.0, 16.0, 470.0, 200.0];
/// Left edge of the output column (boxes with the button names).
pub const OUTPUT_X: f32 = 500.0;
/// Top of the first output box.
pub const OUTPUT_TOP: f32 = 24.0;
/// Vertical distance between output boxes.
pub const OUTPUT_STEP: f32 = 28.0;

/// Centre of the dot of output `k`.
pub fn output_center(k: usize) -> [f32; 2] {
    [OUTPUT_X, OUTPUT_TOP + k as f32 * OUTPUT_STEP]
}

/// The fitness chart's box: (left, top, right, bottom).
pub const CHART: [f32; 4] = [640.0, 124.0, 940.0, 230.0];

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_platformer::units::TILE;

    #[test]
    fn level_fills_the_space_below_the_band() {
        let frame = LevelFrame::new(150, 15, 0);
        assert_eq!(frame.scale, 2.0);
        // The bottom of the level is the bottom of the window, its top the band.
        assert_eq!(frame.to_screen(0, 15 * TILE)[1], WINDOW_H);
        assert_eq!(frame.to_screen(0, 0)[1], BAND_H);
        // A tall level shrinks to fit.
        let tall = LevelFrame::new(150, 30, 0);
        assert_eq!(tall.scale, 1.0);
        assert_eq!(tall.to_screen(0, 0)[1], BAND_H);
    }

    #[test]
    fn view_follows_the_player_within_the_level() {
        // At the start nothing scrolls.
        assert_eq!(LevelFrame::new(150, 15, 5 * TILE).scroll, 0.0);
        // Mid-level the player sits a third of the way in.
        let x = 70 * TILE;
        let frame = LevelFrame::new(150, 15, x);
        let sx = frame.to_screen(x, 0)[0];
        assert!((sx - WINDOW_W / 3.0).abs() <= 1.0, "player at {sx}");
        // At the end the right edge of the level is the right edge of the window.
        let end = LevelFrame::new(150, 15, 149 * TILE);
        assert_eq!(end.to_screen(150 * TILE, 0)[0], WINDOW_W);
    }

    #[test]
    fn grid_cells_tile_without_overlap() {
        for side in [3, 9, 13, 33] {
            let cell = grid_cell(side);
            let a = grid_cell_center(side, 0, 0);
            let b = grid_cell_center(side, 1, 1);
            assert_eq!(b[0] - a[0], cell);
            assert_eq!(b[1] - a[1], cell);
            let last = grid_cell_center(side, side - 1, side - 1);
            assert!(
                last[1] + cell / 2.0 <= BAND_H,
                "grid of {side} fits the band"
            );
        }
    }
}
