//! The game's pixel art. Sprites are palette-indexed text in `art/sprites.txt`
//! (one character per pixel, so they can be read and edited in a diff); this
//! module turns them into RGBA pixels for the window's textures, and decides from
//! the simulation's state alone which frame a player, an enemy or a tile shows
//! and where the backdrop's hills and clouds stand. Sprites only show the state:
//! nothing here feeds back into the simulation.

use std::collections::HashMap;

use sprout_platformer::units::{PX, TILE_PX};
use sprout_platformer::{Enemy, EnemyKind, Level, Player, Pose, Tile};

/// The art, as drawn.
const SPRITES: &str = include_str!("art/sprites.txt");

/// Side of a character or tile sprite, in level pixels.
pub const CELL: u32 = 16;

/// The 16×16 frames, in atlas order (the atlas index of a frame is its
/// position here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each names its sprite
pub enum Frame {
    PlayerStand,
    PlayerRun1,
    PlayerRun2,
    PlayerRun3,
    PlayerJump,
    PlayerFall,
    PlayerCrouch,
    WalkerWalk1,
    WalkerWalk2,
    WalkerSquashed,
    SpikyWalk1,
    SpikyWalk2,
    GroundTop,
    Ground,
    Brick,
    Block,
    PipeLipLeft,
    PipeLipRight,
    PipeLeft,
    PipeRight,
    Pole,
    PoleTop,
}

impl Frame {
    /// Every frame, in atlas order.
    pub const ALL: [Frame; 22] = [
        Frame::PlayerStand,
        Frame::PlayerRun1,
        Frame::PlayerRun2,
        Frame::PlayerRun3,
        Frame::PlayerJump,
        Frame::PlayerFall,
        Frame::PlayerCrouch,
        Frame::WalkerWalk1,
        Frame::WalkerWalk2,
        Frame::WalkerSquashed,
        Frame::SpikyWalk1,
        Frame::SpikyWalk2,
        Frame::GroundTop,
        Frame::Ground,
        Frame::Brick,
        Frame::Block,
        Frame::PipeLipLeft,
        Frame::PipeLipRight,
        Frame::PipeLeft,
        Frame::PipeRight,
        Frame::Pole,
        Frame::PoleTop,
    ];

    /// Its sprite's name in `sprites.txt`.
    pub fn name(self) -> &'static str {
        match self {
            Frame::PlayerStand => "player_stand",
            Frame::PlayerRun1 => "player_run1",
            Frame::PlayerRun2 => "player_run2",
            Frame::PlayerRun3 => "player_run3",
            Frame::PlayerJump => "player_jump",
            Frame::PlayerFall => "player_fall",
            Frame::PlayerCrouch => "player_crouch",
            Frame::WalkerWalk1 => "walker_walk1",
            Frame::WalkerWalk2 => "walker_walk2",
            Frame::WalkerSquashed => "walker_squashed",
            Frame::SpikyWalk1 => "spiky_walk1",
            Frame::SpikyWalk2 => "spiky_walk2",
            Frame::GroundTop => "ground_top",
            Frame::Ground => "ground",
            Frame::Brick => "brick",
            Frame::Block => "block",
            Frame::PipeLipLeft => "pipe_lip_left",
            Frame::PipeLipRight => "pipe_lip_right",
            Frame::PipeLeft => "pipe_left",
            Frame::PipeRight => "pipe_right",
            Frame::Pole => "pole",
            Frame::PoleTop => "pole_top",
        }
    }

    /// Its index in the atlas.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The backdrop's props, drawn behind the level and scrolled slower than it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// A cloud, far away.
    Cloud,
    /// A hill.
    Hill,
    /// A bush.
    Bush,
}

impl Prop {
    /// Its sprite's name.
    pub fn name(self) -> &'static str {
        match self {
            Prop::Cloud => "cloud",
            Prop::Hill => "hill",
            Prop::Bush => "bush",
        }
    }

    /// How far it moves per level pixel scrolled (1 would be with the level).
    pub fn parallax(self) -> f32 {
        match self {
            Prop::Cloud => 0.25,
            Prop::Hill | Prop::Bush => 0.5,
        }
    }
}

/// One decoded sprite.
#[derive(Debug, Clone, PartialEq)]
pub struct Sprite {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA8 pixels, rows top first (sRGB, straight alpha).
    pub rgba: Vec<u8>,
}

/// Every sprite of `sprites.txt`, by name.
#[derive(Debug, Clone)]
pub struct Art {
    sprites: HashMap<String, Sprite>,
}

impl Art {
    /// The built-in art.
    ///
    /// # Panics
    /// If `sprites.txt` is malformed; the tests parse it, so a release cannot.
    pub fn builtin() -> Art {
        Art::parse(SPRITES).unwrap_or_else(|e| panic!("art/sprites.txt: {e}"))
    }

