//! Levels: the tile grid, the player start, the goal and the enemy spawns; loading
//! from RON (built-in or from a file) with validation.
//!
//! A level file is RON with a name and rows of characters, top row first:
//!
//! ```ron
//! (
//!     name: "tiny",
//!     rows: [
//!         "..........",
//!         ".M.....E.G",
//!         "XXXX..XXXX",
//!     ],
//! )
//! ```
//!
//! Legend: `.` empty, `X` ground, `B` brick, `#` solid block (stairs), `P` pipe,
//! `G` goal pole (not solid; the level ends at the leftmost `G` column), `M` player
//! start (exactly one), `E` walker enemy, `S` spiky enemy. Pits are columns with no
//! ground; falling below the bottom row kills.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::enemies::EnemyKind;
use crate::tiles::Tile;
use crate::units::{TILE, TILE_PX};

/// The largest level file [`Level::load`] reads: a 5,000-column level is
/// about 100 kB.
pub const MAX_LEVEL_BYTES: u64 = 16 << 20;
/// Fewest rows a level may have.
pub const MIN_HEIGHT: usize = 4;
/// Most rows a level may have.
pub const MAX_HEIGHT: usize = 64;
/// Fewest columns a level may have.
pub const MIN_WIDTH: usize = 8;
/// Most columns a level may have (keeps every coordinate far inside `i32`).
pub const MAX_WIDTH: usize = 16_384;

/// The legend printed in errors and written into exported files.
const LEGEND: &str = "'.' empty, 'X' ground, 'B' brick, '#' block, 'P' pipe, 'G' goal, \
                      'M' player start, 'E' walker, 'S' spiky";

/// The hand-made levels compiled into the binary, as (name, RON text).
const BUILTIN: [(&str, &str); 3] = [
    ("1-1", include_str!("../levels/1-1.ron")),
    ("1-2", include_str!("../levels/1-2.ron")),
    ("1-3", include_str!("../levels/1-3.ron")),
];

/// Where an enemy appears. Spawns become live enemies when the player comes near
/// (see [`crate::world`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spawn {
    /// Kind of enemy.
    pub kind: EnemyKind,
    /// Tile column.
    pub col: i32,
    /// Tile row (0 = top).
    pub row: i32,
}

/// A validated level. Immutable once built; worlds share it through an `Arc`.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    name: String,
    width: i32,
    height: i32,
    tiles: Vec<Tile>,
    start: (i32, i32),
    goal_col: i32,
    spawns: Vec<Spawn>,
    /// 1.0 for solid tiles, 0.0 otherwise, row-major: the sensors copy rows of it.
    solidity: Vec<f64>,
}

/// What is wrong with a level's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelProblem {
    /// The name is empty.
    #[error("the level name is empty")]
    EmptyName,
    /// Too few or too many rows.
    #[error("the level has {rows} rows; it needs {MIN_HEIGHT} to {MAX_HEIGHT}")]
    Height {
        /// Rows found.
        rows: usize,
    },
    /// Too narrow or too wide.
    #[error("the level is {width} columns wide; it needs {MIN_WIDTH} to {MAX_WIDTH}")]
    Width {
        /// Columns found.
        width: usize,
    },
    /// The tile vector does not match width × height.
    #[error("{found} tiles given for a grid of {expected}")]
    TileCount {
        /// Tiles given.
        found: usize,
        /// Width × height.
        expected: usize,
    },
    /// A row differs in length from the first row.
    #[error("row {row} has {len} characters but row 0 has {width}; all rows must be equally long")]
    RaggedRow {
        /// 0-based row index.
        row: usize,
        /// Its length in characters.
        len: usize,
        /// Length of row 0.
        width: usize,
    },
    /// A character outside the legend.
    #[error("unknown character {ch:?} at row {row}, column {col} (legend: {LEGEND})")]
    UnknownChar {
        /// The character.
        ch: char,
        /// 0-based row.
        row: usize,
        /// 0-based column.
        col: usize,
    },
    /// No `M`.
    #[error("no player start 'M'")]
    NoStart,
    /// More than one `M`.
    #[error(
        "{count} player starts 'M'; exactly one is allowed (second at row {row}, column {col})"
    )]
    ManyStarts {
        /// How many were found.
        count: usize,
        /// Row of the second one.
        row: usize,
        /// Column of the second one.
        col: usize,
    },
    /// The start or a spawn lies outside the grid or inside a solid tile.
    #[error("{what} at row {row}, column {col} is outside the grid or inside a solid tile")]
    Blocked {
        /// "the player start" or "an enemy".
        what: &'static str,
        /// Row.
        row: i32,
        /// Column.
        col: i32,
    },
    /// Nothing solid below the start: the player would fall out at once.
    #[error("nothing solid below the player start at row {row}, column {col}: it is over a pit")]
    StartOverPit {
        /// Row.
        row: i32,
        /// Column.
        col: i32,
    },
    /// No `G`.
    #[error("no goal 'G'")]
    NoGoal,
    /// The goal is not right of the start.
    #[error("the goal (column {goal}) must lie right of the player start (column {start})")]
    GoalBehindStart {
        /// Goal column.
        goal: i32,
        /// Start column.
        start: i32,
    },
}

