//! The seam between Sprout's evolution and the problems it solves.
//!
//! A [`Task`] scores one agent. It feeds observations to the agent and reads its
//! actions through the [`Agent`] trait, so a task never sees genomes, networks or
//! lifetime modules, and a new task fits in one small file. Environments depend on
//! this crate alone; `sprout-evolve` runs tasks, and re-exports these types.

use rand::rngs::Xoshiro256PlusPlus;

/// What a task sees of the controller it scores: observations in, actions out.
pub trait Agent {
    /// Starts a new episode: clears recurrent state and lifetime-module state, and
    /// restores the genome's weights (unless the experiment asked for Lamarckian
    /// write-back).
    fn reset(&mut self);

    /// One decision. `observation.len()` equals [`Task::inputs`] (the bias input is
    /// added by the agent); the returned slice has [`Task::outputs`] values.
    fn act(&mut self, observation: &[f64]) -> &[f64];

    /// One decision on each of several observations, each from a fresh episode:
    /// the same as [`Agent::reset`] then [`Agent::act`] for every observation in
    /// turn, which is what this default does ([`act_fresh_in_turn`]). `actions`
    /// receives the actions one observation after another ([`Task::outputs`]
    /// values each). Tasks that score a network on independent cases (XOR's
    /// four) call this, so that an agent able to evaluate the cases side by side
    /// (a feed-forward network) can.
    fn act_fresh(&mut self, observations: &[&[f64]], actions: &mut [f64]) {
        act_fresh_in_turn(self, observations, actions);
    }
}

/// [`Agent::act_fresh`] one observation after the other.
///
/// # Panics
/// When `actions` does not hold one action vector per observation.
pub fn act_fresh_in_turn<A: Agent + ?Sized>(
    agent: &mut A,
    observations: &[&[f64]],
    actions: &mut [f64],
) {
    let width = actions.len() / observations.len().max(1);
    assert_eq!(
        width * observations.len(),
        actions.len(),
        "one action vector per observation"
    );
    for (observation, out) in observations
        .iter()
        .zip(actions.chunks_exact_mut(width.max(1)))
    {
        agent.reset();
        out.copy_from_slice(agent.act(observation));
    }
}

/// The outcome of scoring one agent on a task.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Evaluation {
    /// Higher is better. Must be finite: the runner rejects NaN and infinities.
    pub fitness: f64,
    /// Whether this evaluation met the task's success criterion.
    pub solved: bool,
    /// Environment steps simulated (agent decisions), for throughput figures.
    pub steps: u64,
}

/// The result of [`Task::verify`]: the stricter check a generation's champion
/// must pass before a run counts as solved.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    /// The champion solves the task.
    pub solved: bool,
    /// A task-specific score of the check, such as the number of the 625
    /// generalization starts balanced in double-pole-without-velocities.
    pub score: Option<f64>,
}

/// Per-evaluation context handed to [`Task::evaluate`].
///
/// `rng` is seeded by a pure mix of (run seed, generation, genome id), so an
/// evaluation is reproducible whatever thread runs it. Tasks must draw all their
/// randomness from it.
#[derive(Debug, Clone)]
pub struct EvalContext {
    /// The generation being evaluated (0-based). Tasks that rotate their levels or
    /// start states per generation key on it, so every genome of a generation
    /// faces the same conditions.
    pub generation: u64,
    /// The evaluation's own random stream.
    pub rng: Xoshiro256PlusPlus,
}

/// A problem that scores agents. Implementations must be deterministic given the
/// [`EvalContext`], and must not share mutable state between evaluations: the
/// runner calls `evaluate` from many threads at once.
pub trait Task: Send + Sync {
    /// A short name, used in output paths and reports (`xor`, `dpv`, …).
    fn name(&self) -> &str;

    /// Number of observation values per decision, without the bias.
    fn inputs(&self) -> usize;

    /// Number of action values per decision.
    fn outputs(&self) -> usize;

    /// Scores one agent.
    fn evaluate(&self, agent: &mut dyn Agent, ctx: &mut EvalContext) -> Evaluation;

    /// The check a generation's champion must pass for the run to count as solved.
    /// The default trusts [`Evaluation::solved`]; tasks with a stricter protocol
    /// (double pole without velocities: 100,000 steps, then the generalization
    /// test) override it.
    fn verify(&self, _agent: &mut dyn Agent, evaluation: &Evaluation) -> Verdict {
        Verdict {
            solved: evaluation.solved,
            score: None,
        }
    }
}
