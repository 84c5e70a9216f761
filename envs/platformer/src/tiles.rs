//! Tile kinds of the level grid.

use serde::{Deserialize, Serialize};

/// One 16×16 px cell of a level. Pits are columns without ground; there is no pit
/// tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[repr(u8)]
pub enum Tile {
    /// Air.
    #[default]
    Empty,
    /// Ground (solid).
    Ground,
    /// Brick (solid; bricks do not break).
    Brick,
    /// Solid block, used for stairs (solid).
    Block,
    /// Pipe body or top (solid); a renderer draws the top where the tile above is
    /// not a pipe.
    Pipe,
    /// Part of the goal flag pole (not solid). The level ends at the leftmost goal
    /// column.
    Goal,
}

impl Tile {
    /// Whether bodies collide with this tile.
    #[inline]
    pub const fn is_solid(self) -> bool {
        matches!(self, Tile::Ground | Tile::Brick | Tile::Block | Tile::Pipe)
    }

    /// The tile's character in level files.
    pub const fn to_char(self) -> char {
        match self {
            Tile::Empty => '.',
            Tile::Ground => 'X',
            Tile::Brick => 'B',
            Tile::Block => '#',
            Tile::Pipe => 'P',
            Tile::Goal => 'G',
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_structural_tiles_are_solid() {
        let solid: Vec<Tile> = [
            Tile::Empty,
            Tile::Ground,
            Tile::Brick,
            Tile::Block,
            Tile::Pipe,
            Tile::Goal,
        ]
        .into_iter()
        .filter(|t| t.is_solid())
        .collect();
        assert_eq!(solid, [Tile::Ground, Tile::Brick, Tile::Block, Tile::Pipe]);
    }
}
