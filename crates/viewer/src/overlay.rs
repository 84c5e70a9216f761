//! MarI/O's overlay: the input grid the network sees (tiles light, enemies
//! orange), the network (links green for positive and red for negative weights,
//! stronger as they grow; nodes lit by their activation) and the buttons held.
//! Links are drawn from the live network, so plastic weights visibly change.

use bevy::prelude::*;
use sprout_genome::GenomeId;
use sprout_platformer::Buttons;

use crate::app::Stage;
use crate::controls::Playback;
use crate::layout::{GRID_ORIGIN, grid_cell, output_center};
use crate::netview::{NetView, NodeRole};
use crate::scene::to_world;

const EMPTY_CELL: Color = Color::srgba(0.3, 0.32, 0.4, 0.6);
const SOLID_CELL: Color = Color::srgb(0.88, 0.88, 0.88);
const ENEMY_CELL: Color = Color::srgb(1.0, 0.55, 0.0);
/// A cell hidden from the network (an occluded observation).
const HIDDEN_CELL: Color = Color::srgb(0.45, 0.2, 0.55);
const BUTTON_NAMES: [&str; Buttons::OUTPUTS] = ["Left", "Right", "Jump", "Run", "Down"];
const BUTTON_BITS: [Buttons; Buttons::OUTPUTS] = [
    Buttons::LEFT,
    Buttons::RIGHT,
    Buttons::JUMP,
    Buttons::RUN,
    Buttons::DOWN,
];

/// The overlay.
pub struct OverlayPlugin;

impl Plugin for OverlayPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Layout>()
            .add_systems(Startup, setup)
            .add_systems(
                Update,
                (relayout, draw_grid, draw_network, draw_buttons).chain(),
            );
    }
}

#[derive(Component)]
struct GridCell(usize);

#[derive(Component)]
struct NodeDot(usize);

#[derive(Component)]
struct ButtonBox(usize);

#[derive(Component)]
struct OverlayPart;

/// The network layout of the genome on screen.
#[derive(Resource, Default)]
struct Layout {
    genome: Option<GenomeId>,
    view: Option<NetView>,
}

fn setup(mut commands: Commands, stage: Res<Stage>) {
    let side = stage.play.sensors.side();
    let cell = grid_cell(side);
    for row in 0..side {
        for col in 0..side {
            let center = [
                GRID_ORIGIN[0] + (col as f32 + 0.5) * cell,
                GRID_ORIGIN[1] + (row as f32 + 0.5) * cell,
            ];
            commands.spawn((
                GridCell(row * side + col),
                OverlayPart,
                Sprite::from_color(EMPTY_CELL, Vec2::splat(cell - 1.0)),
                Transform::from_translation(to_world(center).extend(5.0)),
            ));
        }
    }
    for (k, name) in BUTTON_NAMES.iter().enumerate() {
        let [x, y] = output_center(k);
        commands.spawn((
            ButtonBox(k),
            OverlayPart,
            Sprite::from_color(EMPTY_CELL, Vec2::new(56.0, 20.0)),
            Transform::from_translation(to_world([x + 40.0, y]).extend(5.0)),
        ));
        commands.spawn((
            OverlayPart,
            Text2d::new(*name),
            TextFont {
                font_size: bevy::text::FontSize::Px(13.0),
                ..default()
            },
            TextColor(Color::BLACK),
            Transform::from_translation(to_world([x + 40.0, y]).extend(6.0)),
        ));
    }
}

/// Lays the network out again when another genome takes the screen, and shows
/// or hides the overlay.
fn relayout(
    mut commands: Commands,
    stage: Res<Stage>,
    playback: Res<Playback>,
    mut layout: ResMut<Layout>,
    dots: Query<Entity, With<NodeDot>>,
    mut parts: Query<&mut Visibility, With<OverlayPart>>,
) {
    let visible = if playback.hide_overlay {
        Visibility::Hidden
    } else {
        Visibility::Inherited
    };
    for mut v in &mut parts {
        v.set_if_neq(visible);
    }
    let network = stage.shown().and_then(|s| s.network());
    let id = network.map(|(genome, _)| genome.id);
    if id == layout.genome {
        return;
    }
    for dot in &dots {
        commands.entity(dot).despawn();
    }
    layout.genome = id;
    layout.view = network.map(|(genome, net)| NetView::new(net, genome, &stage.play.sensors));
    if let Some(view) = &layout.view {
        for (slot, (role, pos)) in view.slots.iter().enumerate() {
            if matches!(role, NodeRole::Input) && slot < stage.play.sensors.side().pow(2) {
                continue; // grid cells are drawn by the grid
            }
            commands.spawn((
                NodeDot(slot),
                OverlayPart,
                Sprite::from_color(Color::WHITE, Vec2::splat(8.0)),
                Transform::from_translation(to_world(*pos).extend(7.0)),
                visible,
            ));
        }
    }
}

