//! Where a generation's genomes are scored: the evaluation back end of the
//! runner. [`Local`] evaluates on the current rayon pool; a back end that farms
//! the work out to other processes or machines implements [`Evaluator`] too.
//! Every evaluation is a pure function of (run seed, generation, genome id,
//! genome), so any back end that returns each genome's own outcome, in genome
//! order, gives the same run bit for bit.

use rayon::prelude::*;
use sprout_genome::{Genome, NeatConfig};
use sprout_task::{Evaluation, Task};

use crate::agent::evaluate_learned;
use crate::error::EvolveError;

/// One generation's evaluations to do.
pub struct Batch<'a> {
    /// The task.
    pub task: &'a dyn Task,
    /// The experiment's NEAT settings (lifetime modules, Lamarckian write-back).
    pub neat: &'a NeatConfig,
    /// The run seed.
    pub seed: u64,
    /// The generation being evaluated.
    pub generation: u64,
    /// The genomes, in population order.
    pub genomes: &'a [Genome],
}

/// What one evaluation returns: the evaluation, and with `neat.lamarckian` the
/// genome with the weights it learned.
pub type Outcome = (Evaluation, Option<Genome>);

/// An evaluation back end.
pub trait Evaluator {
    /// Evaluates every genome of `batch`; the outcomes come back in genome order,
    /// one per genome.
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, EvolveError>;
}

/// Evaluation on this machine, on the current rayon pool (`par_iter` keeps
/// genome order whatever the thread count).
#[derive(Debug, Clone, Copy, Default)]
pub struct Local;

impl Evaluator for Local {
    fn evaluate(&self, batch: &Batch<'_>) -> Result<Vec<Outcome>, EvolveError> {
        Ok(batch
            .genomes
            .par_iter()
            .map(|genome| {
                evaluate_learned(batch.task, genome, batch.neat, batch.seed, batch.generation)
            })
            .collect())
    }
}
