//! The level, the player, the enemies and the ghosts, drawn with the pixel art
//! of [`art`](crate::art) from the exact simulation state. The art becomes two
//! textures at start-up (the atlas, and a grey copy that ghosts tint by
//! species), sampled nearest-neighbour so pixels stay crisp. Tiles are spawned
//! once per level under a root that scrolls; the backdrop's props scroll slower
//! (parallax); actors are placed every frame.

use std::sync::Arc;

use bevy::asset::RenderAssetUsages;
use bevy::camera::ScalingMode;
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use sprout_platformer::enemies::{ENEMY_H, MAX_ACTIVE};
use sprout_platformer::units::{PX, TILE_PX};
use sprout_platformer::{Enemy, Level};

use crate::app::Stage;
use crate::art::{self, Art, CELL, Frame, Prop};
use crate::ghosts::species_color;
use crate::layout::{BAND_H, LevelFrame, WINDOW_H, WINDOW_W};

/// The sky behind the level.
const SKY: Color = Color::srgb(0.416, 0.557, 0.961);
/// Behind the overlay and the HUD.
const BAND: Color = Color::srgb(0.08, 0.09, 0.12);
/// Around the picture when the window's shape is not 16:9.
pub const LETTERBOX: Color = Color::BLACK;
/// How opaque a ghost is.
const GHOST_ALPHA: f32 = 0.45;

/// Converts picture pixels (origin top-left, y down) to Bevy's 2D world
/// coordinates (origin at the centre, y up) for the fixed camera.
pub fn to_world([x, y]: [f32; 2]) -> Vec2 {
    Vec2::new(x - WINDOW_W / 2.0, WINDOW_H / 2.0 - y)
}

/// The level, player, enemies and ghosts.
pub struct ScenePlugin;

impl Plugin for ScenePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ShownLevel>()
            .add_systems(Startup, setup)
            .add_systems(
                Update,
                (build_level, place_backdrop, place_actors, place_ghosts).chain(),
            );
    }
}

/// The textures made from the art.
#[derive(Resource)]
struct Sheets {
    atlas: Handle<Image>,
    ghost_atlas: Handle<Image>,
    layout: Handle<TextureAtlasLayout>,
    props: Vec<(Prop, Handle<Image>, Vec2)>,
}

impl Sheets {
    fn sprite(&self, frame: Frame, ghost: bool) -> Sprite {
        Sprite::from_atlas_image(
            if ghost {
                self.ghost_atlas.clone()
            } else {
                self.atlas.clone()
            },
            TextureAtlas {
                layout: self.layout.clone(),
                index: frame.index(),
            },
        )
    }
}

#[derive(Component)]
struct LevelRoot;

/// A tile or a backdrop prop: replaced when the level changes.
#[derive(Component)]
struct LevelPart;

/// A backdrop prop: where it stands and its size in level pixels.
#[derive(Component)]
struct PropSprite(art::Placed, Vec2);

#[derive(Component)]
struct PlayerSprite;

#[derive(Component)]
struct EnemySprite(usize);

#[derive(Component)]
struct SquashedSprite(usize);

#[derive(Component)]
struct GhostSprite(usize);

/// The level whose tiles and backdrop are spawned.
#[derive(Resource, Default)]
struct ShownLevel(Option<Arc<Level>>);

