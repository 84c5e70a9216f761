//! The HUD: evolution's numbers, what is playing, a fitness chart, the species
//! panel and the key help line.

use bevy::prelude::*;
use bevy::text::FontSize;

use crate::app::Stage;
use crate::controls::Playback;
use crate::hud_text::{
    evolution_lines, fit_lines, ghost_lines, help_line, show_lines, species_panel,
};
use crate::layout::{
    CHART, EVOLUTION_TEXT, HELP_TEXT, SHOW_TEXT_NARROW, SHOW_TEXT_WIDE, SPECIES_TEXT, TextBox,
};
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

/// A block of HUD text; screenshots report where each one ended up.
#[derive(Component)]
pub struct HudText;

#[derive(Component)]
struct EvolutionText;

#[derive(Component)]
struct ShowText(TextBox);

#[derive(Component)]
struct SpeciesText;

/// A text block of `layout`'s place and size, in `color`.
fn text_block(layout: TextBox, text: impl Into<String>, color: Color) -> impl Bundle {
    (
        HudText,
        Text::new(text),
        TextFont {
            font_size: FontSize::Px(layout.font),
            ..default()
        },
        TextColor(color),
        Node {
            position_type: PositionType::Absolute,
            left: Val::Px(layout.left),
            top: Val::Px(layout.top),
            ..default()
        },
    )
}

fn setup(mut commands: Commands, stage: Res<Stage>, watch: Option<Res<WatchState>>) {
    commands.spawn((EvolutionText, text_block(EVOLUTION_TEXT, "", Color::WHITE)));
    // Beside the species panel in watch mode; the band's right half otherwise.
    let show_box = if watch.is_some() {
        SHOW_TEXT_NARROW
    } else {
        SHOW_TEXT_WIDE
    };
    commands.spawn((
        ShowText(show_box),
        text_block(show_box, "", Color::srgb(0.8, 0.85, 1.0)),
    ));
    commands.spawn((
        SpeciesText,
        text_block(SPECIES_TEXT, "", Color::srgb(0.85, 0.9, 0.85)),
    ));
    let help = fit_lines(help_line(stage.keyboard), HELP_TEXT.columns());
    commands.spawn((
        text_block(HELP_TEXT, help, Color::WHITE),
        BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.55)),
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
    mut shown: Single<(&mut Text, &ShowText), (Without<EvolutionText>, Without<SpeciesText>)>,
    mut species: Single<&mut Text, (With<SpeciesText>, Without<EvolutionText>, Without<ShowText>)>,
) {
    let mut show = match &stage.ghosts {
        Some(ghosts) => ghost_lines(ghosts, playback.speed, playback.paused),
        None => show_lines(
            &stage.label,
            stage.show.as_ref(),
            playback.speed,
            playback.paused,
        ),
    };
    if stage.want_ghosts && stage.generation.is_none() && watch.is_none() {
        // Replay of a champion file: watch gets a generation with each report.
        show.push_str("\nghosts: no generation here (replay a checkpoint)");
    }
    let (text, ShowText(layout)) = &mut *shown;
    set(text, fit_lines(&show, layout.columns()));
    let Some(watch) = watch else {
        return;
    };
    let snapshot = watch.snapshot.as_ref();
    let report = snapshot.and_then(|s| s.latest.as_deref());
    let ended = snapshot.and_then(|s| s.ended.as_deref());
    set(
        &mut evolution,
        fit_lines(&evolution_lines(report, ended), EVOLUTION_TEXT.columns()),
    );
    let focus = match watch.focus {
        Focus::Champion => None,
        Focus::Species(id) => Some(id),
    };
    let panel = report.map_or_else(String::new, |r| {
        species_panel(&r.species, focus, SPECIES_ROWS)
    });
    set(&mut species, fit_lines(&panel, SPECIES_TEXT.columns()));
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
