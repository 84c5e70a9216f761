//! The [`Agent`] a task drives: a compiled network, with the experiment's
//! lifetime-learning modules around it.

use sprout_genome::{Genome, NeatConfig};
use sprout_network::Network;

use crate::lifetime::{Lifetime, write_back};
use crate::seed::evaluation_context;
use sprout_task::{Agent, Evaluation, Task, act_fresh_in_turn};

/// A network-backed agent.
///
/// Built by [`NetworkAgent::new`] for every evaluation, so every task gets the
/// experiment's lifetime learning: the network's own plasticity genes
/// (`neat.plasticity`) and the modules of `neat.lifetime` (see
/// [`crate::lifetime`]). Without either, [`Agent::act`] is the bare network.
#[derive(Debug, Clone)]
pub struct NetworkAgent {
    network: Network,
    /// Keep learned weights from episode to episode.
    lamarckian: bool,
    /// The lifetime modules, when `neat.lifetime` lists some.
    lifetime: Option<Box<Lifetime>>,
}

impl NetworkAgent {
    /// Compiles `genome` into an agent, stepping (and, with `neat.plasticity`,
    /// learning) as `neat` says, with the modules of `neat.lifetime` around it.
    /// Learned weights persist from one `act` to the next and go back to the
    /// genome's at [`Agent::reset`], unless `neat.lamarckian`.
    ///
    /// # Panics
    /// When the genome's input count does not fit `neat.lifetime` (no task
    /// observation count gives it; see
    /// [`NeatConfig::genome_inputs`]), or a module rejects its input range:
    /// checked when an experiment is loaded
    /// ([`NeatConfig::check_lifetime_inputs`]), so a programming error here.
    pub fn new(genome: &Genome, neat: &NeatConfig) -> Self {
        let mut network = Network::compile_for(genome, neat);
        let lifetime = (!neat.lifetime.is_empty()).then(|| {
            let observations = neat
                .observations_of(genome.inputs)
                .filter(|&o| neat.check_lifetime_inputs(o).is_ok())
                .unwrap_or_else(|| {
                    panic!(
                        "a genome with {} inputs does not fit neat.lifetime: genomes need \
                         NeatConfig::genome_inputs(task inputs) inputs (pass that to Evolution::new)",
                        genome.inputs
                    )
                });
            let lifetime = Lifetime::new(&mut network, neat, observations, &genome.module_params)
                .unwrap_or_else(|e| panic!("{e}"));
            Box::new(lifetime)
        });
        Self {
            network,
            lamarckian: neat.lamarckian,
            lifetime,
        }
    }

    /// The compiled network, for viewers.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The lifetime modules' state, when `neat.lifetime` lists some.
    pub fn lifetime(&self) -> Option<&Lifetime> {
        self.lifetime.as_deref()
    }

    /// Whether weights change while the agent plays: plasticity genes on some
    /// live link, or a lifetime module that changes synapses (a Hebbian rule,
    /// pruning).
    pub fn learns(&self) -> bool {
        self.network.is_plastic() || self.lifetime.as_ref().is_some_and(|l| l.changes_synapses())
    }

    /// `genome` (the one this agent was built from) with the weights learned so
    /// far written into its connection genes, and connections pruned during the
    /// lifetime disabled: the genome Lamarckian evolution breeds from.
    pub fn learned_genome(&self, genome: &Genome, neat: &NeatConfig) -> Genome {
        let state = match &self.lifetime {
            Some(lifetime) => lifetime.link_state(&self.network),
            None => self.network.weights().iter().map(|&w| (w, true)).collect(),
        };
        write_back(genome, &self.network, &state, neat)
    }
}

impl Agent for NetworkAgent {
    fn reset(&mut self) {
        match &mut self.lifetime {
            Some(lifetime) => lifetime.reset(&mut self.network),
            None if self.lamarckian => self.network.reset_state(),
            None => self.network.reset(),
        }
    }

    #[inline]
    fn act(&mut self, observation: &[f64]) -> &[f64] {
        match &mut self.lifetime {
            None => self.network.activate(observation),
            Some(lifetime) => lifetime.act(&mut self.network, observation),
        }
    }

    fn act_fresh(&mut self, observations: &[&[f64]], actions: &mut [f64]) {
        // Lifetime modules and Lamarckian resets need the agent's own reset.
        if self.lifetime.is_none() && !self.lamarckian {
            self.network.activate_fresh(observations, actions);
        } else {
            act_fresh_in_turn(self, observations, actions);
        }
    }
}

/// Evaluates one genome exactly as [`evaluate`](crate::evaluate) does and, when
/// `neat.lamarckian`, also returns the genome with the weights it learned (see
/// [`NetworkAgent::learned_genome`]), for the run to breed from instead.
pub fn evaluate_learned(
    task: &dyn Task,
    genome: &Genome,
    neat: &NeatConfig,
    seed: u64,
    generation: u64,
) -> (Evaluation, Option<Genome>) {
    let mut agent = NetworkAgent::new(genome, neat);
    evaluate_agent(task, &mut agent, genome, neat, seed, generation)
}

/// The second half of [`evaluate_learned`], for callers that compile the agents
/// apart (`sprout bench generation` times the two halves): evaluates `agent`,
/// built by [`NetworkAgent::new`] from `genome`, in its evaluation context.
pub fn evaluate_agent(
    task: &dyn Task,
    agent: &mut NetworkAgent,
    genome: &Genome,
    neat: &NeatConfig,
    seed: u64,
    generation: u64,
) -> (Evaluation, Option<Genome>) {
    let mut ctx = evaluation_context(seed, generation, genome.id);
    let evaluation = task.evaluate(agent, &mut ctx);
    let learned = neat.lamarckian.then(|| agent.learned_genome(genome, neat));
    (evaluation, learned)
}
