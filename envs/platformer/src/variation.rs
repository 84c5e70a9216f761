//! Episodes that differ from one another, for lifetime-learning experiments:
//! controls that change from episode to episode (left and right swapped), and a
//! sensor grid with hidden cells.
//!
//! A variation is applied by wrapping the agent ([`VariedAgent`]): the game, its
//! physics and its sensors are untouched, so the plain game (no variation) runs
//! exactly the code it always ran. Every random choice comes from a seed drawn
//! from the evaluation's random stream, so evaluations stay reproducible.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};
use sprout_evolve::Agent;

/// The `occlusion` section of [`PlatformerConfig`](crate::PlatformerConfig):
/// some observations lose some of their grid cells, which then read `value`.
/// Motion inputs are never hidden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Occlusion {
    /// Share of the grid's cells hidden in an occluded observation, in (0, 1].
    /// Default 0.5.
    pub fraction: f64,
    /// Chance that an observation is occluded at all, in (0, 1]. Default 0.5.
    pub probability: f64,
    /// Draw the hidden cells once per episode (true: the same cells, relative to
    /// the player, are hidden whenever an observation is occluded) or anew for
    /// every occluded observation (false). Default false.
    pub per_episode: bool,
    /// What a hidden cell reads. Default 0.5: distinct from the grid's −1
    /// (enemy), 0 (empty) and +1 (solid), so a lifetime module (such as a
    /// Hopfield memory with `missing: Some(0.5)`) can tell hidden cells apart.
    pub value: f64,
}

impl Default for Occlusion {
    fn default() -> Self {
        Self {
            fraction: 0.5,
            probability: 0.5,
            per_episode: false,
            value: 0.5,
        }
    }
}

impl Occlusion {
    /// Checks the fields; the error is (field, message).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (field, v) in [
            ("occlusion.fraction", self.fraction),
            ("occlusion.probability", self.probability),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err((field, format!("{v} is not in (0, 1]")));
            }
        }
        if !self.value.is_finite() {
            return Err(("occlusion.value", "must be finite".into()));
        }
        Ok(())
    }
}

/// How one episode differs from the plain game.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EpisodeVariant {
    /// The left and right buttons are swapped.
    pub mirrored: bool,
    /// Cells are hidden as this says, drawing from a generator seeded with the
    /// seed given.
    pub occlusion: Option<(Occlusion, u64)>,
}

impl EpisodeVariant {
    /// Whether this is the plain game.
    pub fn is_plain(&self) -> bool {
        !self.mirrored && self.occlusion.is_none()
    }
}

/// Hides grid cells of observations.
#[derive(Debug, Clone)]
struct Occluder {
    config: Occlusion,
    rng: Xoshiro256PlusPlus,
    /// Grid cells, shuffled: the first `hidden` are the hidden ones.
    cells: Vec<usize>,
    hidden: usize,
}

impl Occluder {
    fn new(config: Occlusion, seed: u64, grid: usize) -> Self {
        let hidden = ((config.fraction * grid as f64).round() as usize).clamp(1, grid);
        let mut occluder = Self {
            config,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            cells: (0..grid).collect(),
            hidden,
        };
        if config.per_episode {
            occluder.draw();
        }
        occluder
    }

    /// Picks `hidden` distinct cells (a partial Fisher–Yates shuffle).
    fn draw(&mut self) {
        let n = self.cells.len();
        for i in 0..self.hidden {
            let j = self.rng.random_range(i..n);
            self.cells.swap(i, j);
        }
    }

    /// Hides cells of `observation` (in place), if this observation is occluded.
    fn apply(&mut self, observation: &mut [f64]) {
        if self.config.probability < 1.0 && !self.rng.random_bool(self.config.probability) {
            return;
        }
        if !self.config.per_episode {
            self.draw();
        }
        for &cell in &self.cells[..self.hidden] {
            observation[cell] = self.config.value;
        }
    }
}

/// An agent playing one [`EpisodeVariant`]: it sees the (occluded) observation,
/// and its left and right outputs are swapped when mirrored.
pub struct VariedAgent<'a> {
    inner: &'a mut dyn Agent,
    mirrored: bool,
    occluder: Option<Occluder>,
    observation: Vec<f64>,
    outputs: Vec<f64>,
}

impl<'a> VariedAgent<'a> {
    /// Wraps `inner` for one episode of `variant`, with a sensor grid of `grid`
    /// cells at the front of observations of `observations` values.
    pub fn new(
        inner: &'a mut dyn Agent,
        variant: &EpisodeVariant,
        grid: usize,
        observations: usize,
    ) -> Self {
        Self {
            inner,
            mirrored: variant.mirrored,
            occluder: variant
                .occlusion
                .map(|(config, seed)| Occluder::new(config, seed, grid)),
            observation: vec![0.0; observations],
            outputs: Vec::with_capacity(crate::Buttons::OUTPUTS),
        }
    }
}

