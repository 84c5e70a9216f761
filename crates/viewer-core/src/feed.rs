//! What the evolution thread tells the window: one report per generation, shared
//! behind a mutex that the window polls once per frame (never blocking evolution
//! for longer than a clone of an `Arc`).

use std::sync::{Arc, Mutex, MutexGuard};

use sprout_evolve::{ChampionChoice, Evolution, GenerationStats};
use sprout_genome::{Genome, SpeciesId};
use sprout_platformer::{Level, PlatformerTask};

use crate::ghosts::Generation;

/// One species of an evaluated generation.
#[derive(Debug, Clone)]
pub struct SpeciesRow {
    /// The species.
    pub id: SpeciesId,
    /// Members in the evaluated generation.
    pub size: usize,
    /// Best fitness among them.
    pub best_fitness: f64,
    /// Generations since it appeared.
    pub age: u64,
    /// Its fittest member.
    pub champion: Genome,
}

/// One evaluated generation, as the HUD and the player need it.
#[derive(Debug, Clone)]
pub struct GenerationReport {
    /// The generation that was evaluated.
    pub generation: u64,
    /// Its best fitness.
    pub best_fitness: f64,
    /// Its mean fitness.
    pub mean_fitness: f64,
    /// Evaluations since the run began.
    pub evaluations: u64,
    /// Evaluations per second during this generation.
    pub evals_per_second: f64,
    /// Its species, in id order.
    pub species: Vec<SpeciesRow>,
    /// The run's champion so far (what `evolve` would save).
    pub champion: Genome,
    /// The champion's fitness.
    pub champion_fitness: f64,
    /// The levels this generation played (the champion plays them in turn).
    pub levels: Vec<Arc<Level>>,
    /// The whole generation as evaluated, for the ghost view (when recorded).
    pub generation_members: Option<Arc<Generation>>,
}

impl GenerationReport {
    /// The report of the generation `stats` describes, from the run's state right
    /// after it: its species, the champion `choice` picks, and the levels `task`
    /// played in it; with `evaluated` (its genomes and fitness, from a
    /// [`Recorder`](crate::ghosts::Recorder)), the whole generation for ghosts.
    pub fn of_generation(
        stats: &GenerationStats,
        evolution: &Evolution,
        choice: ChampionChoice,
        task: &PlatformerTask,
        evaluated: Option<(Vec<Genome>, Vec<f64>)>,
    ) -> Self {
        let levels = task.levels(stats.generation).to_vec();
        // After breeding, the surviving species still list the evaluated
        // generation's members; genomes of species that died out have none.
        let generation_members = evaluated.map(|(genomes, fitness)| {
            Arc::new(Generation::new(
                stats.generation,
                genomes,
                fitness,
                &evolution.population.species,
                levels.clone(),
            ))
        });
        let champion = evolution
            .champion(choice)
            .expect("a generation has been evaluated");
        let evaluated: usize = evolution.species.iter().map(|s| s.size).sum();
        GenerationReport {
            generation: stats.generation,
            best_fitness: stats.best_fitness,
            mean_fitness: stats.mean_fitness,
            evaluations: stats.evaluations,
            evals_per_second: evaluated as f64 / stats.seconds.max(1e-9),
            species: evolution
                .species
                .iter()
                .map(|s| SpeciesRow {
                    id: s.id,
                    size: s.size,
                    best_fitness: s.best_fitness,
                    age: s.age,
                    champion: s.champion.clone(),
                })
                .collect(),
            champion: champion.genome.clone(),
            champion_fitness: champion.evaluation.fitness,
            levels,
            generation_members,
        }
    }
}

#[derive(Debug, Default)]
struct FeedState {
    version: u64,
    latest: Option<Arc<GenerationReport>>,
    /// (best, mean) fitness per generation, for the chart.
    history: Vec<[f64; 2]>,
    ended: Option<String>,
}

/// The channel from the evolution thread to the window. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Feed(Arc<Mutex<FeedState>>);

/// What the window reads when something changed.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Increases with every change.
    pub version: u64,
    /// The newest generation, if any has been evaluated.
    pub latest: Option<Arc<GenerationReport>>,
    /// (best, mean) fitness of every generation so far.
    pub history: Vec<[f64; 2]>,
    /// Set once evolution has stopped, with the reason.
    pub ended: Option<String>,
}

impl Feed {
    /// A feed that already holds the (best, mean) history of a resumed run.
    pub fn with_history(history: Vec<[f64; 2]>) -> Self {
        let feed = Feed::default();
        {
            let mut state = feed.state();
            state.history = history;
            state.version = 1;
        }
        feed
    }

    fn state(&self) -> MutexGuard<'_, FeedState> {
        // A poisoned lock means the other side panicked mid-update; the state is
        // still a complete value, so keep going.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes a generation.
    pub fn publish(&self, report: GenerationReport) {
        let mut state = self.state();
        state
            .history
            .push([report.best_fitness, report.mean_fitness]);
        state.latest = Some(Arc::new(report));
        state.version += 1;
    }

    /// Says that evolution has stopped, and why.
    pub fn end(&self, why: impl Into<String>) {
        let mut state = self.state();
        state.ended = Some(why.into());
        state.version += 1;
    }

    /// The current state, if it changed since `version`.
    pub fn since(&self, version: u64) -> Option<Snapshot> {
        let state = self.state();
        (state.version != version).then(|| Snapshot {
            version: state.version,
            latest: state.latest.clone(),
            history: state.history.clone(),
            ended: state.ended.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(generation: u64, best: f64) -> GenerationReport {
        GenerationReport {
            generation,
            best_fitness: best,
            mean_fitness: best / 2.0,
            evaluations: 10 * (generation + 1),
            evals_per_second: 100.0,
            species: Vec::new(),
            champion: sprout_genome::Population::new(&Default::default(), 2, 1, 0).genomes[0]
                .clone(),
            champion_fitness: best,
            levels: Vec::new(),
            generation_members: None,
        }
    }

    #[test]
    fn since_reports_only_changes() {
        let feed = Feed::with_history(vec![[1.0, 0.5]]);
        let first = feed.since(0).expect("history counts as unseen");
        assert!(first.latest.is_none());
        assert!(feed.since(first.version).is_none(), "nothing new");
        feed.publish(report(1, 4.0));
        let second = feed.since(first.version).expect("a new generation");
        assert_eq!(second.history, vec![[1.0, 0.5], [4.0, 2.0]]);
        assert_eq!(second.latest.as_ref().map(|r| r.generation), Some(1));
        feed.end("finished");
        let third = feed.since(second.version).expect("the end is news");
        assert_eq!(third.ended.as_deref(), Some("finished"));
    }
}
