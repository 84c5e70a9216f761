//! The HUD: evolution's numbers, what is playing, a fitness chart, the species
//! panel and the key help line.

use bevy::prelude::*;
use bevy::text::FontSize;

use crate::app::Stage;
use crate::controls::Playback;
use crate::hud_text::{evolution_lines, help_line, show_lines, species_panel};
use crate::layout::CHART;
use crate::scene::to_world;
use crate::watch::{Focus, WatchState};

/// Species rows the panel lists.
const SPECIES_ROWS: usize = 12;

/// The HUD.
pub struct HudPlugin;

impl Plugin for HudPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, setup)
            .add_systems(Update, (update_text, draw_chart));
    }
}

#[derive(Component)]
struct EvolutionText;

#[derive(Component)]
struct ShowText;

#[derive(Component)]
struct SpeciesText;

fn text_node(left: f32, top: f32) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: Val::Px(left),
        top: Val::Px(top),
        ..default()
    }
}

fn font(size: f32) -> TextFont {
    TextFont {
        font_size: FontSize::Px(size),
        ..default()
    }
}

fn setup(mut commands: Commands, stage: Res<Stage>) {
    commands.spawn((
        EvolutionText,
        Text::new(""),
        font(16.0),
        TextColor(Color::WHITE),
        text_node(640.0, 8.0),
    ));
    commands.spawn((
        ShowText,
        Text::new(""),
        font(14.0),
        TextColor(Color::srgb(0.8, 0.85, 1.0)),
        text_node(640.0, 66.0),
    ));
    commands.spawn((
        SpeciesText,
        Text::new(""),
        font(12.0),
        TextColor(Color::srgb(0.85, 0.9, 0.85)),
        text_node(960.0, 8.0),
    ));
    commands.spawn((
        Text::new(help_line(stage.keyboard)),
        font(14.0),
        TextColor(Color::WHITE),
        BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.55)),
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(8.0),
            bottom: Val::Px(6.0),
            padding: UiRect::all(Val::Px(4.0)),
            ..default()
        },
    ));
}

#[allow(clippy::type_complexity)]
fn update_text(
    stage: Res<Stage>,
    playback: Res<Playback>,
    watch: Option<Res<WatchState>>,
    mut evolution: Single<
        &mut Text,
        (With<EvolutionText>, Without<ShowText>, Without<SpeciesText>),
    >,
    mut shown: Single<&mut Text, (With<ShowText>, Without<EvolutionText>, Without<SpeciesText>)>,
    mut species: Single<&mut Text, (With<SpeciesText>, Without<EvolutionText>, Without<ShowText>)>,
) {
    let show = show_lines(
        &stage.label,
        stage.show.as_ref(),
        playback.speed,
        playback.paused,
    );
    set(&mut shown, show);
    let Some(watch) = watch else {
        return;
    };
    let snapshot = watch.snapshot.as_ref();
    let report = snapshot.and_then(|s| s.latest.as_deref());
    let ended = snapshot.and_then(|s| s.ended.as_deref());
    set(&mut evolution, evolution_lines(report, ended));
    let focus = match watch.focus {
        Focus::Champion => None,
        Focus::Species(id) => Some(id),
    };
    let panel = report.map_or_else(String::new, |r| {
        species_panel(&r.species, focus, SPECIES_ROWS)
    });
    set(&mut species, panel);
}

/// Writes `text` only when it changed, so the text is not laid out every frame.
fn set(target: &mut Text, text: String) {
    if target.0 != text {
        target.0 = text;
    }
}

/// Best (gold) and mean (cyan) fitness per generation, scaled to the chart box.
fn draw_chart(watch: Option<Res<WatchState>>, mut gizmos: Gizmos) {
    let Some(history) = watch
        .as_ref()
        .and_then(|w| w.snapshot.as_ref())
        .map(|s| &s.history)
    else {
        return;
    };
    let [left, top, right, bottom] = CHART;
    let frame = [
        [left, top],
        [right, top],
        [right, bottom],
        [left, bottom],
        [left, top],
    ];
    gizmos.linestrip_2d(frame.map(to_world), Color::srgb(0.4, 0.42, 0.5));
    for (points, color) in chart_lines(history, CHART) {
        gizmos.linestrip_2d(points.into_iter().map(to_world), color);
    }
}

/// The chart's two polylines in screen pixels.
fn chart_lines(
    history: &[[f64; 2]],
    [left, top, right, bottom]: [f32; 4],
) -> Vec<(Vec<[f32; 2]>, Color)> {
    if history.len() < 2 {
        return Vec::new();
    }
    let lo = history
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = history
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(1e-9);
    let last = (history.len() - 1) as f32;
    let point = |i: usize, v: f64| {
        [
            left + (right - left) * i as f32 / last,
            bottom - (bottom - top) * ((v - lo) / span) as f32,
        ]
    };
    [
        (0, Color::srgb(1.0, 0.8, 0.1)),
        (1, Color::srgb(0.3, 0.85, 1.0)),
    ]
    .into_iter()
    .map(|(k, color)| {
        let line = history
            .iter()
            .enumerate()
            .map(|(i, v)| point(i, v[k]))
            .collect();
        (line, color)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_spans_its_box_and_puts_the_best_on_top() {
        let history = [[1.0, 0.0], [3.0, 1.0], [5.0, 2.0]];
        let lines = chart_lines(&history, [0.0, 0.0, 100.0, 50.0]);
        let best = &lines[0].0;
        assert_eq!(best[0], [0.0, 40.0]);
        assert_eq!(best[2], [100.0, 0.0], "the highest value touches the top");
        assert_eq!(lines[1].0[0], [0.0, 50.0], "the lowest touches the bottom");
        assert!(chart_lines(&history[..1], [0.0, 0.0, 1.0, 1.0]).is_empty());
    }
}