impl Agent for VariedAgent<'_> {
    fn reset(&mut self) {
        self.inner.reset();
    }

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        let seen = match &mut self.occluder {
            Some(occluder) => {
                self.observation.copy_from_slice(observation);
                occluder.apply(&mut self.observation);
                &self.observation[..]
            }
            None => observation,
        };
        let outputs = self.inner.act(seen);
        if !self.mirrored {
            return outputs;
        }
        self.outputs.clear();
        self.outputs.extend_from_slice(outputs);
        if self.outputs.len() >= 2 {
            self.outputs.swap(0, 1);
        }
        &self.outputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it saw; outputs fixed values.
    struct Probe {
        seen: Vec<Vec<f64>>,
        outputs: [f64; 5],
    }

    impl Agent for Probe {
        fn reset(&mut self) {}
        fn act(&mut self, observation: &[f64]) -> &[f64] {
            self.seen.push(observation.to_vec());
            &self.outputs
        }
    }

    fn probe() -> Probe {
        Probe {
            seen: Vec::new(),
            outputs: [1.0, -1.0, 0.5, -0.5, 0.25],
        }
    }

    #[test]
    fn mirrored_episodes_swap_left_and_right_only() {
        let mut inner = probe();
        let variant = EpisodeVariant {
            mirrored: true,
            occlusion: None,
        };
        let mut agent = VariedAgent::new(&mut inner, &variant, 4, 4);
        assert_eq!(agent.act(&[0.0; 4]), &[-1.0, 1.0, 0.5, -0.5, 0.25]);
        let mut plain = VariedAgent::new(&mut inner, &EpisodeVariant::default(), 4, 4);
        assert_eq!(plain.act(&[0.0; 4]), &[1.0, -1.0, 0.5, -0.5, 0.25]);
    }

    #[test]
    fn occlusion_hides_the_configured_share_of_grid_cells_only() {
        let config = Occlusion {
            fraction: 0.25,
            probability: 1.0,
            per_episode: false,
            value: 0.5,
        };
        let mut inner = probe();
        let variant = EpisodeVariant {
            mirrored: false,
            occlusion: Some((config, 9)),
        };
        // 16 grid cells and 2 motion inputs (which read 7.0).
        let mut observation = vec![1.0; 16];
        observation.extend([7.0, 7.0]);
        let mut agent = VariedAgent::new(&mut inner, &variant, 16, 18);
        for _ in 0..20 {
            agent.act(&observation);
        }
        let masks: Vec<Vec<bool>> = inner
            .seen
            .iter()
            .map(|seen| {
                assert_eq!(&seen[16..], &[7.0, 7.0]);
                seen[..16].iter().map(|&x| x == 0.5).collect()
            })
            .collect();
        assert!(masks.iter().all(|m| m.iter().filter(|&&h| h).count() == 4));
        assert!(masks.windows(2).any(|w| w[0] != w[1]), "redrawn per step");
    }

    #[test]
    fn per_episode_occlusion_keeps_its_cells_and_probability_skips_some_steps() {
        let config = Occlusion {
            fraction: 0.5,
            probability: 0.5,
            per_episode: true,
            value: -3.0,
        };
        let mut inner = probe();
        let variant = EpisodeVariant {
            mirrored: false,
            occlusion: Some((config, 4)),
        };
        let mut agent = VariedAgent::new(&mut inner, &variant, 10, 10);
        for _ in 0..200 {
            agent.act(&[0.0; 10]);
        }
        let occluded: Vec<&Vec<f64>> = inner.seen.iter().filter(|s| s.contains(&-3.0)).collect();
        assert!((60..140).contains(&occluded.len()), "{}", occluded.len());
        assert!(occluded.iter().all(|s| *s == occluded[0]));
        assert_eq!(occluded[0].iter().filter(|&&x| x == -3.0).count(), 5);
    }

    #[test]
    fn occlusion_settings_name_their_field() {
        let bad = Occlusion {
            fraction: 0.0,
            ..Occlusion::default()
        };
        assert_eq!(bad.validate().unwrap_err().0, "occlusion.fraction");
        let bad = Occlusion {
            probability: 1.5,
            ..Occlusion::default()
        };
        assert_eq!(bad.validate().unwrap_err().0, "occlusion.probability");
        Occlusion::default().validate().unwrap();
    }
}
