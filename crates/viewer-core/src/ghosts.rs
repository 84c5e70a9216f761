//! The whole generation at once: every genome of one generation (or its top K,
//! or one species) playing the same level side by side, each exactly as
//! evaluation plays it. The window draws them as translucent ghosts coloured by
//! species, the fittest opaque on top, and follows the one furthest ahead.
//!
//! Evaluation is deterministic, so the ghosts are replayed from the genomes
//! alone: nothing here touches evolution.

use std::sync::Arc;

use sprout_evolve::evaluator::{Batch, Outcome};
use sprout_evolve::{Evaluator, Evolution, EvolveError, Local};
use sprout_genome::{Genome, GenomeId, NeatConfig, Population, Species, SpeciesId};
use sprout_platformer::{Level, PlatformerTask, PlaySettings, Status, Variations};

use crate::show::{END_PAUSE_TICKS, Show};

/// One generation's genomes with their species and fitness.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Which generation.
    pub number: u64,
    /// Its genomes, in population order.
    pub genomes: Vec<Genome>,
    /// Each genome's species (`None`: its species ended with this generation).
    pub species: Vec<Option<SpeciesId>>,
    /// Each genome's fitness.
    pub fitness: Vec<f64>,
    /// The levels it played; ghosts play the first.
    pub levels: Vec<Arc<Level>>,
}

impl Generation {
    /// A generation from its genomes, their fitness and the species whose
    /// `members` index them.
    ///
    /// # Panics
    /// If `fitness` does not have one value per genome.
    pub fn new(
        number: u64,
        genomes: Vec<Genome>,
        fitness: Vec<f64>,
        species: &[Species],
        levels: Vec<Arc<Level>>,
    ) -> Self {
        assert_eq!(genomes.len(), fitness.len(), "one fitness per genome");
        let mut of = vec![None; genomes.len()];
        for s in species {
            for &m in &s.members {
                if let Some(slot) = of.get_mut(m) {
                    *slot = Some(s.id);
                }
            }
        }
        Generation {
            number,
            genomes,
            species: of,
            fitness,
            levels,
        }
    }

    /// The generation `population` holds, waiting to be evaluated (as in a
    /// checkpoint): sorted into species exactly as the run's next step will,
    /// with the fitness its evaluation gives.
    pub fn waiting(
        population: &Population,
        neat: &NeatConfig,
        fitness: Vec<f64>,
        levels: Vec<Arc<Level>>,
    ) -> Self {
        let mut sorted = population.clone();
        sorted.speciate(neat);
        Generation::new(
            population.generation,
            population.genomes.clone(),
            fitness,
            &sorted.species,
            levels,
        )
    }

    /// The generation a run's state holds, waiting to be evaluated (a
    /// checkpoint's), scored here as the run will score it (on the current
    /// rayon pool).
    pub fn of_checkpoint(
        evolution: &Evolution,
        neat: &NeatConfig,
        task: &PlatformerTask,
    ) -> Result<Self, EvolveError> {
        let population = &evolution.population;
        let outcomes = Local.evaluate(&Batch {
            task,
            neat,
            seed: evolution.seed,
            generation: population.generation,
            genomes: &population.genomes,
        })?;
        let fitness = outcomes.iter().map(|(e, _)| e.fitness).collect();
        let levels = task.levels(population.generation).to_vec();
        Ok(Generation::waiting(population, neat, fitness, levels))
    }

    /// The index of the fittest genome (the first of equals).
    pub fn fittest(&self) -> Option<usize> {
        first_max(&self.fitness)
    }

    /// The pick after `current` when N is pressed: the whole generation →
    /// each species in id order → the whole generation again.
    pub fn next_pick(&self, current: Pick) -> Pick {
        let mut ids: Vec<SpeciesId> = self.species.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let next = match current {
            Pick::All | Pick::Top(_) => ids.first(),
            Pick::Species(id) => ids.iter().find(|&&s| s > id),
        };
        next.map_or(Pick::All, |&id| Pick::Species(id))
    }