    /// Parses the sprite text: a `palette` section of `<char> r g b a` lines,
    /// then `sprite <name> <w> <h>` headers each followed by `h` rows of `w`
    /// palette characters. `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Art, String> {
        let mut palette: HashMap<char, [u8; 4]> = HashMap::new();
        let mut sprites = HashMap::new();
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        let mut in_palette = false;
        while let Some((n, line)) = lines.next() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["palette"] => in_palette = true,
                ["sprite", name, w, h] => {
                    in_palette = false;
                    let parse = |v: &str| {
                        v.parse::<u32>()
                            .map_err(|_| format!("line {n}: bad size `{v}`"))
                    };
                    let (width, height) = (parse(w)?, parse(h)?);
                    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
                    for _ in 0..height {
                        let (rn, row) = lines
                            .next()
                            .ok_or_else(|| format!("sprite {name}: missing rows"))?;
                        if row.chars().count() != width as usize {
                            return Err(format!(
                                "line {rn}: sprite {name} row is not {width} wide"
                            ));
                        }
                        for c in row.chars() {
                            let color = palette
                                .get(&c)
                                .ok_or_else(|| format!("line {rn}: `{c}` is not in the palette"))?;
                            rgba.extend_from_slice(color);
                        }
                    }
                    let sprite = Sprite {
                        width,
                        height,
                        rgba,
                    };
                    if sprites.insert((*name).to_string(), sprite).is_some() {
                        return Err(format!("line {n}: sprite {name} drawn twice"));
                    }
                }
                [key, r, g, b, a] if in_palette && key.chars().count() == 1 => {
                    let mut color = [0u8; 4];
                    for (slot, v) in color.iter_mut().zip([r, g, b, a]) {
                        *slot = v
                            .parse()
                            .map_err(|_| format!("line {n}: bad colour value `{v}`"))?;
                    }
                    let c = key.chars().next().expect("one character");
                    if palette.insert(c, color).is_some() {
                        return Err(format!("line {n}: `{c}` is in the palette twice"));
                    }
                }
                _ => return Err(format!("line {n}: cannot read `{line}`")),
            }
        }
        Ok(Art { sprites })
    }

    /// A sprite by name.
    pub fn sprite(&self, name: &str) -> Option<&Sprite> {
        self.sprites.get(name)
    }

    /// The atlas of every [`Frame`]: one row of 16×16 cells in
    /// [`Frame::ALL`] order, as (width, height, RGBA8).
    ///
    /// # Panics
    /// If a frame's sprite is missing or not 16×16 (the tests check both).
    pub fn atlas(&self) -> (u32, u32, Vec<u8>) {
        let n = Frame::ALL.len() as u32;
        let (width, height) = (n * CELL, CELL);
        let mut rgba = vec![0u8; (width * height * 4) as usize];
        for frame in Frame::ALL {
            let sprite = self
                .sprite(frame.name())
                .unwrap_or_else(|| panic!("no sprite {}", frame.name()));
            assert_eq!(
                (sprite.width, sprite.height),
                (CELL, CELL),
                "{}",
                frame.name()
            );
            for row in 0..CELL {
                let src = (row * CELL * 4) as usize;
                let dst = ((row * width + frame.index() as u32 * CELL) * 4) as usize;
                let len = (CELL * 4) as usize;
                rgba[dst..dst + len].copy_from_slice(&sprite.rgba[src..src + len]);
            }
        }
        (width, height, rgba)
    }
}

/// A ghost's version of an atlas: every colour turned into a light grey of
/// its brightness (outlines stay dark), so a species tint reads as that
/// species' colour.
pub fn ghostly(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let lum = (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
                / 255.0;
            let v = if lum < 0.2 { lum } else { 0.6 + 0.4 * lum };
            let v = (v * 255.0).round() as u8;
            [v, v, v, p[3]]
        })
        .collect()
}

/// The player's frame and whether it is mirrored (facing left), at `tick`:
/// the run cycle turns faster the faster the player moves.
pub fn player_frame(player: &Player, tick: u32) -> (Frame, bool) {
    let frame = match player.pose() {
        Pose::Standing => Frame::PlayerStand,
        Pose::Crouching => Frame::PlayerCrouch,
        Pose::Jumping => Frame::PlayerJump,
        Pose::Falling => Frame::PlayerFall,
        Pose::Walking => {
            let speed = player.vx.unsigned_abs();
            let period = if speed >= 2 * PX as u32 {
                4
            } else if speed >= PX as u32 {
                6
            } else {
                9
            };
            [Frame::PlayerRun1, Frame::PlayerRun2, Frame::PlayerRun3][(tick / period % 3) as usize]
        }
    };
    (frame, player.facing < 0)
}

