//! `sprout bench generation`: where the time of a NEAT generation goes.
//!
//! A population of the asked size evolves for a few generations, and each
//! generation's wall time is split into its phases: compiling the genomes into
//! networks, evaluating them, speciation, reproduction (sharing, allocation,
//! crossover, mutation) and the rest (statistics, the success check). Runs use
//! the ordinary [`Evolution::step_with`], so the generations are the ones a run
//! makes; only the evaluator differs from [`sprout_evolve::Local`] in that it
//! compiles the whole generation before evaluating it, so the two halves can be
//! timed apart.

use std::cell::Cell;
use std::fmt;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use sprout_evolve::evaluator::{Batch, Evaluator, Outcome};
use sprout_evolve::{Evolution, EvolveError, NetworkAgent, TaskDescription, evaluate_agent};
use sprout_genome::{ConnGene, Genome, NodeGene};

use crate::error::LabError;
use crate::tasks::builtin_experiment;

/// What `sprout bench generation` measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationRequest {
    /// The embedded experiment (`configs/<name>.ron`) whose task and NEAT
    /// settings are used.
    pub experiment: String,
    /// Genomes per generation (replaces the experiment's `population_size`).
    pub population: usize,
    /// Generations measured, from generation 0.
    pub generations: u64,
    /// The run seed.
    pub seed: u64,
}

/// The per-phase breakdown; every time is wall-clock nanoseconds per genome per
/// generation, averaged over the generations measured, and the phases add up
/// to `ns_per_genome`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenerationReport {
    /// The experiment.
    pub experiment: String,
    /// Genomes per generation.
    pub population: usize,
    /// Generations measured.
    pub generations: u64,
    /// Worker threads.
    pub threads: usize,
    /// A whole generation.
    pub ns_per_genome: f64,
    /// Compiling genomes into networks (with their lifetime modules).
    pub compile_ns_per_genome: f64,
    /// Evaluating the compiled networks on the task.
    pub evaluation_ns_per_genome: f64,
    /// Sorting genomes into species.
    pub speciation_ns_per_genome: f64,
    /// Fitness sharing, offspring allocation, crossover and mutation.
    pub reproduction_ns_per_genome: f64,
    /// Statistics, the success check, and the evaluator's bookkeeping.
    pub other_ns_per_genome: f64,
    /// Memory of a genome of the last generation (the struct and its gene
    /// vectors' allocations), averaged over the population.
    pub bytes_per_genome: f64,
    /// Species per generation, averaged.
    pub species_mean: f64,
    /// Enabled connections per genome in the last generation, averaged.
    pub connections_mean: f64,
}

/// Evaluates like [`sprout_evolve::Local`], but compiles every genome before
/// evaluating any, and keeps the seconds each half took.
#[derive(Default)]
struct Phased {
    compile: Cell<f64>,
    evaluate: Cell<f64>,
}

impl Evaluator for Phased {
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, EvolveError> {
        let clock = Instant::now();
        let mut agents: Vec<NetworkAgent> = batch
            .genomes
            .par_iter()
            .map(|genome| NetworkAgent::new(genome, batch.neat))
            .collect();
        self.compile
            .set(self.compile.get() + clock.elapsed().as_secs_f64());
        let clock = Instant::now();
        let outcomes = agents
            .par_iter_mut()
            .zip(batch.genomes)
            .map(|(agent, genome)| {
                let (task, neat) = (batch.task, batch.neat);
                evaluate_agent(task, agent, genome, neat, batch.seed, batch.generation)
            })
            .collect();
        self.evaluate
            .set(self.evaluate.get() + clock.elapsed().as_secs_f64());
        Ok(outcomes)
    }
}

/// Bytes a genome holds: the struct and the allocations of its gene vectors.
fn genome_bytes(genome: &Genome) -> usize {
    size_of::<Genome>()
        + genome.nodes.capacity() * size_of::<NodeGene>()
        + genome.conns.capacity() * size_of::<ConnGene>()
        + genome.module_params.capacity() * size_of::<f64>()
}

/// Evolves `request.population` genomes of the experiment for
/// `request.generations` generations on the current rayon pool and reports
/// where the time went.
pub fn generation(request: &GenerationRequest) -> Result<GenerationReport, LabError> {
    let mut experiment = builtin_experiment(&request.experiment)?;
    experiment.neat.population_size = request.population;
    experiment
        .neat
        .validate()
        .map_err(|e| LabError::Request(format!("--population {}: {e}", request.population)))?;
    let task = experiment
        .task
        .build()
        .map_err(|e| LabError::Task(e.to_string()))?;
    let (task, neat) = (task.as_ref(), &experiment.neat);
    let mut evolution = Evolution::new(neat, task, request.seed);
    let phased = Phased::default();
    let (mut total, mut speciation, mut reproduction, mut species) = (0.0, 0.0, 0.0, 0usize);
    for _ in 0..request.generations {
        let stats = evolution.step_with(neat, task, &phased)?;
        total += stats.seconds;
        speciation += stats.phases.speciation_seconds;
        reproduction += stats.phases.reproduction_seconds;
        species += stats.species;
    }
    let genomes = &evolution.population.genomes;
    let n = genomes.len() as f64;
    let per_genome = |seconds: f64| seconds * 1e9 / (n * request.generations.max(1) as f64);
    let (compile, evaluate) = (phased.compile.get(), phased.evaluate.get());
    Ok(GenerationReport {
        experiment: request.experiment.clone(),
        population: genomes.len(),
        generations: request.generations,
        threads: rayon::current_num_threads(),
        ns_per_genome: per_genome(total),
        compile_ns_per_genome: per_genome(compile),
        evaluation_ns_per_genome: per_genome(evaluate),
        speciation_ns_per_genome: per_genome(speciation),
        reproduction_ns_per_genome: per_genome(reproduction),
        other_ns_per_genome: per_genome(total - compile - evaluate - speciation - reproduction),
        bytes_per_genome: genomes.iter().map(genome_bytes).sum::<usize>() as f64 / n,
        species_mean: species as f64 / request.generations.max(1) as f64,
        connections_mean: genomes
            .iter()
            .map(|g| g.enabled_count() as f64)
            .sum::<f64>()
            / n,
    })
}

impl fmt::Display for GenerationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "bench generation: {}, population {}, {} generations, {} threads ({:.1} species, {:.1} connections per genome)",
            self.experiment,
            self.population,
            self.generations,
            self.threads,
            self.species_mean,
            self.connections_mean
        )?;
        let share = |ns: f64| 100.0 * ns / self.ns_per_genome;
        for (phase, ns) in [
            ("compile", self.compile_ns_per_genome),
            ("evaluation", self.evaluation_ns_per_genome),
            ("speciation", self.speciation_ns_per_genome),
            ("reproduction", self.reproduction_ns_per_genome),
            ("other", self.other_ns_per_genome),
        ] {
            writeln!(f, "  {phase:<13}{ns:>10.1} ns/genome {:>5.1}%", share(ns))?;
        }
        write!(
            f,
            "  {:<13}{:>10.1} ns/genome, {:.0} bytes per genome",
            "generation", self.ns_per_genome, self.bytes_per_genome
        )
    }
}