    /// The genomes `pick` selects, in population order.
    pub fn picked(&self, pick: Pick) -> Vec<usize> {
        match pick {
            Pick::All => (0..self.genomes.len()).collect(),
            Pick::Top(k) => {
                let mut order: Vec<usize> = (0..self.genomes.len()).collect();
                order.sort_by(|&a, &b| self.fitness[b].total_cmp(&self.fitness[a]).then(a.cmp(&b)));
                order.truncate(k);
                order.sort_unstable();
                order
            }
            Pick::Species(id) => (0..self.genomes.len())
                .filter(|&i| self.species[i] == Some(id))
                .collect(),
        }
    }
}

/// Which genomes of a generation play as ghosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// Every genome.
    #[default]
    All,
    /// The K fittest.
    Top(usize),
    /// The members of one species.
    Species(SpeciesId),
}

/// An evaluator that keeps a copy of the last generation it scored (genomes
/// and fitness), so a viewer can replay it after the run has bred the next.
pub struct Recorder<'a> {
    inner: &'a (dyn Evaluator + Sync),
    last: std::sync::Mutex<Option<(Vec<Genome>, Vec<f64>)>>,
}

impl<'a> Recorder<'a> {
    /// Records what `inner` evaluates.
    pub fn new(inner: &'a (dyn Evaluator + Sync)) -> Self {
        Recorder {
            inner,
            last: std::sync::Mutex::default(),
        }
    }

    /// The last generation scored (genomes as evaluated, fitness), once.
    pub fn take(&self) -> Option<(Vec<Genome>, Vec<f64>)> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Evaluator for Recorder<'_> {
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, sprout_evolve::EvolveError> {
        let outcomes = self.inner.evaluate(batch)?;
        let fitness = outcomes.iter().map(|(e, _)| e.fitness).collect();
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((batch.genomes.to_vec(), fitness));
        Ok(outcomes)
    }
}

/// One ghost: a genome playing, with its species and recorded fitness.
#[derive(Debug)]
pub struct Ghost {
    /// It playing.
    pub show: Show,
    /// Its genome.
    pub id: GenomeId,
    /// Its species.
    pub species: Option<SpeciesId>,
    /// Its fitness in the generation's evaluation.
    pub fitness: f64,
}

impl Ghost {
    /// Whether it died (fell or was hit): dead ghosts are not drawn.
    pub fn dead(&self) -> bool {
        matches!(self.show.world().status(), Status::Dead(_))
    }
}

/// A generation's ghosts playing one level together.
#[derive(Debug)]
pub struct Ghosts {
    ghosts: Vec<Ghost>,
    champion: usize,
    generation: u64,
    pick: Pick,
    ended_for: u32,
}

impl Ghosts {
    /// The genomes of `generation` that `pick` selects, each compiled as
    /// `neat` says, on the generation's first level; `None` when the pick
    /// selects nobody (a species that died out) or the generation played no
    /// level.
    pub fn new(
        generation: &Generation,
        pick: Pick,
        play: PlaySettings,
        variations: Variations,
        neat: &NeatConfig,
    ) -> Option<Self> {
        let level = generation.levels.first()?;
        let picked = generation.picked(pick);
        let ghosts: Vec<Ghost> = picked
            .iter()
            .map(|&i| Ghost {
                show: Show::of_genome(
                    play,
                    variations,
                    vec![level.clone()],
                    &generation.genomes[i],
                    neat,
                ),
                id: generation.genomes[i].id,
                species: generation.species[i],
                fitness: generation.fitness[i],
            })
            .collect();
        let fitness: Vec<f64> = ghosts.iter().map(|g| g.fitness).collect();
        let champion = first_max(&fitness)?;
        Some(Ghosts {
            ghosts,
            champion,
            generation: generation.number,
            pick,
            ended_for: 0,
        })
    }

    /// One tick for every ghost still playing; once all have ended and the
    /// last frame has stayed up for a moment, they all start again.
    pub fn step(&mut self) {
        if self.ended() {
            self.ended_for += 1;
            if self.ended_for >= END_PAUSE_TICKS {
                self.restart();
            }
            return;
        }
        for ghost in &mut self.ghosts {
            if ghost.show.end().is_none() {
                ghost.show.step(sprout_platformer::Buttons::NONE);
            }
        }
    }