fn draw_grid(
    stage: Res<Stage>,
    playback: Res<Playback>,
    mut gizmos: Gizmos,
    mut cells: Query<(&GridCell, &mut Sprite)>,
) {
    let Some(show) = stage.shown() else {
        return;
    };
    if !playback.hide_overlay {
        // The player's own cell.
        let side = stage.play.sensors.side();
        let cell = grid_cell(side);
        let mid = GRID_ORIGIN[0] + (side / 2) as f32 * cell + cell / 2.0;
        let mid_y = GRID_ORIGIN[1] + (side / 2) as f32 * cell + cell / 2.0;
        gizmos.rect_2d(
            bevy::math::Isometry2d::from_translation(to_world([mid, mid_y])),
            Vec2::splat(cell),
            Color::srgb(1.0, 0.9, 0.0),
        );
    }
    let observation = show.observation();
    let hidden = show.hidden_cells();
    for (cell, mut sprite) in &mut cells {
        let v = observation.get(cell.0).copied().unwrap_or(0.0);
        sprite.color = if hidden.contains(&cell.0) {
            HIDDEN_CELL
        } else if v > 0.5 {
            SOLID_CELL
        } else if v < -0.5 {
            ENEMY_CELL
        } else {
            EMPTY_CELL
        };
    }
}

/// Brightness for an activation: 0 → dark, |1| → bright.
fn lit(value: f64) -> Color {
    let v = value.abs().min(1.0) as f32;
    if value >= 0.0 {
        Color::srgb(0.25 + 0.75 * v, 0.25 + 0.75 * v, 0.25 + 0.3 * v)
    } else {
        Color::srgb(0.25 + 0.75 * v, 0.25, 0.25)
    }
}

fn draw_network(
    stage: Res<Stage>,
    playback: Res<Playback>,
    layout: Res<Layout>,
    mut gizmos: Gizmos,
    mut dots: Query<(&NodeDot, &mut Sprite)>,
) {
    let (Some(show), Some(view)) = (stage.shown(), layout.view.as_ref()) else {
        return;
    };
    let Some((_, network)) = show.network() else {
        return;
    };
    let values = network.values();
    for (dot, mut sprite) in &mut dots {
        sprite.color = lit(values.get(dot.0).copied().unwrap_or(0.0));
    }
    if playback.hide_overlay {
        return;
    }
    for (source, target, weight) in network.links() {
        let (Some((_, a)), Some((_, b))) = (view.slots.get(source), view.slots.get(target)) else {
            continue;
        };
        // Links from empty cells carry nothing this tick: draw them faintly.
        let active = values.get(source).is_some_and(|v| *v != 0.0);
        let alpha = (weight.abs() as f32 / 2.0).clamp(0.15, 0.9) * if active { 1.0 } else { 0.35 };
        let color = if weight >= 0.0 {
            Color::srgba(0.2, 0.95, 0.2, alpha)
        } else {
            Color::srgba(0.95, 0.2, 0.2, alpha)
        };
        gizmos.line_2d(to_world(*a), to_world(*b), color);
    }
}

fn draw_buttons(stage: Res<Stage>, mut boxes: Query<(&ButtonBox, &mut Sprite)>) {
    let held = stage.shown().map_or(Buttons::NONE, |s| s.buttons());
    for (button, mut sprite) in &mut boxes {
        sprite.color = if held.contains(BUTTON_BITS[button.0]) {
            Color::srgb(1.0, 0.85, 0.1)
        } else {
            Color::srgb(0.45, 0.47, 0.55)
        };
    }
}
