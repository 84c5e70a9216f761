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
    /// Compiles `genome` into an agent, stepping as `neat` says.
    pub fn new(genome: &Genome, neat: &NeatConfig) -> Self {
        Self {
            network: Network::compile_with(genome, neat.recurrent_stepping),
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