/// An sRGB RGBA8 texture sampled nearest-neighbour.
fn texture(width: u32, height: u32, rgba: Vec<u8>) -> Image {
    let mut image = Image::new(
        Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    image.sampler = ImageSampler::nearest();
    image
}

fn setup(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut layouts: ResMut<Assets<TextureAtlasLayout>>,
) {
    let art = Art::builtin();
    let (w, h, rgba) = art.atlas();
    let ghost_rgba = art::ghostly(&rgba);
    let props = [Prop::Hill, Prop::Bush, Prop::Cloud]
        .into_iter()
        .filter_map(|prop| {
            let s = art.sprite(prop.name())?;
            let handle = images.add(texture(s.width, s.height, s.rgba.clone()));
            Some((prop, handle, Vec2::new(s.width as f32, s.height as f32)))
        })
        .collect();
    let sheets = Sheets {
        atlas: images.add(texture(w, h, rgba)),
        ghost_atlas: images.add(texture(w, h, ghost_rgba)),
        layout: layouts.add(TextureAtlasLayout::from_grid(
            UVec2::splat(CELL),
            Frame::ALL.len() as u32,
            1,
            None,
            None,
        )),
        props,
    };
    // Flat colours need neither multisampling nor tone mapping, and both cost
    // full-screen passes that software renderers (llvmpipe) pay for in CPU time.
    // The projection always shows the 1280×720 picture; `fit_window` sizes its
    // viewport to the window.
    commands.spawn((
        Camera2d,
        Msaa::Off,
        Tonemapping::None,
        Projection::Orthographic(OrthographicProjection {
            scaling_mode: ScalingMode::Fixed {
                width: WINDOW_W,
                height: WINDOW_H,
            },
            ..OrthographicProjection::default_2d()
        }),
    ));
    // The band above the level, behind the overlay and the HUD.
    commands.spawn((
        Sprite::from_color(BAND, Vec2::new(WINDOW_W, BAND_H)),
        Transform::from_translation(to_world([WINDOW_W / 2.0, BAND_H / 2.0]).extend(-1.0)),
    ));
    commands.spawn((
        Sprite::from_color(SKY, Vec2::new(WINDOW_W, WINDOW_H - BAND_H)),
        Transform::from_translation(
            to_world([WINDOW_W / 2.0, (WINDOW_H + BAND_H) / 2.0]).extend(-1.0),
        ),
    ));
    commands.spawn((LevelRoot, Transform::default(), Visibility::default()));
    commands.spawn((
        PlayerSprite,
        sheets.sprite(Frame::PlayerStand, false),
        Transform::from_xyz(0.0, 0.0, 3.0),
        Visibility::Hidden,
    ));
    for i in 0..MAX_ACTIVE {
        let hidden = (
            sheets.sprite(Frame::WalkerWalk1, false),
            Transform::from_xyz(0.0, 0.0, 2.0),
            Visibility::Hidden,
        );
        commands.spawn((EnemySprite(i), hidden.clone()));
        commands.spawn((SquashedSprite(i), hidden));
    }
    commands.insert_resource(sheets);
}

/// Spawns the tiles and the backdrop when the show moves to another level.
fn build_level(
    mut commands: Commands,
    stage: Res<Stage>,
    sheets: Res<Sheets>,
    mut shown: ResMut<ShownLevel>,
    root: Single<Entity, With<LevelRoot>>,
    old: Query<Entity, With<LevelPart>>,
) {
    let Some(show) = stage.shown() else {
        return;
    };
    let level = show.level();
    if shown.0.as_ref().is_some_and(|l| Arc::ptr_eq(l, level)) {
        return;
    }
    for entity in &old {
        commands.entity(entity).despawn();
    }
    shown.0 = Some(level.clone());
    let frame = LevelFrame::new(level.width(), level.height(), 0);
    let size = TILE_PX as f32 * frame.scale;
    for row in 0..level.height() {
        for col in 0..level.width() {
            let Some(tile) = art::tile_frame(level, col, row) else {
                continue;
            };
            let tile_px = TILE_PX * PX;
            let center = frame.to_screen(col * tile_px + tile_px / 2, row * tile_px + tile_px / 2);
            let mut sprite = sheets.sprite(tile, false);
            sprite.custom_size = Some(Vec2::splat(size));
            commands.spawn((
                LevelPart,
                sprite,
                Transform::from_translation(to_world(center).extend(1.0)),
                ChildOf(*root),
            ));
        }
    }
    for placed in art::backdrop(level.width(), level.height()) {
        let Some((_, image, px)) = sheets.props.iter().find(|(p, ..)| *p == placed.prop) else {
            continue;
        };
        let mut sprite = Sprite::from_image(image.clone());
        sprite.custom_size = Some(*px * frame.scale);
        // Clouds behind hills, hills behind bushes, all behind the tiles.
        let z = match placed.prop {
            Prop::Cloud => 0.1,
            Prop::Hill => 0.2,
            Prop::Bush => 0.3,
        };
        commands.spawn((
            LevelPart,
            PropSprite(placed, *px),
            sprite,
            Transform::from_xyz(0.0, 0.0, z),
        ));
    }
}

/// The frame the camera uses: the level under the band, scrolled to the
/// player (or, with ghosts, to the one in front).
fn camera_frame(stage: &Stage) -> Option<LevelFrame> {
    let show = stage.shown()?;
    let level = show.world().level();
    Some(LevelFrame::new(
        level.width(),
        level.height(),
        stage.camera_x()?,
    ))
}

/// Scrolls the backdrop slower than the level.
fn place_backdrop(stage: Res<Stage>, mut props: Query<(&PropSprite, &mut Transform)>) {
    let Some(frame) = camera_frame(&stage) else {
        return;
    };
    for (PropSprite(placed, px), mut transform) in &mut props {
        let left = (placed.x - frame.scroll * placed.prop.parallax()) * frame.scale;
        let bottom = WINDOW_H - placed.bottom * frame.scale;
        let center = [
            left + px.x * frame.scale / 2.0,
            bottom - px.y * frame.scale / 2.0,
        ];
        let z = transform.translation.z;
        transform.translation = to_world(center).extend(z);
    }
}

/// Where a 16×16 sprite standing on the bottom of a `height`-sub-pixel hitbox
/// whose centre is (`x`, `y`) is centred, in sub-pixels.
fn standing_center(x: i32, y: i32, height: i32) -> (i32, i32) {
    (x, y + height / 2 - CELL as i32 * PX / 2)
}

/// Shows `art_frame` of the atlas (mirrored when `flip`) at the frame's scale.
fn show_frame(sprite: &mut Sprite, art_frame: Frame, flip: bool, frame: &LevelFrame) {
    if let Some(atlas) = sprite.texture_atlas.as_mut() {
        atlas.index = art_frame.index();
    }
    sprite.flip_x = flip;
    sprite.custom_size = Some(Vec2::splat(CELL as f32 * frame.scale));
}

/// Where an enemy's sprite is centred, in world coordinates.
fn enemy_at(frame: &LevelFrame, enemy: &Enemy) -> Vec3 {
    let (ex, ey) = enemy.center();
    let (cx, cy) = standing_center(ex, ey, ENEMY_H);
    to_world(frame.to_screen(cx, cy)).extend(2.0)
}

/// Scrolls the level and places the player and the enemies (of the champion,
/// with ghosts).
#[allow(clippy::type_complexity)]
fn place_actors(
    stage: Res<Stage>,
    mut root: Single<&mut Transform, (With<LevelRoot>, Without<PlayerSprite>)>,
    mut player: Single<
        (&mut Transform, &mut Sprite, &mut Visibility),
        (With<PlayerSprite>, Without<LevelRoot>),
    >,
    mut enemies: Query<
        (
            Option<&EnemySprite>,
            Option<&SquashedSprite>,
            &mut Transform,
            &mut Sprite,
            &mut Visibility,
        ),
        (
            Or<(With<EnemySprite>, With<SquashedSprite>)>,
            Without<PlayerSprite>,
            Without<LevelRoot>,
        ),
    >,
) {
    let (Some(show), Some(frame)) = (stage.shown(), camera_frame(&stage)) else {
        return;
    };
    let world = show.world();
    root.translation.x = -frame.scroll * frame.scale;

    let (transform, sprite, visibility) = &mut *player;
    let p = world.player();
    let (cx, cy) = p.center();
    let (art_frame, flip) = art::player_frame(p, world.tick());
    show_frame(sprite, art_frame, flip, &frame);
    transform.translation = to_world(frame.to_screen(cx, cy)).extend(3.0);
    **visibility = Visibility::Visible;

    let active = world.enemies();
    let squashed: Vec<&Enemy> = show.squashed().collect();
    for (live, flat, mut transform, mut sprite, mut visibility) in &mut enemies {
        let shown = match (live, flat) {
            (Some(slot), _) => active
                .get(slot.0)
                .map(|e| (e, art::enemy_frame(e, world.tick()))),
            (None, Some(slot)) => squashed
                .get(slot.0)
                .map(|&e| (e, (Frame::WalkerSquashed, e.vx < 0))),
            (None, None) => None,
        };
        match shown {
            Some((enemy, (art_frame, flip))) => {
                show_frame(&mut sprite, art_frame, flip, &frame);
                transform.translation = enemy_at(&frame, enemy);
                *visibility = Visibility::Visible;
            }
            None => *visibility = Visibility::Hidden,
        }
    }
}

/// Draws every ghost but the champion (drawn as the player, opaque, on top),
/// translucent and tinted by species; spawns sprites as needed.
fn place_ghosts(
    mut commands: Commands,
    stage: Res<Stage>,
    sheets: Res<Sheets>,
    mut sprites: Query<(&GhostSprite, &mut Transform, &mut Sprite, &mut Visibility)>,
) {
    let count = stage.ghosts.as_ref().map_or(0, |g| g.ghosts().len());
    let have = sprites.iter().len();
    for i in have..count {
        commands.spawn((
            GhostSprite(i),
            sheets.sprite(Frame::PlayerStand, true),
            Transform::default(),
            Visibility::Hidden,
        ));
    }
    let (Some(ghosts), Some(frame)) = (stage.ghosts.as_ref(), camera_frame(&stage)) else {
        for (_, _, _, mut visibility) in &mut sprites {
            *visibility = Visibility::Hidden;
        }
        return;
    };
    let all = ghosts.ghosts();
    for (GhostSprite(i), mut transform, mut sprite, mut visibility) in &mut sprites {
        let Some(ghost) = all
            .get(*i)
            .filter(|g| !g.dead() && *i != ghosts.champion_index())
        else {
            *visibility = Visibility::Hidden;
            continue;
        };
        let world = ghost.show.world();
        let p = world.player();
        let (cx, cy) = p.center();
        let (art_frame, flip) = art::player_frame(p, world.tick());
        show_frame(&mut sprite, art_frame, flip, &frame);
        let [r, g, b] = species_color(ghost.species);
        sprite.color = Color::srgba(r, g, b, GHOST_ALPHA);
        // Each ghost its own depth, so overlapping ghosts blend in a fixed order.
        let z = 2.5 + 0.4 * *i as f32 / all.len() as f32;
        transform.translation = to_world(frame.to_screen(cx, cy)).extend(z);
        *visibility = Visibility::Visible;
    }
}

/// Where the player's centre is in the picture, in picture pixels.
pub fn player_on_screen(stage: &Stage) -> Option<[f32; 2]> {
    let show = stage.shown()?;
    let frame = camera_frame(stage)?;
    let (cx, cy) = show.world().player().center();
    Some(frame.to_screen(cx, cy))
}

/// Where the ghosts drawn translucent (alive, the champion excepted) are, in
/// picture pixels.
pub fn ghosts_on_screen(stage: &Stage) -> Vec<[f32; 2]> {
    let (Some(ghosts), Some(frame)) = (stage.ghosts.as_ref(), camera_frame(stage)) else {
        return Vec::new();
    };
    ghosts
        .ghosts()
        .iter()
        .enumerate()
        .filter(|&(i, g)| !g.dead() && i != ghosts.champion_index())
        .map(|(_, g)| {
            let (x, y) = g.show.world().player().center();
            frame.to_screen(x, y)
        })
        .collect()
}
