//! Episodes that differ from one another, for lifetime-learning experiments:
//! controls that change from episode to episode (left and right swapped), a
//! sensor grid with randomly hidden cells ([`Occlusion`]), a dark level lit by
//! a lantern around the player and by regular flashes ([`Darkness`]), and a
//! grid whose cells come in an order shuffled anew for each episode
//! (`permute_grid`).
//!
//! A variation is applied by wrapping the agent ([`VariedAgent`], around the
//! episode's [`VariantState`]): the game, its physics and its sensors are
//! untouched, so the plain game (no variation) runs exactly the code it always
//! ran. Every random choice comes from a seed drawn from the evaluation's random
//! stream, so evaluations stay reproducible. [`Variations`] lays out the
//! variants of episodes shown one after another, for the window.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};
use sprout_task::Agent;

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

/// The `darkness` section of [`PlatformerConfig`](crate::PlatformerConfig): the
/// level is dark but for a lantern around the player, and a flash lights the
/// whole grid at regular intervals. Of every `period` observations the first
/// `lit` show the whole grid; the others show only the cells within `lantern`
/// of the player's (the grid's centre), and every other cell reads `value`.
/// What lies ahead in the dark was last seen in a flash, so a network must act
/// on what it remembers (a memory task: `Hopfield` stores the flashes and
/// completes dark cells from them). Motion inputs always stay visible. No
/// random draw: the pattern is the same in every episode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Darkness {
    /// Observations per cycle of light and dark, 2..=1000. Default 6 (with
    /// MarI/O's decision every 5 ticks: a flash every half second).
    pub period: u32,
    /// Observations that show the whole grid at the start of each cycle,
    /// 1..period. Default 1.
    pub lit: u32,
    /// Radius in cells of the square around the player that stays visible in
    /// the dark (0: the player's own cell), below the sensor radius; `None`:
    /// the whole grid goes dark. Default `Some(1)`, a 3×3 lantern.
    pub lantern: Option<u32>,
    /// What a dark cell reads. Default 0.5, as an occluded cell (distinct from
    /// −1, 0 and +1, so a Hopfield memory with `missing: Some(0.5)` knows it).
    pub value: f64,
}

impl Default for Darkness {
    fn default() -> Self {
        Self {
            period: 6,
            lit: 1,
            lantern: Some(1),
            value: 0.5,
        }
    }
}

impl Darkness {
    /// Checks the fields against a sensor grid of `radius`; the error is
    /// (field, message).
    pub fn validate(&self, radius: u32) -> Result<(), (&'static str, String)> {
        if !(2..=1000).contains(&self.period) {
            return Err((
                "darkness.period",
                format!("{} is not in 2..=1000", self.period),
            ));
        }
        if !(1..self.period).contains(&self.lit) {
            return Err((
                "darkness.lit",
                format!("{} is not in 1..{} (the period)", self.lit, self.period),
            ));
        }
        if let Some(lantern) = self.lantern.filter(|&l| l >= radius) {
            return Err((
                "darkness.lantern",
                format!("{lantern} is not below the sensor radius {radius}"),
            ));
        }
        if !self.value.is_finite() {
            return Err(("darkness.value", "must be finite".into()));
        }
        Ok(())
    }

    /// The grid cells outside the lantern of a `side`×`side` grid, in order.
    fn dark_cells(&self, side: usize) -> Vec<usize> {
        let centre = side / 2;
        let lit = |i: usize| match self.lantern {
            Some(l) => i.abs_diff(centre) <= l as usize,
            None => false,
        };
        (0..side * side)
            .filter(|&cell| !(lit(cell / side) && lit(cell % side)))
            .collect()
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
    /// The level is dark as this says.
    pub darkness: Option<Darkness>,
    /// The grid's cells are shown in the order of a permutation drawn from a
    /// generator seeded with this seed, the same for the whole episode.
    pub permutation: Option<u64>,
}

impl EpisodeVariant {
    /// Whether this is the plain game.
    pub fn is_plain(&self) -> bool {
        !self.mirrored
            && self.occlusion.is_none()
            && self.darkness.is_none()
            && self.permutation.is_none()
    }
}

/// The variations an experiment asks for (its `mirror_controls`, `occlusion`
/// and `darkness`), for episodes shown one after another.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Variations {
    /// Left and right swap in every other episode.
    pub mirror_controls: bool,
    /// Cells hidden as this says.
    pub occlusion: Option<Occlusion>,
    /// A dark level, as this says.
    pub darkness: Option<Darkness>,
    /// The grid's cells come in an order shuffled for each episode.
    pub permute_grid: bool,
}

impl Variations {
    /// Whether every episode is the plain game.
    pub fn is_plain(&self) -> bool {
        !self.mirror_controls
            && self.occlusion.is_none()
            && self.darkness.is_none()
            && !self.permute_grid
    }

