//! A run in progress: evaluate a generation in parallel, record it, breed the
//! next.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sprout_genome::{Genome, NeatConfig, Population, SpeciesId, SpeciesSummary, SuccessCheck};

use crate::agent::NetworkAgent;
use crate::error::EvolveError;
use crate::evaluator::{Batch, Evaluator, Local};
use crate::seed::{evaluation_context, master_seed};
use crate::stats::{GenerationStats, PhaseSeconds};
use sprout_task::{Evaluation, Task, Verdict};

/// Which genome a run saves as its champion when none has solved the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ChampionChoice {
    /// The highest fitness seen in any generation.
    #[default]
    BestEver,
    /// The fittest genome of the last generation. For tasks whose levels or
    /// conditions change between generations, fitness from different
    /// generations is not comparable, and the best-ever genome is mostly the one
    /// that met the easiest conditions.
    LatestGeneration,
}

/// How long [`Evolution::run_until`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The generation count to reach (a total: a resumed run counts the
    /// generations it already has).
    pub generations: u64,
    /// Stop as soon as a genome passes the task's success check.
    pub stop_when_solved: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// All generations ran.
    Finished,
    /// A champion passed the success check.
    Solved,
    /// Stopped by the flag (Ctrl-C, a signal, a closed window).
    Interrupted,
}

/// A genome with the evaluation that made it notable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Champion {
    /// The genome, id included (replay re-derives its evaluation seed from it).
    pub genome: Genome,
    /// The generation it was evaluated in.
    pub generation: u64,
    /// Its evaluation.
    pub evaluation: Evaluation,
    /// The result of the task's success check, when it was run.
    pub verdict: Option<Verdict>,
}

/// The complete state of a run. Serializing it is a checkpoint from which the run
/// continues bit-identically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evolution {
    /// The run seed.
    pub seed: u64,
    /// Genomes, species, innovations and the master RNG.
    pub population: Population,
    /// One entry per evaluated generation.
    pub history: Vec<GenerationStats>,
    /// Evaluations so far.
    pub evaluations: u64,
    /// The fittest genome seen so far.
    pub best: Option<Champion>,
    /// The first genome that passed the success check.
    pub solution: Option<Champion>,
    /// The fittest genome of the latest evaluated generation.
    #[serde(default)]
    pub latest: Option<Champion>,
    /// The species of the latest evaluated generation as they stood when it was
    /// bred, each with its fittest member (what a viewer shows per species).
    #[serde(default)]
    pub species: Vec<SpeciesSummary>,
    /// Species whose champion `SuccessCheck::SpeciesRotation` has tested since
    /// they last improved.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub checked_species: BTreeSet<SpeciesId>,
}

impl Evolution {
    /// A new run of `task`: generation 0 built from `seed`. The genomes'
    /// widths are computed here, and only here: the task's observations plus
    /// the inputs that `neat.lifetime` modules append (`neat.genome_inputs`),
    /// and the task's actions plus any modulatory output.
    pub fn new(neat: &NeatConfig, task: &dyn Task, seed: u64) -> Self {
        let inputs = neat.genome_inputs(task.inputs());
        Self {
            seed,
            population: Population::new(neat, inputs, task.outputs(), master_seed(seed)),
            history: Vec::new(),
            evaluations: 0,
            best: None,
            solution: None,
            latest: None,
            species: Vec::new(),
            checked_species: BTreeSet::new(),
        }
    }

    /// The generation about to be evaluated.
    pub fn generation(&self) -> u64 {
        self.population.generation
    }

    /// Whether a genome has passed the success check.
    pub fn solved(&self) -> bool {
        self.solution.is_some()
    }

    /// What to save as the run's champion: the solution if there is one, else the
    /// fittest genome seen, or the latest generation's fittest when `choice` says
    /// so.
    pub fn champion(&self, choice: ChampionChoice) -> Option<&Champion> {
        let fallback = match choice {
            ChampionChoice::BestEver => &self.best,
            ChampionChoice::LatestGeneration => &self.latest,
        };
        self.solution.as_ref().or(fallback.as_ref())
    }

