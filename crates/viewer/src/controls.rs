//! Keys and playback: pause, single step, speed, ghosts, overlay, restart,
//! quit; and the fixed-step system that advances the show (or the ghosts).

use std::time::{Duration, Instant};

use bevy::prelude::*;
use sprout_platformer::Buttons;

use crate::app::Stage;
use crate::hud_text::Speed;

/// Wall-clock budget per fixed step at maximum speed, leaving the rest of the
/// 16.7 ms frame for drawing.
const MAX_SPEED_BUDGET: Duration = Duration::from_millis(9);

/// Playback state.
#[derive(Resource, Debug, Default)]
pub struct Playback {
    /// Whether the simulation is paused.
    pub paused: bool,
    /// Ticks per fixed step.
    pub speed: Speed,
    /// Ticks run since the window opened.
    pub ticks: u64,
    /// Whether the overlay (grid, network, buttons) is drawn.
    pub hide_overlay: bool,
}

/// Keys and the fixed-step advance.
pub struct ControlsPlugin;

impl Plugin for ControlsPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(FixedUpdate, advance)
            .add_systems(Update, keys);
    }
}

/// The buttons a person holds: arrows, X or ↑ to jump, Z to run.
fn held_buttons(keys: &ButtonInput<KeyCode>) -> Buttons {
    let mut held = Buttons::NONE;
    for (key, button) in [
        (KeyCode::ArrowLeft, Buttons::LEFT),
        (KeyCode::ArrowRight, Buttons::RIGHT),
        (KeyCode::ArrowUp, Buttons::JUMP),
        (KeyCode::KeyX, Buttons::JUMP),
        (KeyCode::KeyZ, Buttons::RUN),
        (KeyCode::ShiftLeft, Buttons::RUN),
        (KeyCode::ArrowDown, Buttons::DOWN),
    ] {
        if keys.pressed(key) {
            held = held | button;
        }
    }
    held
}

/// One tick of whatever plays: the ghosts, or the show (with the keys held).
fn tick(stage: &mut Stage, held: Buttons) {
    match (stage.ghosts.as_mut(), stage.show.as_mut()) {
        (Some(ghosts), _) => ghosts.step(),
        (None, Some(show)) => show.step(held),
        (None, None) => {}
    }
}

/// One 60 Hz step: 1, 4, or as many ticks as fit the budget.
fn advance(
    mut playback: ResMut<Playback>,
    mut stage: ResMut<Stage>,
    keys: Res<ButtonInput<KeyCode>>,
) {
    if playback.paused || (stage.show.is_none() && stage.ghosts.is_none()) {
        return;
    }
    let held = if stage.keyboard {
        held_buttons(&keys)
    } else {
        Buttons::NONE
    };
    let mut ran = 0u64;
    match playback.speed {
        Speed::One | Speed::Four => {
            let n = if playback.speed == Speed::One { 1 } else { 4 };
            for _ in 0..n {
                tick(&mut stage, held);
            }
            ran += n;
        }
        Speed::Max => {
            // A tick of hundreds of ghosts is long: check the clock after each.
            let start = Instant::now();
            while start.elapsed() < MAX_SPEED_BUDGET {
                tick(&mut stage, held);
                ran += 1;
            }
        }
    }
    playback.ticks += ran;
    stage.refresh_ghosts();
}

/// Space, arrows, G, H, R, Esc, and N with ghosts on (watch mode's N
/// otherwise).
fn keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut playback: ResMut<Playback>,
    mut stage: ResMut<Stage>,
    mut exit: MessageWriter<AppExit>,
) {
    if keys.just_pressed(KeyCode::Escape) {
        exit.write(AppExit::Success);
    }
    if keys.just_pressed(KeyCode::Space) {
        playback.paused = !playback.paused;
    }
    if keys.just_pressed(KeyCode::KeyH) {
        playback.hide_overlay = !playback.hide_overlay;
    }
    if keys.just_pressed(KeyCode::KeyG) && !stage.keyboard {
        stage.want_ghosts = !stage.want_ghosts;
        stage.refresh_ghosts();
    }
    // With ghosts on, N picks which of them play (watch mode's N otherwise
    // picks whose play the single show is).
    if keys.just_pressed(KeyCode::KeyN)
        && stage.ghosts.is_some()
        && let Some(generation) = stage.generation.clone()
    {
        stage.pick = generation.next_pick(stage.pick);
        stage.ghosts = None;
        stage.refresh_ghosts();
    }
    if keys.just_pressed(KeyCode::KeyR) {
        if let Some(ghosts) = stage.ghosts.as_mut() {
            ghosts.restart();
        } else if let Some(show) = stage.show.as_mut() {
            show.restart();
        }
    }
    if stage.keyboard {
        // The arrows move the player.
        return;
    }
    if keys.just_pressed(KeyCode::ArrowUp) {
        playback.speed = playback.speed.faster();
    }
    if keys.just_pressed(KeyCode::ArrowDown) {
        playback.speed = playback.speed.slower();
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        // A single step pauses first, so the tick can be looked at.
        playback.paused = true;
        tick(&mut stage, Buttons::NONE);
        playback.ticks += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_keys_map_to_buttons() {
        let mut keys = ButtonInput::<KeyCode>::default();
        keys.press(KeyCode::ArrowRight);
        keys.press(KeyCode::KeyX);
        let held = held_buttons(&keys);
        assert!(held.contains(Buttons::RIGHT | Buttons::JUMP));
        assert!(!held.contains(Buttons::LEFT));
        assert!(!held.contains(Buttons::RUN));
    }
}