/// An enemy's frame and whether it is mirrored (the sprites face right), at
/// `tick`; neighbours step out of phase.
pub fn enemy_frame(enemy: &Enemy, tick: u32) -> (Frame, bool) {
    let step = (tick / 10 + enemy.spawn).is_multiple_of(2);
    let frame = match (enemy.kind, step) {
        (EnemyKind::Walker, true) => Frame::WalkerWalk1,
        (EnemyKind::Walker, false) => Frame::WalkerWalk2,
        (EnemyKind::Spiky, true) => Frame::SpikyWalk1,
        (EnemyKind::Spiky, false) => Frame::SpikyWalk2,
    };
    (frame, enemy.vx < 0)
}

/// The sprite of the level cell (`col`, `row`): ground shows its top edge where
/// nothing solid lies on it, pipes their lip on top and a left and a right
/// half, the goal pole its flag at the top.
pub fn tile_frame(level: &Level, col: i32, row: i32) -> Option<Frame> {
    let above = level.tile(col, row - 1);
    Some(match level.tile(col, row) {
        Tile::Empty => return None,
        Tile::Ground if above == Tile::Ground => Frame::Ground,
        Tile::Ground => Frame::GroundTop,
        Tile::Brick => Frame::Brick,
        Tile::Block => Frame::Block,
        Tile::Pipe => {
            // Pipes are two tiles wide: count the pipe cells to the left.
            let run = (1..=col)
                .take_while(|&k| level.tile(col - k, row) == Tile::Pipe)
                .count();
            match (above == Tile::Pipe, run.is_multiple_of(2)) {
                (false, true) => Frame::PipeLipLeft,
                (false, false) => Frame::PipeLipRight,
                (true, true) => Frame::PipeLeft,
                (true, false) => Frame::PipeRight,
            }
        }
        Tile::Goal if above == Tile::Goal => Frame::Pole,
        Tile::Goal => Frame::PoleTop,
    })
}

/// A prop of the backdrop at `x` (its left edge, in parallax pixels: level
/// pixels times its [`Prop::parallax`]) with its bottom `bottom` level pixels
/// above the level's bottom edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// What.
    pub prop: Prop,
    /// Left edge.
    pub x: f32,
    /// Height of its bottom above the level's bottom, in level pixels.
    pub bottom: f32,
}