    /// The variant of episode `index` of a sequence: mirrored when the index is
    /// odd (as the second episode of an evaluation is when the first is not),
    /// cells hidden and shuffled by generators seeded from `seed` and the index.
    pub fn episode(&self, index: u64, seed: u64) -> EpisodeVariant {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ index.rotate_left(32));
        EpisodeVariant {
            mirrored: self.mirror_controls && index % 2 == 1,
            occlusion: self.occlusion.map(|o| (o, rng.random::<u64>())),
            darkness: self.darkness,
            permutation: self.permute_grid.then(|| rng.random::<u64>()),
        }
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
    /// Whether the last observation was occluded.
    occluded: bool,
}

impl Occluder {
    fn new(config: Occlusion, seed: u64, grid: usize) -> Self {
        let hidden = ((config.fraction * grid as f64).round() as usize).clamp(1, grid);
        let mut occluder = Self {
            config,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            cells: (0..grid).collect(),
            hidden,
            occluded: false,
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
        self.occluded =
            self.config.probability >= 1.0 || self.rng.random_bool(self.config.probability);
        if !self.occluded {
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

/// Darkens observations: counts them through the cycles of light and dark.
#[derive(Debug, Clone)]
struct Dark {
    value: f64,
    period: u32,
    lit: u32,
    /// The cells outside the lantern.
    cells: Vec<usize>,
    /// Observations seen so far in this episode.
    seen: u32,
    /// Whether the last observation was dark.
    dark: bool,
}

impl Dark {
    fn new(config: Darkness, side: usize) -> Self {
        Self {
            value: config.value,
            period: config.period,
            lit: config.lit,
            cells: config.dark_cells(side),
            seen: 0,
            dark: false,
        }
    }

    /// Darkens `observation` (in place), unless it falls in a flash.
    fn apply(&mut self, observation: &mut [f64]) {
        self.dark = self.seen % self.period >= self.lit;
        self.seen = self.seen.wrapping_add(1);
        if self.dark {
            for &cell in &self.cells {
                observation[cell] = self.value;
            }
        }
    }
}

/// What hides grid cells in an episode: random occlusion or darkness.
#[derive(Debug, Clone)]
enum Hider {
    Occluder(Occluder),
    Dark(Dark),
}

impl Hider {
    fn apply(&mut self, observation: &mut [f64]) {
        match self {
            Hider::Occluder(o) => o.apply(observation),
            Hider::Dark(d) => d.apply(observation),
        }
    }

    /// The cells hidden from the last observation.
    fn hidden_cells(&self) -> &[usize] {
        match self {
            Hider::Occluder(o) if o.occluded => &o.cells[..o.hidden],
            Hider::Dark(d) if d.dark => &d.cells,
            _ => &[],
        }
    }
}

/// The state of one episode of an [`EpisodeVariant`]: what hides cells (the
/// occluder's draws, or the count through darkness) and the buffers the agent's
/// view passes through.
#[derive(Debug, Clone)]
pub struct VariantState {
    mirrored: bool,
    hider: Option<Hider>,
    /// Grid cell `i` of what the agent sees is cell `permutation[i]` of the
    /// grid (after hiding).
    permutation: Option<Vec<usize>>,
    observation: Vec<f64>,
    /// The grid before it is shuffled.
    unshuffled: Vec<f64>,
    outputs: Vec<f64>,
}

impl VariantState {
    /// One episode of `variant`, with a square sensor grid of `grid` cells at
    /// the front of observations of `observations` values. Occlusion wins over
    /// darkness (a validated experiment never asks for both).
    pub fn new(variant: &EpisodeVariant, grid: usize, observations: usize) -> Self {
        let occluder = variant
            .occlusion
            .map(|(config, seed)| Hider::Occluder(Occluder::new(config, seed, grid)));
        let side = grid.isqrt();
        let dark = || variant.darkness.map(|d| Hider::Dark(Dark::new(d, side)));
        let permutation = variant.permutation.map(|seed| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let mut order: Vec<usize> = (0..grid).collect();
            for i in (1..grid).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            order
        });
        Self {
            mirrored: variant.mirrored,
            hider: occluder.or_else(dark),
            unshuffled: vec![0.0; if permutation.is_some() { grid } else { 0 }],
            permutation,
            observation: vec![0.0; observations],
            outputs: Vec::with_capacity(crate::Buttons::OUTPUTS),
        }
    }

    /// Whether left and right are swapped.
    pub fn mirrored(&self) -> bool {
        self.mirrored
    }

    /// The grid cells hidden from the last observation (none when it was not
    /// occluded).
    pub fn hidden_cells(&self) -> &[usize] {
        self.hider.as_ref().map_or(&[], Hider::hidden_cells)
    }

    /// `inner` acting on `observation` as this variant shows it.
    fn act<'s>(&'s mut self, inner: &'s mut dyn Agent, observation: &[f64]) -> &'s [f64] {
        let seen = if self.hider.is_none() && self.permutation.is_none() {
            observation
        } else {
            self.observation.copy_from_slice(observation);
            if let Some(hider) = &mut self.hider {
                hider.apply(&mut self.observation);
            }
            if let Some(order) = &self.permutation {
                let grid = order.len();
                self.unshuffled.copy_from_slice(&self.observation[..grid]);
                for (cell, &from) in self.observation.iter_mut().zip(order) {
                    *cell = self.unshuffled[from];
                }
            }
            &self.observation[..]
        };
        let outputs = inner.act(seen);
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

/// An agent playing one [`EpisodeVariant`]: it sees the (occluded) observation,
/// and its left and right outputs are swapped when mirrored.
pub struct VariedAgent<'a> {
    inner: &'a mut dyn Agent,
    state: &'a mut VariantState,
}

impl<'a> VariedAgent<'a> {
    /// Wraps `inner` for the episode `state` belongs to.
    pub fn new(inner: &'a mut dyn Agent, state: &'a mut VariantState) -> Self {
        Self { inner, state }
    }
}

impl Agent for VariedAgent<'_> {
    fn reset(&mut self) {
        self.inner.reset();
    }

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        self.state.act(self.inner, observation)
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
            ..EpisodeVariant::default()
        };
        let mut state = VariantState::new(&variant, 4, 4);
        let mut agent = VariedAgent::new(&mut inner, &mut state);
        assert_eq!(agent.act(&[0.0; 4]), &[-1.0, 1.0, 0.5, -0.5, 0.25]);
        let mut plain_state = VariantState::new(&EpisodeVariant::default(), 4, 4);
        let mut plain = VariedAgent::new(&mut inner, &mut plain_state);
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
            ..EpisodeVariant::default()
        };
        // 16 grid cells and 2 motion inputs (which read 7.0).
        let mut observation = vec![1.0; 16];
        observation.extend([7.0, 7.0]);
        let mut state = VariantState::new(&variant, 16, 18);
        let mut agent = VariedAgent::new(&mut inner, &mut state);
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
            ..EpisodeVariant::default()
        };
        let mut state = VariantState::new(&variant, 10, 10);
        let mut agent = VariedAgent::new(&mut inner, &mut state);
        for _ in 0..200 {
            agent.act(&[0.0; 10]);
        }
        let occluded: Vec<&Vec<f64>> = inner.seen.iter().filter(|s| s.contains(&-3.0)).collect();
        assert!((60..140).contains(&occluded.len()), "{}", occluded.len());
        assert!(occluded.iter().all(|s| *s == occluded[0]));
        assert_eq!(occluded[0].iter().filter(|&&x| x == -3.0).count(), 5);
    }

    #[test]
    fn shown_episodes_alternate_the_mapping_and_draw_their_own_hidden_cells() {
        let variations = Variations {
            mirror_controls: true,
            occlusion: Some(Occlusion {
                probability: 1.0,
                ..Occlusion::default()
            }),
            ..Variations::default()
        };
        let episodes: Vec<EpisodeVariant> = (0..4).map(|i| variations.episode(i, 7)).collect();
        let mirrored: Vec<bool> = episodes.iter().map(|e| e.mirrored).collect();
        assert_eq!(mirrored, [false, true, false, true]);
        assert_eq!(
            episodes,
            (0..4).map(|i| variations.episode(i, 7)).collect::<Vec<_>>()
        );
        assert_ne!(
            episodes[0].occlusion, episodes[2].occlusion,
            "a seed per episode"
        );
        assert_ne!(variations.episode(0, 7), variations.episode(0, 8));
        assert!(Variations::default().episode(1, 7).is_plain());
    }

    #[test]
    fn the_state_reports_the_cells_it_hid_from_the_last_observation() {
        let config = Occlusion {
            fraction: 0.25,
            probability: 0.5,
            per_episode: false,
            value: 0.5,
        };
        let variant = EpisodeVariant {
            mirrored: true,
            occlusion: Some((config, 3)),
            ..EpisodeVariant::default()
        };
        let mut inner = probe();
        let mut state = VariantState::new(&variant, 8, 8);
        assert!(state.mirrored());
        assert!(state.hidden_cells().is_empty(), "nothing seen yet");
        let (mut occluded, mut clear) = (0, 0);
        for _ in 0..40 {
            VariedAgent::new(&mut inner, &mut state).act(&[1.0; 8]);
            let seen = inner.seen.last().unwrap();
            let hidden: Vec<usize> = (0..8).filter(|&i| seen[i] == 0.5).collect();
            let mut reported = state.hidden_cells().to_vec();
            reported.sort_unstable();
            assert_eq!(reported, hidden);
            if hidden.is_empty() {
                clear += 1;
            } else {
                occluded += 1;
            }
        }
        assert!(
            occluded > 5 && clear > 5,
            "{occluded} occluded, {clear} clear"
        );
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

    /// What a probe saw through `darkness` over `steps` observations of a
    /// 5×5 grid of ones followed by two motion inputs.
    fn seen_in_the_dark(darkness: Darkness, steps: usize) -> Vec<Vec<f64>> {
        let variant = EpisodeVariant {
            darkness: Some(darkness),
            ..EpisodeVariant::default()
        };
        let mut inner = probe();
        let mut state = VariantState::new(&variant, 25, 27);
        let mut observation = vec![1.0; 25];
        observation.extend([7.0, 7.0]);
        for _ in 0..steps {
            VariedAgent::new(&mut inner, &mut state).act(&observation);
        }
        inner.seen
    }

    #[test]
    fn darkness_shows_the_lantern_always_and_the_whole_grid_in_flashes() {
        let darkness = Darkness {
            period: 4,
            lit: 1,
            lantern: Some(1),
            value: 0.5,
        };
        let seen = seen_in_the_dark(darkness, 8);
        for (step, seen) in seen.iter().enumerate() {
            assert_eq!(&seen[25..], &[7.0, 7.0], "motion inputs stay visible");
            let dark: Vec<usize> = (0..25).filter(|&i| seen[i] == 0.5).collect();
            if step % 4 == 0 {
                assert!(dark.is_empty(), "step {step} is a flash");
            } else {
                // The 3×3 lantern around the centre (row 2, column 2) is lit.
                let lantern = |i: usize| (1..=3).contains(&(i / 5)) && (1..=3).contains(&(i % 5));
                let expected: Vec<usize> = (0..25).filter(|&i| !lantern(i)).collect();
                assert_eq!(dark, expected, "step {step}");
            }
        }
    }

    #[test]
    fn a_darkness_without_lantern_darkens_the_whole_grid_and_reports_it() {
        let darkness = Darkness {
            period: 3,
            lit: 2,
            lantern: None,
            value: -9.0,
        };
        let seen = seen_in_the_dark(darkness, 6);
        let dark: Vec<bool> = seen.iter().map(|s| s[..25] == [-9.0; 25]).collect();
        assert_eq!(dark, [false, false, true, false, false, true]);
        let variant = EpisodeVariant {
            darkness: Some(darkness),
            ..EpisodeVariant::default()
        };
        let mut state = VariantState::new(&variant, 25, 27);
        let mut inner = probe();
        let mut reported = Vec::new();
        for _ in 0..3 {
            VariedAgent::new(&mut inner, &mut state).act(&[1.0; 27]);
            reported.push(state.hidden_cells().len());
        }
        assert_eq!(reported, [0, 0, 25]);
        assert!(!variant.is_plain());
        let shown = Variations {
            darkness: Some(darkness),
            ..Variations::default()
        };
        assert_eq!(shown.episode(3, 1).darkness, Some(darkness));
    }

    #[test]
    fn a_permuted_grid_keeps_one_order_per_episode_and_the_motion_inputs_in_place() {
        let run = |seed: u64| {
            let variant = EpisodeVariant {
                permutation: Some(seed),
                ..EpisodeVariant::default()
            };
            let mut inner = probe();
            let mut state = VariantState::new(&variant, 9, 11);
            for step in 0..3 {
                // Cell i reads i + 10·step; the motion inputs read −1 and −2.
                let mut observation: Vec<f64> = (0..9).map(|i| f64::from(i + 10 * step)).collect();
                observation.extend([-1.0, -2.0]);
                VariedAgent::new(&mut inner, &mut state).act(&observation);
            }
            inner.seen
        };
        let seen = run(5);
        let order: Vec<usize> = seen[0][..9].iter().map(|&v| v as usize).collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..9).collect::<Vec<_>>(), "a permutation");
        assert_ne!(order, (0..9).collect::<Vec<_>>(), "shuffled");
        for (step, seen) in seen.iter().enumerate() {
            let again: Vec<usize> = seen[..9].iter().map(|&v| v as usize - 10 * step).collect();
            assert_eq!(again, order, "the same order all episode");
            assert_eq!(&seen[9..], &[-1.0, -2.0]);
        }
        assert_eq!(run(5), seen, "reproducible");
        assert_ne!(run(6)[0], seen[0], "another episode, another order");
        assert!(
            !EpisodeVariant {
                permutation: Some(5),
                ..EpisodeVariant::default()
            }
            .is_plain()
        );
        let shown = Variations {
            permute_grid: true,
            ..Variations::default()
        };
        assert!(shown.episode(0, 1).permutation.is_some());
        assert_ne!(shown.episode(0, 1), shown.episode(1, 1));
    }
}
