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

/// How the 1280×720 picture fits a window of any size: scaled uniformly to
/// the largest size that fits, centred (the rest is letterbox). Everything is
/// laid out in the picture's units; only this maps them to window pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Window pixels per picture unit.
    pub scale: f32,
    /// Where the picture's top-left corner is in the window, in window pixels.
    pub offset: [f32; 2],
}

impl Fit {
    /// The fit for a window `width` × `height` pixels.
    pub fn new(width: f32, height: f32) -> Fit {
        let scale = (width / WINDOW_W).min(height / WINDOW_H).max(1e-3);
        Fit {
            scale,
            offset: [
                ((width - WINDOW_W * scale) / 2.0).floor(),
                ((height - WINDOW_H * scale) / 2.0).floor(),
            ],
        }
    }

    /// The picture's size in window pixels, rounded to whole pixels.
    pub fn size(&self) -> [u32; 2] {
        [
            (WINDOW_W * self.scale).round() as u32,
            (WINDOW_H * self.scale).round() as u32,
        ]
    }

    /// Window position of the picture point `p`.
    pub fn to_window(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        [
            self.offset[0] + x * self.scale,
            self.offset[1] + y * self.scale,
        ]
    }
}

/// Width of one character of the HUD's font (Bevy's built-in Fira Mono: every
/// glyph advances 0.6 em) at `font_px`.
pub fn char_width(font_px: f32) -> f32 {
    0.6 * font_px
}

/// A block of HUD text: where it starts, its font size and how wide it may
/// grow before it would run into its neighbour or off the picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Font size in pixels.
    pub font: f32,
    /// Widest it may be.
    pub width: f32,
}

impl TextBox {
    /// Characters per line that fit.
    pub fn columns(&self) -> usize {
        (self.width / char_width(self.font)).floor() as usize
    }
}

/// Left edge of the species panel (watch mode).
pub const SPECIES_LEFT: f32 = 960.0;
/// Gap kept between text blocks and the picture's edge.
const GAP: f32 = 8.0;
/// Evolution's numbers (watch mode).
pub const EVOLUTION_TEXT: TextBox = TextBox {
    left: 640.0,
    top: 8.0,
    font: 14.0,
    width: SPECIES_LEFT - GAP - 640.0,
};
/// What is playing, beside the species panel (watch mode).
pub const SHOW_TEXT_NARROW: TextBox = TextBox {
    left: 640.0,
    top: 66.0,
    font: 14.0,
    width: SPECIES_LEFT - GAP - 640.0,
};
/// What is playing, with the band's right half to itself (replay, play).
pub const SHOW_TEXT_WIDE: TextBox = TextBox {
    width: WINDOW_W - GAP - 640.0,
    ..SHOW_TEXT_NARROW
};
/// The species panel.
pub const SPECIES_TEXT: TextBox = TextBox {
    left: SPECIES_LEFT,
    top: 8.0,
    font: 12.0,
    width: WINDOW_W - GAP - SPECIES_LEFT,
};
/// The key help line, over the bottom of the level.
pub const HELP_TEXT: TextBox = TextBox {
    left: 8.0,
    top: WINDOW_H - 30.0,
    font: 14.0,
    width: WINDOW_W - 2.0 * GAP,
};

// Watch mode's blocks never meet: the numbers and the show lines end before
// the species panel, three lines of each stay above the chart, and the chart
// ends before the panel (checked when compiling).
const _: () = {
    assert!(EVOLUTION_TEXT.left + EVOLUTION_TEXT.width < SPECIES_TEXT.left);
    assert!(SHOW_TEXT_NARROW.left + SHOW_TEXT_NARROW.width < SPECIES_TEXT.left);
    assert!(SHOW_TEXT_NARROW.top + 3.0 * 1.2 * SHOW_TEXT_NARROW.font < CHART[1]);
    assert!(EVOLUTION_TEXT.top + 3.0 * 1.2 * EVOLUTION_TEXT.font < SHOW_TEXT_NARROW.top);
    assert!(CHART[2] < SPECIES_TEXT.left);
};

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
    fn the_picture_fits_any_window_centred_and_unstretched() {
        let same = Fit::new(1280.0, 720.0);
        assert_eq!((same.scale, same.offset), (1.0, [0.0, 0.0]));
        // A 4:3 window: full width, bands above and below.
        let fit = Fit::new(800.0, 600.0);
        assert_eq!(fit.scale, 800.0 / 1280.0);
        assert_eq!(fit.size(), [800, 450]);
        assert_eq!(fit.offset, [0.0, 75.0]);
        assert_eq!(fit.to_window([1280.0, 720.0]), [800.0, 525.0]);
        // A wide window: full height.
        let wide = Fit::new(2000.0, 720.0);
        assert_eq!(wide.scale, 1.0);
        assert_eq!(wide.to_window([0.0, 0.0]), [360.0, 0.0]);
    }

    #[test]
    fn text_boxes_stay_in_the_band_and_clear_of_each_other() {
        for b in [
            EVOLUTION_TEXT,
            SHOW_TEXT_NARROW,
            SHOW_TEXT_WIDE,
            SPECIES_TEXT,
            HELP_TEXT,
        ] {
            assert!(b.left + b.width <= WINDOW_W, "{b:?}");
            assert!(b.columns() >= 30, "{b:?}");
        }
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