/// The backdrop of a level `width` tiles wide and `height` tall: hills and
/// bushes standing on the ground line, clouds in the sky, at fixed intervals so
/// the same level always looks the same.
pub fn backdrop(width: i32, height: i32) -> Vec<Placed> {
    let level_w = (width * TILE_PX) as f32;
    let ground = 2.0 * TILE_PX as f32;
    let sky_h = (height * TILE_PX) as f32;
    let mut placed = Vec::new();
    let mut x = 0.0;
    let mut k = 0;
    while x < level_w * Prop::Hill.parallax() + 640.0 {
        placed.push(Placed {
            prop: Prop::Hill,
            x,
            bottom: ground,
        });
        placed.push(Placed {
            prop: Prop::Bush,
            x: x + 150.0 + 40.0 * (k % 3) as f32,
            bottom: ground,
        });
        x += 260.0 + 60.0 * (k % 2) as f32;
        k += 1;
    }
    let (mut x, mut k) = (40.0, 0);
    while x < level_w * Prop::Cloud.parallax() + 640.0 {
        placed.push(Placed {
            prop: Prop::Cloud,
            x,
            bottom: sky_h - 40.0 - 24.0 * (k % 3) as f32,
        });
        x += 170.0 + 50.0 * (k % 2) as f32;
        k += 1;
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_art_has_every_frame_and_prop() {
        let art = Art::builtin();
        // The atlas panics on a missing frame or one not 16×16.
        for prop in [Prop::Cloud, Prop::Hill, Prop::Bush] {
            assert!(art.sprite(prop.name()).is_some(), "{}", prop.name());
        }
        let (w, h, rgba) = art.atlas();
        assert_eq!((w, h), (Frame::ALL.len() as u32 * 16, 16));
        assert_eq!(rgba.len(), (w * h * 4) as usize);
        // Tiles are opaque; characters are not (the sky shows around them).
        let alpha = |f: Frame| {
            let s = art.sprite(f.name()).unwrap();
            s.rgba.chunks_exact(4).filter(|p| p[3] == 255).count()
        };
        for tile in [Frame::Ground, Frame::GroundTop, Frame::Brick, Frame::Block] {
            assert_eq!(alpha(tile), 256, "{tile:?} is opaque");
        }
        assert!(alpha(Frame::PlayerStand) < 256);
    }

    #[test]
    fn malformed_art_is_refused_with_its_line() {
        let e = Art::parse("palette\n. 0 0 0 0\nsprite a 2 1\n.x\n").unwrap_err();
        assert!(e.starts_with("line 4"), "{e}");
        let e = Art::parse("palette\n. 0 0 0 0\nsprite a 2 1\n...\n").unwrap_err();
        assert!(e.contains("not 2 wide"), "{e}");
        let e = Art::parse("palette\n. 0 0 0 0\nsprite a 2 2\n..\n").unwrap_err();
        assert!(e.contains("missing rows"), "{e}");
    }

    #[test]
    fn the_player_frame_follows_pose_and_facing() {
        let mut p = Player::at_cell(2, 3);
        p.on_ground = true;
        assert_eq!(player_frame(&p, 0), (Frame::PlayerStand, false));
        p.facing = -1;
        assert!(player_frame(&p, 0).1, "facing left mirrors");
        p.vx = 3 * PX;
        let cycle: Vec<Frame> = (0..12).map(|t| player_frame(&p, t).0).collect();
        assert!(cycle.contains(&Frame::PlayerRun1) && cycle.contains(&Frame::PlayerRun3));
        p.crouching = true;
        assert_eq!(player_frame(&p, 0).0, Frame::PlayerCrouch);
        p.on_ground = false;
        p.vy = -PX;
        assert_eq!(player_frame(&p, 0).0, Frame::PlayerJump);
        p.vy = PX;
        assert_eq!(player_frame(&p, 0).0, Frame::PlayerFall);
    }

    #[test]
    fn tiles_show_edges_lips_halves_and_the_flag() {
        let level = Level::builtin("1-1").unwrap();
        // Row 13 is the ground's top, row 14 below it.
        assert_eq!(tile_frame(&level, 0, 13), Some(Frame::GroundTop));
        assert_eq!(tile_frame(&level, 0, 14), Some(Frame::Ground));
        assert_eq!(tile_frame(&level, 0, 0), None);
        // The first pipe: columns 30–31, rows 11–12.
        assert_eq!(tile_frame(&level, 30, 11), Some(Frame::PipeLipLeft));
        assert_eq!(tile_frame(&level, 31, 11), Some(Frame::PipeLipRight));
        assert_eq!(tile_frame(&level, 30, 12), Some(Frame::PipeLeft));
        assert_eq!(tile_frame(&level, 31, 12), Some(Frame::PipeRight));
        // The pole: column 138, from row 4.
        assert_eq!(tile_frame(&level, 138, 4), Some(Frame::PoleTop));
        assert_eq!(tile_frame(&level, 138, 5), Some(Frame::Pole));
        assert_eq!(tile_frame(&level, 16, 9), Some(Frame::Brick));
        assert_eq!(tile_frame(&level, 18, 9), Some(Frame::Block));
    }

    #[test]
    fn enemies_walk_in_two_frames_facing_where_they_go() {
        let spawn = sprout_platformer::Spawn {
            col: 5,
            row: 3,
            kind: EnemyKind::Spiky,
        };
        let mut e = Enemy::spawned(&spawn, 0);
        let frames: Vec<Frame> = (0..20).map(|t| enemy_frame(&e, t).0).collect();
        assert!(frames.contains(&Frame::SpikyWalk1) && frames.contains(&Frame::SpikyWalk2));
        assert!(enemy_frame(&e, 0).1, "walking left mirrors");
        e.vx = -e.vx;
        assert!(!enemy_frame(&e, 0).1);
    }

    #[test]
    fn the_backdrop_covers_the_level_and_is_the_same_every_time() {
        let placed = backdrop(150, 15);
        assert_eq!(placed, backdrop(150, 15));
        let far = |prop: Prop| {
            placed
                .iter()
                .filter(|p| p.prop == prop)
                .map(|p| p.x)
                .fold(0.0, f32::max)
        };
        let level_w = 150.0 * 16.0;
        assert!(far(Prop::Hill) >= level_w * 0.5);
        assert!(far(Prop::Cloud) >= level_w * 0.25);
    }

    #[test]
    fn ghost_pixels_are_grey_and_keep_their_alpha() {
        let out = ghostly(&[230, 20, 20, 255, 0, 0, 0, 0, 10, 10, 10, 255]);
        assert_eq!(out[0], out[1]);
        assert_eq!(out[1], out[2]);
        assert!(out[0] > 150, "light colours turn light grey");
        assert_eq!(out[7], 0, "transparent stays transparent");
        assert!(out[8] < 40, "outlines stay dark");
    }
}
