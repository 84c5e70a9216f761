//! The level, the player and the enemies, drawn from the exact simulation state.
//! Tiles are spawned once per level under a root that scrolls; actors are placed
//! every frame.

use std::sync::Arc;

use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::prelude::*;
use sprout_platformer::enemies::{ENEMY_H, ENEMY_W, MAX_ACTIVE};
use sprout_platformer::physics::{PLAYER_H, PLAYER_W};
use sprout_platformer::units::{PX, TILE_PX};
use sprout_platformer::{EnemyKind, Level, Tile};

use crate::app::Stage;
use crate::layout::{BAND_H, LevelFrame, WINDOW_H, WINDOW_W};

/// The player's colour; the screenshot test looks for it.
pub const PLAYER_COLOR: Color = Color::srgb(0.9, 0.08, 0.08);
/// The sky: the clear colour, so the largest area costs no extra pass.
pub const SKY: Color = Color::srgb(0.42, 0.56, 0.96);
/// Behind the overlay and the HUD.
const BAND: Color = Color::srgb(0.08, 0.09, 0.12);
const WALKER: Color = Color::srgb(0.45, 0.26, 0.08);
const SPIKY: Color = Color::srgb(0.45, 0.1, 0.55);

/// Converts screen pixels (origin top-left, y down) to Bevy's 2D world
/// coordinates (origin at the centre, y up) for the fixed camera.
pub fn to_world([x, y]: [f32; 2]) -> Vec2 {
    Vec2::new(x - WINDOW_W / 2.0, WINDOW_H / 2.0 - y)
}

/// The level, player and enemies.
pub struct ScenePlugin;

impl Plugin for ScenePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ShownLevel>()
            .add_systems(Startup, setup)
            .add_systems(Update, (build_level, place_actors).chain());
    }
}

#[derive(Component)]
struct LevelRoot;

#[derive(Component)]
struct TileSprite;

#[derive(Component)]
struct PlayerSprite;

#[derive(Component)]
struct EnemySprite(usize);

/// The level whose tiles are spawned.
#[derive(Resource, Default)]
struct ShownLevel(Option<Arc<Level>>);

fn setup(mut commands: Commands) {
    // Flat colours need neither multisampling nor tone mapping, and both cost
    // full-screen passes that software renderers (llvmpipe) pay for in CPU time.
    commands.spawn((Camera2d, Msaa::Off, Tonemapping::None));
    // The band above the level, behind the overlay and the HUD.
    commands.spawn((
        Sprite::from_color(BAND, Vec2::new(WINDOW_W, BAND_H)),
        Transform::from_translation(to_world([WINDOW_W / 2.0, BAND_H / 2.0]).extend(-1.0)),
    ));
    commands.spawn((LevelRoot, Transform::default(), Visibility::default()));
    commands.spawn((
        PlayerSprite,
        Sprite::from_color(PLAYER_COLOR, Vec2::ONE),
        Transform::from_xyz(0.0, 0.0, 3.0),
        Visibility::Hidden,
    ));
    for i in 0..MAX_ACTIVE {
        commands.spawn((
            EnemySprite(i),
            Sprite::from_color(WALKER, Vec2::ONE),
            Transform::from_xyz(0.0, 0.0, 2.0),
            Visibility::Hidden,
        ));
    }
}

fn tile_color(tile: Tile, pipe_top: bool) -> Option<Color> {
    match tile {
        Tile::Empty => None,
        Tile::Ground => Some(Color::srgb(0.55, 0.33, 0.16)),
        Tile::Brick => Some(Color::srgb(0.72, 0.36, 0.2)),
        Tile::Block => Some(Color::srgb(0.62, 0.47, 0.3)),
        Tile::Pipe if pipe_top => Some(Color::srgb(0.1, 0.5, 0.15)),
        Tile::Pipe => Some(Color::srgb(0.15, 0.68, 0.22)),
        Tile::Goal => Some(Color::srgb(0.95, 0.95, 0.95)),
    }
}

