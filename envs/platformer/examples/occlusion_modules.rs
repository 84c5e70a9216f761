//! What the Hopfield and RBM lifetime modules do on the occluded platformer, seen
//! from the inputs (the evolutionary comparison is `sprout bench plasticity`'s
//! `occluded` section).
//!
//! A scripted player (right, run, jumps now and then) plays level 1-1 and three
//! generated levels under the occlusion of configs/platformer-occluded-*.ron:
//! with chance ½ an observation loses half its 169 grid cells, which read 0.5.
//! Each episode's observations run through
//! - the Hopfield memory of configs/platformer-occluded-hopfield.ron (16 complete
//!   grids, β = 1, hidden cells replaced by one retrieval step), scored on how
//!   many hidden cells it restores to their true value, against two guesses
//!   without memory: "empty" (0) and "as in the latest complete grid";
//! - the RBM of configs/platformer-occluded-rbm.ron (8 hidden units, CD-1 at
//!   rate 0.05), scored by its mean-field reconstruction error on the episode's
//!   complete grids before and after the episode's online learning.
//!
//! `cargo run --release -p sprout-platformer --example occlusion_modules`

use std::sync::Arc;

use ndarray::Array2;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use sprout_plasticity::module::{CompletionMode, HopfieldMemory, RbmFeatures};
use sprout_plasticity::rbm::{Estimator, Rbm, TrainingConfig};
use sprout_plasticity::{LifetimeModule, Synapse, SynapseView};
use sprout_platformer::generator::generate;
use sprout_platformer::{
    EpisodeVariant, Level, Occlusion, PlatformerConfig, PlatformerTask, VariantState, VariedAgent,
};
use sprout_task::Agent;

const GRID: usize = 169;
const HIDDEN: f64 = 0.5;

/// Presses right and run, and jump for three decisions out of every eight (or
/// at random), remembering what it was shown.
struct Scripted {
    rng: Xoshiro256PlusPlus,
    decisions: u32,
    seen: Vec<Vec<f64>>,
    outputs: [f64; 5],
}

impl Agent for Scripted {
    fn reset(&mut self) {}
    fn act(&mut self, observation: &[f64]) -> &[f64] {
        self.seen.push(observation.to_vec());
        let jump = self.decisions % 8 < 3 || self.rng.random_bool(0.1);
        self.decisions += 1;
        self.outputs = [-1.0, 1.0, if jump { 1.0 } else { -1.0 }, 1.0, -1.0];
        &self.outputs
    }
}

/// Records the true observation before passing it on.
struct Truth<'a> {
    inner: VariedAgent<'a>,
    seen: Vec<Vec<f64>>,
}

impl Agent for Truth<'_> {
    fn reset(&mut self) {
        self.inner.reset();
    }
    fn act(&mut self, observation: &[f64]) -> &[f64] {
        self.seen.push(observation.to_vec());
        self.inner.act(observation)
    }
}

/// A network with nothing in it: the input modules never look at it.
struct NoNetwork;

impl SynapseView for NoNetwork {
    fn node_count(&self) -> usize {
        0
    }
    fn activation(&self, _node: usize) -> f64 {
        0.0
    }
    fn connection_count(&self) -> usize {
        0
    }
    fn connection(&self, _index: usize) -> Synapse {
        unreachable!("no connections")
    }
    fn set_weight(&mut self, _index: usize, _weight: f64) {}
    fn set_enabled(&mut self, _index: usize, _enabled: bool) {}
}

/// The cell value nearest to `x` among −1, 0 and +1.
fn nearest(x: f64) -> f64 {
    if x > 0.5 {
        1.0
    } else if x < -0.5 {
        -1.0
    } else {
        0.0
    }
}

#[derive(Default)]
struct Tally {
    hidden: u64,
    hopfield: u64,
    empty: u64,
    latest: u64,
    observations: u64,
    occluded: u64,
    rbm_before: f64,
    rbm_after: f64,
    episodes: u64,
}

fn rbm_features() -> RbmFeatures {
    let mut init = Xoshiro256PlusPlus::seed_from_u64(0x5EED_1417_0000_0001);
    let rbm = Rbm::new(GRID, 8, 0.01, &mut init).unwrap();
    let training = TrainingConfig {
        estimator: Estimator::ContrastiveDivergence { k: 1 },
        learning_rate: 0.05,
        momentum: 0.0,
        weight_decay: 0.0,
    };
    RbmFeatures::new(0..GRID, (-1.0, 1.0), rbm, training, 0).unwrap()
}