    /// Every ghost starts the level again.
    pub fn restart(&mut self) {
        for ghost in &mut self.ghosts {
            ghost.show.restart();
        }
        self.ended_for = 0;
    }

    /// Whether every ghost's episode has ended.
    pub fn ended(&self) -> bool {
        self.ghosts.iter().all(|g| g.show.end().is_some())
    }

    /// The ghosts.
    pub fn ghosts(&self) -> &[Ghost] {
        &self.ghosts
    }

    /// The fittest ghost, drawn opaque (its overlay and enemies are shown).
    pub fn champion(&self) -> &Ghost {
        &self.ghosts[self.champion]
    }

    /// The index of the fittest ghost.
    pub fn champion_index(&self) -> usize {
        self.champion
    }

    /// The ghost furthest right among those alive (the champion when all
    /// died): the camera follows it.
    pub fn leader(&self) -> &Ghost {
        self.ghosts
            .iter()
            .filter(|g| !g.dead())
            .max_by_key(|g| g.show.world().player().x)
            .unwrap_or(self.champion())
    }

    /// Ticks played: the longest episode's.
    pub fn tick(&self) -> u32 {
        self.ghosts
            .iter()
            .map(|g| g.show.world().tick())
            .max()
            .unwrap_or(0)
    }

    /// Ghosts not dead.
    pub fn alive(&self) -> usize {
        self.ghosts.iter().filter(|g| !g.dead()).count()
    }

    /// Which generation they come from.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Which genomes of it.
    pub fn pick(&self) -> Pick {
        self.pick
    }
}

/// The index of the largest value (the first of equals).
fn first_max(values: &[f64]) -> Option<usize> {
    (0..values.len()).reduce(|best, i| if values[i] > values[best] { i } else { best })
}