/// Why a level could not be loaded. Every variant names its source.
#[derive(Debug, thiserror::Error)]
pub enum LevelError {
    /// The file could not be read.
    #[error("level {source_name}: cannot read it: {error}")]
    Io {
        /// The path.
        source_name: String,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
    /// The text is not valid RON for a level file.
    #[error("level {source_name}: RON error at line {line}, column {column}: {message}")]
    Parse {
        /// The file or built-in name.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The RON parsed but the level is invalid.
    #[error("level {source_name}: {problem}")]
    Invalid {
        /// The file or built-in name.
        source_name: String,
        /// What is wrong.
        problem: LevelProblem,
    },
    /// No built-in level has this name.
    #[error("no built-in level named {name:?} (built-in levels: {known})")]
    UnknownName {
        /// The requested name.
        name: String,
        /// The available names, comma-separated.
        known: String,
    },
}

/// The on-disk shape of a level.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelFile {
    name: String,
    rows: Vec<String>,
}

impl Level {
    /// Builds a level from its parts, checking every rule. `tiles` is row-major,
    /// top row first; `start` and spawn cells are (column, row).
    pub fn from_parts(
        name: impl Into<String>,
        width: usize,
        height: usize,
        tiles: Vec<Tile>,
        start: (i32, i32),
        mut spawns: Vec<Spawn>,
    ) -> Result<Self, LevelProblem> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(LevelProblem::EmptyName);
        }
        if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&height) {
            return Err(LevelProblem::Height { rows: height });
        }
        if !(MIN_WIDTH..=MAX_WIDTH).contains(&width) {
            return Err(LevelProblem::Width { width });
        }
        if tiles.len() != width * height {
            return Err(LevelProblem::TileCount {
                found: tiles.len(),
                expected: width * height,
            });
        }
        // Both bounds were checked above, so these fit in i32.
        let (w, h) = (width as i32, height as i32);
        let solidity = tiles
            .iter()
            .map(|t| f64::from(u8::from(t.is_solid())))
            .collect();
        let mut level = Level {
            name,
            width: w,
            height: h,
            tiles,
            start,
            goal_col: 0,
            spawns: Vec::new(),
            solidity,
        };
        let free = |l: &Level, col: i32, row: i32| {
            (0..w).contains(&col) && (0..h).contains(&row) && !l.tile(col, row).is_solid()
        };
        let (sc, sr) = start;
        if !free(&level, sc, sr) {
            return Err(LevelProblem::Blocked {
                what: "the player start",
                row: sr,
                col: sc,
            });
        }
        if !(sr + 1..h).any(|r| level.tile(sc, r).is_solid()) {
            return Err(LevelProblem::StartOverPit { row: sr, col: sc });
        }
        for s in &spawns {
            if !free(&level, s.col, s.row) {
                return Err(LevelProblem::Blocked {
                    what: "an enemy",
                    row: s.row,
                    col: s.col,
                });
            }
        }
        let goal_col = (0..w)
            .find(|&c| (0..h).any(|r| level.tile(c, r) == Tile::Goal))
            .ok_or(LevelProblem::NoGoal)?;
        if goal_col <= sc {
            return Err(LevelProblem::GoalBehindStart {
                goal: goal_col,
                start: sc,
            });
        }
        spawns.sort_by_key(|s| (s.col, s.row));
        level.goal_col = goal_col;
        level.spawns = spawns;
        Ok(level)
    }

    /// Builds a level from rows of legend characters (see the module docs).
    pub fn from_rows(name: impl Into<String>, rows: &[String]) -> Result<Self, LevelProblem> {
        if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&rows.len()) {
            return Err(LevelProblem::Height { rows: rows.len() });
        }
        let width = rows[0].chars().count();
        if !(MIN_WIDTH..=MAX_WIDTH).contains(&width) {
            return Err(LevelProblem::Width { width });
        }
        let mut tiles = Vec::with_capacity(width * rows.len());
        let mut starts = Vec::new();
        let mut spawns = Vec::new();
        for (row, text) in rows.iter().enumerate() {
            let len = text.chars().count();
            if len != width {
                return Err(LevelProblem::RaggedRow { row, len, width });
            }
            for (col, ch) in text.chars().enumerate() {
                // Both indices are below the checked maxima, so they fit in i32.
                let cell = (col as i32, row as i32);
                let tile = match ch {
                    '.' => Tile::Empty,
                    'X' => Tile::Ground,
                    'B' => Tile::Brick,
                    '#' => Tile::Block,
                    'P' => Tile::Pipe,
                    'G' => Tile::Goal,
                    'M' => {
                        starts.push(cell);
                        Tile::Empty
                    }
                    'E' | 'S' => {
                        let kind = if ch == 'E' {
                            EnemyKind::Walker
                        } else {
                            EnemyKind::Spiky
                        };
                        spawns.push(Spawn {
                            kind,
                            col: cell.0,
                            row: cell.1,
                        });
                        Tile::Empty
                    }
                    _ => return Err(LevelProblem::UnknownChar { ch, row, col }),
                };
                tiles.push(tile);
            }
        }
        let start = match starts.as_slice() {
            [] => return Err(LevelProblem::NoStart),
            [one] => *one,
            [_, second, ..] => {
                return Err(LevelProblem::ManyStarts {
                    count: starts.len(),
                    row: second.1 as usize,
                    col: second.0 as usize,
                });
            }
        };
        Level::from_parts(name, width, rows.len(), tiles, start, spawns)
    }

    /// Parses and validates level RON. `source_name` (a path or a built-in name)
    /// appears in every error.
    pub fn from_ron(text: &str, source_name: &str) -> Result<Self, LevelError> {
        let file: LevelFile =
            ron::Options::default()
                .from_str(text)
                .map_err(|e| LevelError::Parse {
                    source_name: source_name.to_string(),
                    line: e.span.start.line,
                    column: e.span.start.col,
                    message: e.code.to_string(),
                })?;
        Level::from_rows(file.name, &file.rows).map_err(|problem| LevelError::Invalid {
            source_name: source_name.to_string(),
            problem,
        })
    }

    /// Loads and validates a level file. Files larger than [`MAX_LEVEL_BYTES`]
    /// are refused unread (a path such as `/dev/zero` must not hang a run).
    pub fn load(path: &Path) -> Result<Self, LevelError> {
        use std::io::Read;
        let source_name = path.display().to_string();
        let io = |error| LevelError::Io {
            source_name: source_name.clone(),
            error,
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|file| file.take(MAX_LEVEL_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_LEVEL_BYTES {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("larger than {MAX_LEVEL_BYTES} bytes: not a level file"),
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "not text (invalid UTF-8 at byte {})",
                    e.utf8_error().valid_up_to()
                ),
            ))
        })?;
        Level::from_ron(&text, &source_name)
    }

    /// Loads a built-in level by name (see [`Level::builtin_names`]).
    pub fn builtin(name: &str) -> Result<Self, LevelError> {
        let (_, text) =
            BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| LevelError::UnknownName {
                    name: name.to_string(),
                    known: Level::builtin_names().collect::<Vec<_>>().join(", "),
                })?;
        Level::from_ron(text, &format!("built-in \"{name}\""))
    }

    /// Names of the built-in levels, easiest first.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// Writes the level as RON in the file format (with the legend as a comment).
    pub fn to_ron(&self) -> String {
        let mut out = format!(
            "// Legend: {LEGEND}\n(\n    name: {:?},\n    rows: [\n",
            self.name
        );
        let mut chars: Vec<char> = self.tiles.iter().map(|t| t.to_char()).collect();
        let idx = |col: i32, row: i32| (row * self.width + col) as usize;
        chars[idx(self.start.0, self.start.1)] = 'M';
        for s in &self.spawns {
            chars[idx(s.col, s.row)] = s.kind.to_char();
        }
        for row in chars.chunks(self.width as usize) {
            let line: String = row.iter().collect();
            // Writing to a String cannot fail.
            let _ = writeln!(out, "        \"{line}\",");
        }
        out.push_str("    ],\n)\n");
        out
    }

    /// The level's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Width in tiles.
    pub fn width(&self) -> i32 {
        self.width
    }

    /// Height in tiles.
    pub fn height(&self) -> i32 {
        self.height
    }

    /// All tiles, row-major, top row first (`width × height`).
    pub fn tiles(&self) -> &[Tile] {
        &self.tiles
    }

    /// The tile at (column, row). Outside the grid: columns left of 0 or right of
    /// the last are walls (`Block`), rows above and below are `Empty`.
    #[inline]
    pub fn tile(&self, col: i32, row: i32) -> Tile {
        if col < 0 || col >= self.width {
            Tile::Block
        } else if row < 0 || row >= self.height {
            Tile::Empty
        } else {
            self.tiles[(row * self.width + col) as usize]
        }
    }

    /// The tiles of one row, or `None` outside the grid.
    pub fn row(&self, row: i32) -> Option<&[Tile]> {
        self.row_range(row).map(|r| &self.tiles[r])
    }

    /// Solidity (1.0 solid, 0.0 not) of one row, or `None` outside the grid.
    #[inline]
    pub(crate) fn solidity_row(&self, row: i32) -> Option<&[f64]> {
        self.row_range(row).map(|r| &self.solidity[r])
    }

    #[inline]
    fn row_range(&self, row: i32) -> Option<std::ops::Range<usize>> {
        (0..self.height).contains(&row).then(|| {
            let start = (row * self.width) as usize;
            start..start + self.width as usize
        })
    }

    /// Whether (column, row) is solid, with the out-of-grid rules of [`Level::tile`].
    #[inline]
    pub fn is_solid(&self, col: i32, row: i32) -> bool {
        self.tile(col, row).is_solid()
    }

    /// Player start cell (column, row).
    pub fn start_cell(&self) -> (i32, i32) {
        self.start
    }

    /// Leftmost goal column.
    pub fn goal_col(&self) -> i32 {
        self.goal_col
    }

    /// Left edge of the goal column in sub-pixels.
    pub fn goal_x(&self) -> i32 {
        self.goal_col * TILE
    }

    /// Enemy spawns, sorted by column then row.
    pub fn spawns(&self) -> &[Spawn] {
        &self.spawns
    }

    /// Bottom edge of the grid in sub-pixels; a body whose top passes it is gone.
    pub fn bottom(&self) -> i32 {
        self.height * TILE
    }

    /// Width in pixels.
    pub fn width_px(&self) -> i32 {
        self.width * TILE_PX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    const GOOD: [&str; 4] = ["..........", ".M.....E.G", "XXXX..XXXX", "XXXX..XXXX"];

    #[test]
    fn builtin_levels_load_and_validate() {
        for name in Level::builtin_names() {
            let level = Level::builtin(name).unwrap();
            assert_eq!(level.name(), name);
            assert!(level.goal_col() > level.start_cell().0);
        }
    }

    #[test]
    fn parsed_level_has_start_goal_and_spawns() {
        let level = Level::from_rows("t", &rows(&GOOD)).unwrap();
        assert_eq!((level.width(), level.height()), (10, 4));
        assert_eq!(level.start_cell(), (1, 1));
        assert_eq!(level.goal_col(), 9);
        assert_eq!(
            level.spawns(),
            [Spawn {
                kind: EnemyKind::Walker,
                col: 7,
                row: 1
            }]
        );
        assert_eq!(level.tile(4, 2), Tile::Empty);
        assert_eq!(level.tile(3, 2), Tile::Ground);
        assert!(level.is_solid(-1, 0) && level.is_solid(10, 0));
        assert!(!level.is_solid(0, -1) && !level.is_solid(0, 4));
    }

    #[test]
    fn export_round_trips() {
        let level = Level::from_rows("t", &rows(&GOOD)).unwrap();
        let again = Level::from_ron(&level.to_ron(), "export").unwrap();
        assert_eq!(level, again);
    }

    fn problem(lines: &[&str]) -> LevelProblem {
        Level::from_rows("t", &rows(lines)).unwrap_err()
    }

    #[test]
    fn ragged_rows_are_rejected_with_their_index() {
        let mut bad = GOOD;
        bad[2] = "XXXX..XXX";
        assert_eq!(
            problem(&bad),
            LevelProblem::RaggedRow {
                row: 2,
                len: 9,
                width: 10
            }
        );
    }

    #[test]
    fn unknown_characters_name_their_cell() {
        let mut bad = GOOD;
        bad[0] = "....?.....";
        assert_eq!(
            problem(&bad),
            LevelProblem::UnknownChar {
                ch: '?',
                row: 0,
                col: 4
            }
        );
    }

    #[test]
    fn start_goal_and_size_rules_are_enforced() {
        assert_eq!(problem(&GOOD[..3]), LevelProblem::Height { rows: 3 });
        assert_eq!(
            problem(&["....", ".M.G", "XXXX", "XXXX"]),
            LevelProblem::Width { width: 4 }
        );
        let mut no_start = GOOD;
        no_start[1] = ".......E.G";
        assert_eq!(problem(&no_start), LevelProblem::NoStart);
        let mut two = GOOD;
        two[0] = "...M......";
        assert!(matches!(
            problem(&two),
            LevelProblem::ManyStarts { count: 2, .. }
        ));
        let mut no_goal = GOOD;
        no_goal[1] = ".M.....E..";
        assert_eq!(problem(&no_goal), LevelProblem::NoGoal);
        let mut behind = GOOD;
        behind[1] = "G......E.M";
        assert_eq!(
            problem(&behind),
            LevelProblem::GoalBehindStart { goal: 0, start: 9 }
        );
        let mut pit = GOOD;
        pit[1] = ".....M.E.G";
        assert_eq!(problem(&pit), LevelProblem::StartOverPit { row: 1, col: 5 });
    }

    #[test]
    fn parts_must_match_the_grid() {
        let err = Level::from_parts("t", 8, 4, vec![Tile::Empty; 31], (1, 1), vec![]);
        assert_eq!(
            err.unwrap_err(),
            LevelProblem::TileCount {
                found: 31,
                expected: 32
            }
        );
    }

    #[test]
    fn parse_errors_name_the_source_and_line() {
        let text = "(\n    name: \"x\",\n    rows: [\"..\" \"..\"],\n)";
        let err = Level::from_ron(text, "levels/bad.ron").unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, LevelError::Parse { line: 3, .. }), "{msg}");
        assert!(
            msg.starts_with("level levels/bad.ron: RON error at line 3"),
            "{msg}"
        );
    }

    #[test]
    fn invalid_content_names_the_source() {
        let text = "(name: \"x\", rows: [\"..\"])";
        let msg = Level::from_ron(text, "levels/small.ron")
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "level levels/small.ron: the level has 1 rows; it needs 4 to 64"
        );
    }

    #[test]
    fn unknown_fields_and_names_are_rejected() {
        let text = "(name: \"x\", rows: [], speed: 3)";
        assert!(matches!(
            Level::from_ron(text, "f").unwrap_err(),
            LevelError::Parse { .. }
        ));
        let msg = Level::builtin("9-9").unwrap_err().to_string();
        assert!(msg.contains("\"9-9\"") && msg.contains("1-1"), "{msg}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let msg = Level::load(Path::new("/nonexistent/level.ron"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("level /nonexistent/level.ron: cannot read it"),
            "{msg}"
        );
    }
}