    /// Steps generations until `budget.generations` have been evaluated, a
    /// genome passes the success check (when `budget.stop_when_solved`), or
    /// `stop` is raised (checked between generations). `after_generation` sees
    /// each generation's statistics and the state after it, and can end the
    /// loop with an error (a checkpoint that could not be written). This is the
    /// one evolve-until-done loop: runs, benchmarks and tests all use it.
    pub fn run_until(
        &mut self,
        neat: &NeatConfig,
        task: &dyn Task,
        evaluator: &dyn Evaluator,
        budget: Budget,
        stop: &AtomicBool,
        mut after_generation: impl FnMut(&GenerationStats, &Evolution) -> Result<(), EvolveError>,
    ) -> Result<Ending, EvolveError> {
        loop {
            if budget.stop_when_solved && self.solved() {
                return Ok(Ending::Solved);
            }
            if self.generation() >= budget.generations {
                return Ok(Ending::Finished);
            }
            if stop.load(Ordering::SeqCst) {
                return Ok(Ending::Interrupted);
            }
            let stats = self.step_with(neat, task, evaluator)?.clone();
            after_generation(&stats, self)?;
        }
    }

    /// [`Evolution::run_with`] on this machine ([`Local`]).
    pub fn run(
        &mut self,
        neat: &NeatConfig,
        task: &dyn Task,
        budget: Budget,
    ) -> Result<Ending, EvolveError> {
        self.run_with(neat, task, &Local, budget)
    }

    /// [`Evolution::run_until`] with no stop flag and nothing to do between
    /// generations (benchmarks and tests).
    pub fn run_with(
        &mut self,
        neat: &NeatConfig,
        task: &dyn Task,
        evaluator: &dyn Evaluator,
        budget: Budget,
    ) -> Result<Ending, EvolveError> {
        let never = AtomicBool::new(false);
        self.run_until(neat, task, evaluator, budget, &never, |_, _| Ok(()))
    }

    /// Runs one generation, evaluated on this machine ([`Local`]): see
    /// [`Evolution::step_with`].
    pub fn step(
        &mut self,
        neat: &NeatConfig,
        task: &dyn Task,
    ) -> Result<&GenerationStats, EvolveError> {
        self.step_with(neat, task, &Local)
    }

    /// Runs one generation: `evaluator` scores every genome (results in genome
    /// order), then, on this thread, statistics are recorded, the champion is
    /// checked and the next generation is bred.
    pub fn step_with(
        &mut self,
        neat: &NeatConfig,
        task: &dyn Task,
        evaluator: &dyn Evaluator,
    ) -> Result<&GenerationStats, EvolveError> {
        let started = Instant::now();
        let generation = self.population.generation;
        // With `neat.lamarckian`, each evaluation also returns its genome with
        // the weights learned during it.
        let outcomes = evaluator.evaluate(&Batch {
            task,
            neat,
            seed: self.seed,
            generation,
            genomes: &self.population.genomes,
        })?;
        let mut phases = PhaseSeconds {
            evaluation_seconds: started.elapsed().as_secs_f64(),
            ..PhaseSeconds::default()
        };
        assert_eq!(
            outcomes.len(),
            self.population.genomes.len(),
            "an evaluator returns one outcome per genome"
        );
        let (evaluations, learned): (Vec<Evaluation>, Vec<Option<Genome>>) =
            outcomes.into_iter().unzip();
        let fitness: Vec<f64> = evaluations.iter().map(|e| e.fitness).collect();
        if let Some((i, &bad)) = fitness.iter().enumerate().find(|(_, f)| !f.is_finite()) {
            return Err(EvolveError::NonFiniteFitness {
                task: task.name().to_string(),
                genome: self.population.genomes[i].id,
                generation,
                fitness: bad,
            });
        }
        self.evaluations += evaluations.len() as u64;

        let best_index = argmax(&fitness);
        let best = self.champion_at(best_index, &evaluations);
        if self
            .best
            .as_ref()
            .is_none_or(|b| best.evaluation.fitness > b.evaluation.fitness)
        {
            self.best = Some(best.clone());
        }
        self.latest = Some(best);

        let genomes = &self.population.genomes;
        let n = genomes.len() as f64;
        let mean_fitness = fitness.iter().sum::<f64>() / n;
        let mean_nodes = genomes.iter().map(|g| g.nodes.len() as f64).sum::<f64>() / n;
        let mean_connections = genomes
            .iter()
            .map(|g| g.enabled_count() as f64)
            .sum::<f64>()
            / n;
        // The success check runs after breeding (`SpeciesRotation` needs this
        // generation's species) on a genome as it was evaluated: keep what it
        // needs before Lamarckian runs overwrite the genomes with what they
        // learned, which is what they breed from.
        let fittest = (neat.success_check == SuccessCheck::Fittest).then(|| {
            let i = self.fittest_candidate(&evaluations, best_index);
            (i, self.population.genomes[i].clone())
        });
        let evaluated = (fittest.is_none() && learned.iter().any(Option::is_some))
            .then(|| self.population.genomes.clone());
        for (genome, learned) in self.population.genomes.iter_mut().zip(learned) {
            if let Some(learned) = learned {
                *genome = learned;
            }
        }
        let clock = Instant::now();
        self.population.speciate(neat);
        phases.speciation_seconds = clock.elapsed().as_secs_f64();
        let clock = Instant::now();
        self.species = self.population.reproduce(&fitness, neat);
        phases.reproduction_seconds = clock.elapsed().as_secs_f64();
        let (candidate, genome) = fittest.unwrap_or_else(|| {
            let champion = self.rotation_candidate();
            let i = champion.champion_index;
            (
                i,
                evaluated.map_or_else(|| champion.champion.clone(), |all| all[i].clone()),
            )
        });
        let mut agent = NetworkAgent::new(&genome, neat);
        let verdict = task.verify(&mut agent, &evaluations[candidate]);
        if verdict.solved && self.solution.is_none() {
            self.solution = Some(Champion {
                genome,
                generation,
                evaluation: evaluations[candidate],
                verdict: Some(verdict),
            });
        }
        let species = self.species.len();
        self.history.push(GenerationStats {
            generation,
            best_fitness: fitness[best_index],
            mean_fitness,
            species,
            mean_nodes,
            mean_connections,
            evaluations: self.evaluations,
            solved: verdict.solved,
            verdict_score: verdict.score,
            seconds: started.elapsed().as_secs_f64(),
            phases,
        });
        Ok(self.history.last().expect("just pushed"))
    }