/// A species' colour: hues spread by the golden ratio so neighbouring ids
/// differ, fully saturated enough to read through translucency; grey for
/// genomes whose species ended. sRGB, each 0..=1.
pub fn species_color(species: Option<SpeciesId>) -> [f32; 3] {
    let Some(id) = species else {
        return [0.75, 0.75, 0.75];
    };
    let hue = (id as f64 * 0.618_033_988_749_895).fract() as f32 * 6.0;
    let (s, v) = (0.8f32, 1.0f32);
    let c = v * s;
    let x = c * (1.0 - (hue % 2.0 - 1.0).abs());
    let (r, g, b) = match hue as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    [r + m, g + m, b + m]
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_evolve::{Local, NetworkAgent};
    use sprout_platformer::{PlatformerConfig, PlatformerTask};

    fn generation(size: usize) -> (Generation, NeatConfig, PlatformerTask) {
        let task = PlatformerTask::new(PlatformerConfig::default()).unwrap();
        let neat = NeatConfig {
            population_size: size,
            ..NeatConfig::default()
        };
        let mut population = Population::new(&neat, task.play_settings().sensors.len(), 5, 11);
        // Weight noise so the genomes play differently.
        for (k, g) in population.genomes.iter_mut().enumerate() {
            for (j, c) in g.conns.iter_mut().enumerate() {
                c.weight = ((k * 7 + j * 13) % 17) as f64 / 4.0 - 2.0;
            }
        }
        let fitness = population
            .genomes
            .iter()
            .map(|g| sprout_evolve::evaluate(&task, g, &neat, 5, population.generation).fitness)
            .collect();
        let levels = task.levels(population.generation).to_vec();
        (
            Generation::waiting(&population, &neat, fitness, levels),
            neat,
            task,
        )
    }

    #[test]
    fn every_ghost_plays_exactly_as_its_evaluation() {
        let (generation, neat, task) = generation(12);
        let level = generation.levels[0].clone();
        let play = *task.play_settings();
        let mut ghosts = Ghosts::new(&generation, Pick::All, play, Variations::default(), &neat)
            .expect("ghosts");
        while !ghosts.ended() {
            ghosts.step();
        }
        for (ghost, genome) in ghosts.ghosts().iter().zip(&generation.genomes) {
            let mut agent = NetworkAgent::new(genome, &neat);
            let report = play.play(&level, &mut agent, &mut Vec::new(), false);
            assert_eq!(ghost.id, genome.id);
            assert_eq!(
                ghost.show.episode().fitness().to_bits(),
                report.fitness.to_bits(),
                "genome {}",
                genome.id
            );
        }
    }

    #[test]
    fn picks_select_the_fittest_or_one_species_and_the_champion_is_the_fittest() {
        let (generation, neat, task) = generation(20);
        let play = *task.play_settings();
        let variations = Variations::default();
        let top = Ghosts::new(&generation, Pick::Top(3), play, variations, &neat).unwrap();
        assert_eq!(top.ghosts().len(), 3);
        let best = generation.fittest().unwrap();
        assert_eq!(top.champion().id, generation.genomes[best].id);
        let floor = top
            .ghosts()
            .iter()
            .map(|g| g.fitness)
            .fold(f64::INFINITY, f64::min);
        let above = generation.fitness.iter().filter(|&&f| f > floor).count();
        assert!(above < 3, "only the top three are picked");

        let id = generation.species[0].expect("every waiting genome has a species");
        let one = Ghosts::new(&generation, Pick::Species(id), play, variations, &neat).unwrap();
        assert!(one.ghosts().iter().all(|g| g.species == Some(id)));
        assert_eq!(
            one.ghosts().len(),
            generation
                .species
                .iter()
                .filter(|&&s| s == Some(id))
                .count()
        );
        assert!(Ghosts::new(&generation, Pick::Species(9999), play, variations, &neat).is_none());
    }

    #[test]
    fn n_cycles_the_ghosts_through_each_species_and_back_to_all() {
        let (generation, ..) = generation(20);
        let mut ids: Vec<SpeciesId> = generation.species.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut pick = Pick::Top(5);
        let mut seen = Vec::new();
        for _ in 0..=ids.len() {
            pick = generation.next_pick(pick);
            seen.push(pick);
        }
        let mut expected: Vec<Pick> = ids.iter().map(|&id| Pick::Species(id)).collect();
        expected.push(Pick::All);
        assert_eq!(seen, expected);
    }

    #[test]
    fn ghosts_restart_together_once_all_have_ended() {
        let (generation, neat, task) = generation(6);
        let play = *task.play_settings();
        let mut ghosts =
            Ghosts::new(&generation, Pick::All, play, Variations::default(), &neat).unwrap();
        while !ghosts.ended() {
            ghosts.step();
        }
        for _ in 0..END_PAUSE_TICKS {
            assert!(ghosts.ended(), "they wait together");
            ghosts.step();
        }
        assert!(ghosts.ghosts().iter().all(|g| g.show.world().tick() == 0));
        assert!(!ghosts.ended());
    }

    #[test]
    fn the_recorder_keeps_the_generation_it_scored() {
        let (generation, neat, task) = generation(4);
        let recorder = Recorder::new(&Local);
        let batch = Batch {
            task: &task,
            neat: &neat,
            seed: 5,
            generation: generation.number,
            genomes: &generation.genomes,
        };
        let outcomes = recorder.evaluate(&batch).unwrap();
        let (genomes, fitness) = recorder.take().expect("recorded");
        assert_eq!(genomes, generation.genomes);
        assert_eq!(fitness, generation.fitness);
        assert_eq!(outcomes.len(), 4);
        assert!(recorder.take().is_none(), "taken once");
    }

    #[test]
    fn neighbouring_species_get_distinct_colours() {
        for id in 0..50u64 {
            let [a, b] = [species_color(Some(id)), species_color(Some(id + 1))];
            let diff: f32 = a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum();
            assert!(diff > 0.3, "species {id} and {}: {a:?} {b:?}", id + 1);
            assert!(a.iter().all(|c| (0.0..=1.0).contains(c)));
        }
        assert_eq!(species_color(None), [0.75; 3]);
    }
}