fn play(level: Arc<Level>, seed: u64, tally: &mut Tally) {
    let occlusion = Occlusion {
        fraction: 0.5,
        probability: 0.5,
        per_episode: false,
        value: HIDDEN,
    };
    // The plain game: the occlusion comes from the wrapper below, so the true
    // grids can be recorded before it.
    let task = PlatformerTask::new(PlatformerConfig::default()).unwrap();
    let mut player = Scripted {
        rng: Xoshiro256PlusPlus::seed_from_u64(seed),
        decisions: 0,
        seen: Vec::new(),
        outputs: [0.0; 5],
    };
    let variant = EpisodeVariant {
        occlusion: Some((occlusion, seed)),
        ..EpisodeVariant::default()
    };
    let mut state = VariantState::new(&variant, GRID, GRID);
    let mut truth = Truth {
        inner: VariedAgent::new(&mut player, &mut state),
        seen: Vec::new(),
    };
    task.play(&level, &mut truth, false);
    let truth = truth.seen;
    let shown = player.seen;

    let mut memory =
        HopfieldMemory::new(0..GRID, 16, 1.0, CompletionMode::Replace, Some(HIDDEN)).unwrap();
    memory.on_episode_start(&mut NoNetwork).unwrap();
    let mut rbm = rbm_features();
    rbm.on_episode_start(&mut NoNetwork).unwrap();
    let mut completed = vec![0.0; GRID];
    let mut features = vec![0.0; GRID + 8];
    let mut latest: Option<&Vec<f64>> = None;
    for (true_grid, seen) in truth.iter().zip(&shown) {
        memory.before_activation(seen, &mut completed).unwrap();
        rbm.before_activation(seen, &mut features).unwrap();
        tally.observations += 1;
        let mut occluded = false;
        for cell in 0..GRID {
            if seen[cell] != HIDDEN {
                continue;
            }
            occluded = true;
            let value = true_grid[cell];
            tally.hidden += 1;
            tally.hopfield += u64::from(nearest(completed[cell]) == value);
            tally.empty += u64::from(value == 0.0);
            tally.latest += u64::from(latest.map_or(0.0, |l| l[cell]) == value);
        }
        if occluded {
            tally.occluded += 1;
        } else {
            latest = Some(true_grid);
        }
    }
    // The RBM's reconstruction error on the episode's complete grids, before
    // and after its online learning.
    let complete: Vec<&Vec<f64>> = truth
        .iter()
        .zip(&shown)
        .filter(|(_, s)| !s.contains(&HIDDEN))
        .map(|(t, _)| t)
        .collect();
    let data = Array2::from_shape_fn((complete.len(), GRID), |(i, j)| {
        (complete[i][j] + 1.0) / 2.0
    });
    tally.rbm_before += rbm_features()
        .rbm()
        .reconstruction_error(data.view())
        .unwrap();
    tally.rbm_after += rbm.rbm().reconstruction_error(data.view()).unwrap();
    tally.episodes += 1;
}

fn main() {
    let mut levels = vec![Arc::new(Level::builtin("1-1").unwrap())];
    for (seed, difficulty) in [(1, 0), (2, 2), (3, 4)] {
        levels.push(Arc::new(generate(seed, difficulty, 150).unwrap()));
    }
    let mut tally = Tally::default();
    for level in &levels {
        for seed in 0..10 {
            play(level.clone(), seed, &mut tally);
        }
    }
    let share = |n: u64| 100.0 * n as f64 / tally.hidden as f64;
    println!(
        "{} episodes, {} observations ({} occluded), {} hidden cells",
        tally.episodes, tally.observations, tally.occluded, tally.hidden
    );
    println!("hidden cells restored to their true value:");
    println!(
        "  Hopfield memory (16 grids, β = 1)   {:5.1}%",
        share(tally.hopfield)
    );
    println!(
        "  guess \"empty\" (0)                   {:5.1}%",
        share(tally.empty)
    );
    println!(
        "  copy of the latest complete grid    {:5.1}%",
        share(tally.latest)
    );
    let episodes = tally.episodes as f64;
    println!(
        "RBM reconstruction error per visible unit on the episode's complete grids: {:.4} before, {:.4} after the episode's online learning",
        tally.rbm_before / episodes,
        tally.rbm_after / episodes
    );
}