    /// The fittest genome that claims success, or the fittest genome when none
    /// does ([`SuccessCheck::Fittest`]).
    fn fittest_candidate(&self, evaluations: &[Evaluation], best_index: usize) -> usize {
        evaluations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.solved)
            .max_by(|(i, a), (j, b)| a.fitness.total_cmp(&b.fitness).then(j.cmp(i)))
            .map_or(best_index, |(i, _)| i)
    }

    /// The champion [`SuccessCheck::SpeciesRotation`] tests in the generation
    /// just bred (experiments.cpp:921-963): species by best fitness, the first
    /// one not yet checked, else the best; a species that beat its record is
    /// unchecked again.
    fn rotation_candidate(&mut self) -> &SpeciesSummary {
        let mut order: Vec<usize> = (0..self.species.len()).collect();
        order.sort_by(|&a, &b| {
            self.species[b]
                .best_fitness
                .total_cmp(&self.species[a].best_fitness)
        });
        // Only species still alive that have not beaten their record keep their
        // mark.
        let alive: BTreeSet<SpeciesId> = self.population.species.iter().map(|s| s.id).collect();
        let improved: BTreeSet<SpeciesId> = self
            .species
            .iter()
            .filter(|s| s.improved)
            .map(|s| s.id)
            .collect();
        self.checked_species
            .retain(|id| alive.contains(id) && !improved.contains(id));
        let pick = order
            .iter()
            .copied()
            .find(|&i| !self.checked_species.contains(&self.species[i].id))
            .unwrap_or(order[0]);
        self.checked_species.insert(self.species[pick].id);
        &self.species[pick]
    }

    fn champion_at(&self, index: usize, evaluations: &[Evaluation]) -> Champion {
        Champion {
            genome: self.population.genomes[index].clone(),
            generation: self.population.generation,
            evaluation: evaluations[index],
            verdict: None,
        }
    }
}

/// Evaluates one genome exactly as a run does: a fresh agent and the evaluation
/// context derived from (run seed, generation, genome id). Replay calls this too.
pub fn evaluate(
    task: &dyn Task,
    genome: &Genome,
    neat: &NeatConfig,
    seed: u64,
    generation: u64,
) -> Evaluation {
    let mut agent = NetworkAgent::new(genome, neat);
    let mut ctx = evaluation_context(seed, generation, genome.id);
    task.evaluate(&mut agent, &mut ctx)
}

/// Index of the largest value; the first on ties.
fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
