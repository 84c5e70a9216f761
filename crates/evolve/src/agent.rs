//! The [`Agent`] a task drives: a compiled network.

use sprout_genome::{Genome, NeatConfig};
use sprout_network::Network;

use crate::task::Agent;

/// A network-backed agent.
#[derive(Debug, Clone)]
pub struct NetworkAgent {
    network: Network,
}

impl NetworkAgent {
    /// Compiles `genome` into an agent, stepping (and, with `neat.plasticity`,
    /// learning) as `neat` says. Learned weights persist from one `act` to the
    /// next and go back to the genome's at [`Agent::reset`].
    pub fn new(genome: &Genome, neat: &NeatConfig) -> Self {
        Self {
            network: Network::compile_for(genome, neat),
        }
    }

    /// The compiled network, for viewers.
    pub fn network(&self) -> &Network {
        &self.network
    }
}

impl Agent for NetworkAgent {
    fn reset(&mut self) {
        self.network.reset();
    }

    #[inline]
    fn act(&mut self, observation: &[f64]) -> &[f64] {
        self.network.activate(observation)
    }
}
