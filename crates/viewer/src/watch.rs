//! Watch mode: polls the evolution feed, plays the champion (switching when a
//! better one appears) or a chosen species' best, and cycles species with N.

use std::sync::Arc;

use bevy::prelude::*;
use sprout_genome::{Genome, GenomeId, SpeciesId};
use sprout_platformer::Level;

use crate::app::Stage;
use crate::feed::{Feed, Snapshot};
use crate::show::Show;

/// Whose play is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The run's champion so far.
    #[default]
    Champion,
    /// The best member of one species.
    Species(SpeciesId),
}

/// Watch mode's state.
#[derive(Resource)]
pub struct WatchState {
    feed: Feed,
    /// The newest snapshot read from the feed.
    pub snapshot: Option<Snapshot>,
    /// Whose play is shown.
    pub focus: Focus,
    /// The genome on screen.
    shown: Option<GenomeId>,
    /// A species' newer best, waiting for the current episode to end.
    pending: Option<Show>,
    /// Close the window once evolution has stopped.
    close_when_done: bool,
}

impl WatchState {
    /// Watch state for a run.
    pub fn new(feed: Feed, close_when_done: bool) -> Self {
        WatchState {
            feed,
            snapshot: None,
            focus: Focus::Champion,
            shown: None,
            pending: None,
            close_when_done,
        }
    }

    /// The genome the focus asks for, with its label, in the newest snapshot.
    fn wanted(&self) -> Option<(&Genome, String, &[Arc<Level>])> {
        let report = self.snapshot.as_ref()?.latest.as_deref()?;
        match self.focus {
            Focus::Champion => Some((
                &report.champion,
                format!(
                    "champion: genome {} (fitness {:.1})",
                    report.champion.id, report.champion_fitness
                ),
                &report.levels,
            )),
            Focus::Species(id) => report.species.iter().find(|s| s.id == id).map(|s| {
                (
                    &s.champion,
                    format!(
                        "species {}: genome {} (fitness {:.1})",
                        s.id, s.champion.id, s.best_fitness
                    ),
                    &report.levels[..],
                )
            }),
        }
    }
}

/// Watch mode's systems.
pub struct WatchPlugin;

impl Plugin for WatchPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Update, (next_species, poll_feed).chain());
    }
}

/// Reads the feed and switches the show when the focus has a new genome.
fn poll_feed(
    mut watch: ResMut<WatchState>,
    mut stage: ResMut<Stage>,
    mut exit: MessageWriter<AppExit>,
) {
    let version = watch.snapshot.as_ref().map_or(0, |s| s.version);
    if let Some(snapshot) = watch.feed.since(version) {
        if watch.close_when_done && snapshot.ended.is_some() {
            exit.write(AppExit::Success);
        }
        if let Some(generation) = snapshot
            .latest
            .as_ref()
            .and_then(|r| r.generation_members.clone())
        {
            stage.generation = Some(generation);
            stage.refresh_ghosts();
        }
        watch.snapshot = Some(snapshot);
    }
    // A species that died out hands the screen back to the champion.
    if watch.focus != Focus::Champion && watch.snapshot.is_some() && watch.wanted().is_none() {
        watch.focus = Focus::Champion;
    }
    let Some((genome, label, levels)) = watch.wanted() else {
        return;
    };
    if watch.shown == Some(genome.id) || levels.is_empty() {
        if let Some(pending) = watch.pending.take() {
            if stage.show.as_ref().is_some_and(|s| s.end().is_some()) {
                stage.show = Some(pending);
            } else {
                watch.pending = Some(pending);
            }
        }
        return;
    }
    let id = genome.id;
    let show = Show::of_genome(
        stage.play,
        stage.variations,
        levels.to_vec(),
        genome,
        &stage.neat,
    );
    let immediately = watch.focus == Focus::Champion || stage.show.is_none();
    stage.label = label;
    watch.shown = Some(id);
    if immediately {
        stage.show = Some(show);
        watch.pending = None;
    } else {
        // A species' best changes nearly every generation: let the current run
        // finish first.
        watch.pending = Some(show);
    }
}

/// N: champion → each species in id order → champion (with ghosts on, N
/// picks the ghosts instead: `controls`).
fn next_species(keys: Res<ButtonInput<KeyCode>>, stage: Res<Stage>, mut watch: ResMut<WatchState>) {
    if !keys.just_pressed(KeyCode::KeyN) || stage.ghosts.is_some() {
        return;
    }
    let ids: Vec<SpeciesId> = watch
        .snapshot
        .as_ref()
        .and_then(|s| s.latest.as_ref())
        .map(|r| r.species.iter().map(|s| s.id).collect())
        .unwrap_or_default();
    watch.focus = next_focus(watch.focus, &ids);
    // Show the new choice now rather than after the episode.
    watch.shown = None;
    watch.pending = None;
}

/// The focus after `current` when N is pressed.
fn next_focus(current: Focus, species: &[SpeciesId]) -> Focus {
    let next = match current {
        Focus::Champion => species.first(),
        Focus::Species(id) => species.iter().find(|&&s| s > id),
    };
    next.map_or(Focus::Champion, |&id| Focus::Species(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_cycles_through_species_and_back_to_the_champion() {
        let ids = [3, 7, 9];
        let mut focus = Focus::Champion;
        let mut seen = Vec::new();
        for _ in 0..4 {
            focus = next_focus(focus, &ids);
            seen.push(focus);
        }
        assert_eq!(
            seen,
            vec![
                Focus::Species(3),
                Focus::Species(7),
                Focus::Species(9),
                Focus::Champion
            ]
        );
        // A species that died out moves on to the next id.
        assert_eq!(next_focus(Focus::Species(5), &ids), Focus::Species(7));
        assert_eq!(next_focus(Focus::Champion, &[]), Focus::Champion);
    }
}