/// Spawns the tiles when the show moves to another level.
fn build_level(
    mut commands: Commands,
    stage: Res<Stage>,
    mut shown: ResMut<ShownLevel>,
    root: Single<Entity, With<LevelRoot>>,
    tiles: Query<Entity, With<TileSprite>>,
) {
    let Some(show) = stage.show.as_ref() else {
        return;
    };
    let level = show.level();
    if shown.0.as_ref().is_some_and(|l| Arc::ptr_eq(l, level)) {
        return;
    }
    for tile in &tiles {
        commands.entity(tile).despawn();
    }
    shown.0 = Some(level.clone());
    let frame = LevelFrame::new(level.width(), level.height(), 0);
    let size = TILE_PX as f32 * frame.scale;
    for row in 0..level.height() {
        for col in 0..level.width() {
            let tile = level.tile(col, row);
            let pipe_top = tile == Tile::Pipe && level.tile(col, row - 1) != Tile::Pipe;
            let Some(color) = tile_color(tile, pipe_top) else {
                continue;
            };
            let tile_px = TILE_PX * PX;
            let center = frame.to_screen(col * tile_px + tile_px / 2, row * tile_px + tile_px / 2);
            // The goal is a pole, not a block.
            let width = if tile == Tile::Goal { size / 6.0 } else { size };
            commands.spawn((
                TileSprite,
                Sprite::from_color(color, Vec2::new(width, size)),
                Transform::from_translation(to_world(center).extend(1.0)),
                ChildOf(*root),
            ));
        }
    }
}

/// Scrolls the level and places the player and the enemies.
#[allow(clippy::type_complexity)]
fn place_actors(
    stage: Res<Stage>,
    mut root: Single<
        &mut Transform,
        (With<LevelRoot>, Without<PlayerSprite>, Without<EnemySprite>),
    >,
    mut player: Single<
        (&mut Transform, &mut Sprite, &mut Visibility),
        (With<PlayerSprite>, Without<EnemySprite>, Without<LevelRoot>),
    >,
    mut enemies: Query<
        (&EnemySprite, &mut Transform, &mut Sprite, &mut Visibility),
        (Without<PlayerSprite>, Without<LevelRoot>),
    >,
) {
    let Some(show) = stage.show.as_ref() else {
        return;
    };
    let world = show.world();
    let level = world.level();
    let p = world.player();
    let frame = LevelFrame::new(level.width(), level.height(), p.center().0);
    root.translation.x = -frame.scroll * frame.scale;

    let (transform, sprite, visibility) = &mut *player;
    let (cx, cy) = p.center();
    transform.translation = to_world(frame.to_screen(cx, cy)).extend(3.0);
    sprite.custom_size = Some(Vec2::new(
        PLAYER_W as f32 / PX as f32 * frame.scale,
        PLAYER_H as f32 / PX as f32 * frame.scale,
    ));
    **visibility = Visibility::Visible;

    let active = world.enemies();
    for (slot, mut transform, mut sprite, mut visibility) in &mut enemies {
        match active.get(slot.0) {
            Some(enemy) => {
                let (ex, ey) = enemy.center();
                transform.translation = to_world(frame.to_screen(ex, ey)).extend(2.0);
                sprite.color = match enemy.kind {
                    EnemyKind::Walker => WALKER,
                    EnemyKind::Spiky => SPIKY,
                };
                sprite.custom_size = Some(Vec2::new(
                    ENEMY_W as f32 / PX as f32 * frame.scale,
                    ENEMY_H as f32 / PX as f32 * frame.scale,
                ));
                *visibility = Visibility::Visible;
            }
            None => *visibility = Visibility::Hidden,
        }
    }
}

/// Where the player's centre is on screen, in screen pixels.
pub fn player_on_screen(show: &crate::show::Show) -> [f32; 2] {
    let world = show.world();
    let level = world.level();
    let (cx, cy) = world.player().center();
    LevelFrame::new(level.width(), level.height(), cx).to_screen(cx, cy)
}
