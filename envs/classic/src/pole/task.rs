//! The pole-balancing tasks: episodes, observations, fitness and the
//! double-pole-without-velocities success protocol.

use sprout_task::{Agent, EvalContext, Evaluation, Task, Verdict};

use super::config::{PoleConfig, PoleVariant};
use super::damping::{DAMPING_EPISODE_STEPS, DampingWindow, gruau_fitness};
use super::generalization::{GENERALIZATION_EPISODE_STEPS, generalization_starts};
use super::physics::{CartPole, PoleState};

/// Which state variables the agent observes, each scaled as in the reference code:
/// x/4.8, ẋ/2, θ/0.52, θ̇/2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensors {
    /// x, ẋ, then θᵢ, θ̇ᵢ for each pole.
    Full,
    /// x, then θᵢ for each pole.
    PositionsOnly,
}

/// Longest observation: two poles with velocities.
pub const MAX_INPUTS: usize = 6;

impl Sensors {
    /// Observation length for `poles` poles.
    pub fn len(self, poles: usize) -> usize {
        match self {
            Self::Full => 2 + 2 * poles,
            Self::PositionsOnly => 1 + poles,
        }
    }

    /// Writes the scaled observation of `s` into `buf` and returns it. Only one
    /// and two poles fit (checked at compile time).
    #[inline]
    pub fn observe<'b, const N: usize>(
        self,
        s: &PoleState<N>,
        buf: &'b mut [f64; MAX_INPUTS],
    ) -> &'b [f64] {
        const { assert!(2 + 2 * N <= MAX_INPUTS, "at most two poles") };
        let with_velocities = self == Self::Full;
        let mut n = 0;
        let mut put = |v: f64| {
            buf[n] = v;
            n += 1;
        };
        put(s.x / 4.8);
        if with_velocities {
            put(s.x_dot / 2.0);
        }
        for i in 0..N {
            put(s.theta[i] / 0.52);
            if with_velocities {
                put(s.theta_dot[i] / 2.0);
            }
        }
        &buf[..n]
    }
}

/// How an episode went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Decisions after which the cart and poles were still within bounds.
    pub balanced: u64,
    /// Decisions the agent made (one more than `balanced` when the episode failed).
    pub decisions: u64,
}

impl Outcome {
    /// True when every one of `max_steps` decisions kept the system in bounds.
    pub fn survived(&self, max_steps: u64) -> bool {
        self.balanced == max_steps
    }
}

/// A built pole-balancing task: [`PoleConfig`] after validation.
#[derive(Debug, Clone)]
pub struct PoleTask {
    config: PoleConfig,
    start_angle: f64,
    single: CartPole<1>,
    double: CartPole<2>,
}

impl PoleTask {
    /// Use [`PoleConfig::build`], which validates first.
    pub(super) fn new(config: PoleConfig) -> Self {
        Self {
            config,
            start_angle: config.start_angle_degrees.to_radians(),
            single: CartPole::single(config.cart_friction),
            double: CartPole::double(config.cart_friction),
        }
    }

    /// The config this task was built from.
    pub fn config(&self) -> &PoleConfig {
        &self.config
    }

    /// The double-pole apparatus (DPV, DPNV and the generalization test).
    pub fn double_pole(&self) -> &CartPole<2> {
        &self.double
    }

    /// The single-pole apparatus.
    pub fn single_pole(&self) -> &CartPole<1> {
        &self.single
    }

    /// The standard start of this task with `N` poles: at rest, long pole tilted by
    /// `start_angle_degrees`.
    pub fn standard_start<const N: usize>(&self) -> PoleState<N> {
        PoleState::tilted(self.start_angle)
    }

    /// Resets `agent`, then runs one episode of at most `max_steps` decisions from
    /// `start`, calling `after_balanced_step` with the state after each decision
    /// that stays in bounds. The episode ends at the first decision that leaves the
    /// bounds or yields a NaN output (neither counts as balanced).
    pub fn run_episode<const N: usize>(
        &self,
        cart: &CartPole<N>,
        sensors: Sensors,
        agent: &mut dyn Agent,
        start: PoleState<N>,
        max_steps: u64,
        mut after_balanced_step: impl FnMut(&PoleState<N>),
    ) -> Outcome {
        agent.reset();
        let mapping = self.config.force_mapping;
        let mut state = start;
        let mut buf = [0.0; MAX_INPUTS];
        let mut balanced = 0;
        while balanced < max_steps {
            let output = agent
                .act(sensors.observe(&state, &mut buf))
                .first()
                .copied()
                .unwrap_or(f64::NAN);
            let Some(force) = mapping.force(output) else {
                break;
            };
            cart.act(&mut state, force);
            if !cart.in_bounds(&state) {
                break;
            }
            balanced += 1;
            after_balanced_step(&state);
        }
        let failed = u64::from(balanced < max_steps);
        Outcome {
            balanced,
            decisions: balanced + failed,
        }
    }

    /// One episode of at most `max_steps` decisions from the standard start, with
    /// the variant's apparatus and sensors.
    fn balance(&self, agent: &mut dyn Agent, max_steps: u64) -> Outcome {
        let (_, sensors) = self.sensors();
        let start = self.start_angle;
        match self.config.variant {
            PoleVariant::Single => self.run_episode(
                &self.single,
                sensors,
                agent,
                PoleState::tilted(start),
                max_steps,
                |_| {},
            ),
            PoleVariant::DoubleWithVelocities | PoleVariant::DoubleWithoutVelocities => self
                .run_episode(
                    &self.double,
                    sensors,
                    agent,
                    PoleState::tilted(start),
                    max_steps,
                    |_| {},
                ),
        }
    }

    /// The number of the 625 generalization starts `agent` balances for 1,000
    /// steps, observing positions only (as in DPNV). The agent is reset before
    /// each start.
    pub fn generalization_score(&self, agent: &mut dyn Agent) -> u32 {
        let mut score = 0;
        for start in generalization_starts() {
            let outcome = self.run_episode(
                &self.double,
                Sensors::PositionsOnly,
                agent,
                start,
                GENERALIZATION_EPISODE_STEPS,
                |_| {},
            );
            score += u32::from(outcome.survived(GENERALIZATION_EPISODE_STEPS));
        }
        score
    }

    /// The number of poles and the sensors of the variant.
    fn sensors(&self) -> (usize, Sensors) {
        match self.config.variant {
            PoleVariant::Single => (1, Sensors::Full),
            PoleVariant::DoubleWithVelocities => (2, Sensors::Full),
            PoleVariant::DoubleWithoutVelocities => (2, Sensors::PositionsOnly),
        }
    }
}

impl Task for PoleTask {
    fn name(&self) -> &str {
        match self.config.variant {
            PoleVariant::Single => "pole",
            PoleVariant::DoubleWithVelocities => "dpv",
            PoleVariant::DoubleWithoutVelocities => "dpnv",
        }
    }

    fn inputs(&self) -> usize {
        let (poles, sensors) = self.sensors();
        sensors.len(poles)
    }

    fn outputs(&self) -> usize {
        1
    }

    /// `Single` and DPV: fitness = steps balanced (up to `success_steps`), solved
    /// when all were balanced. DPNV: Gruau's damping fitness over 1,000 steps,
    /// and `solved` marks an agent that balanced all 1,000 — a precondition of
    /// [`Task::verify`], which holds the real success test.
    fn evaluate(&self, agent: &mut dyn Agent, _ctx: &mut EvalContext) -> Evaluation {
        match self.config.variant {
            PoleVariant::Single | PoleVariant::DoubleWithVelocities => {
                let max = self.config.success_steps;
                let outcome = self.balance(agent, max);
                Evaluation {
                    fitness: outcome.balanced as f64,
                    solved: outcome.survived(max),
                    steps: outcome.decisions,
                }
            }
            PoleVariant::DoubleWithoutVelocities => {
                let mut window = DampingWindow::default();
                let outcome = self.run_episode(
                    &self.double,
                    Sensors::PositionsOnly,
                    agent,
                    self.standard_start(),
                    DAMPING_EPISODE_STEPS,
                    |s| window.push(s),
                );
                Evaluation {
                    fitness: gruau_fitness(outcome.balanced, window.sum()),
                    solved: outcome.survived(DAMPING_EPISODE_STEPS),
                    steps: outcome.decisions,
                }
            }
        }
    }

    /// DPNV: the champion must balance `success_steps` from the standard start
    /// (else `score` is `None`), then balance at least `generalization_threshold`
    /// of the 625 generalization starts for 1,000 steps each (`score` = starts
    /// balanced). Other variants trust `evaluation.solved`.
    fn verify(&self, agent: &mut dyn Agent, evaluation: &Evaluation) -> Verdict {
        if self.config.variant != PoleVariant::DoubleWithoutVelocities {
            return Verdict {
                solved: evaluation.solved,
                score: None,
            };
        }
        let max = self.config.success_steps;
        if !self.balance(agent, max).survived(max) {
            return Verdict {
                solved: false,
                score: None,
            };
        }
        let score = self.generalization_score(agent);
        Verdict {
            solved: score >= self.config.generalization_threshold,
            score: Some(f64::from(score)),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    use super::super::generalization::generalization_starts;
    use super::super::test_agents::{
        Constant, FiniteDifferenceFeedback, FullStateFeedback, lqr_gains,
    };
    use super::*;

    fn task(variant: PoleVariant) -> PoleTask {
        PoleConfig::new(variant).build().unwrap()
    }

    fn ctx() -> EvalContext {
        EvalContext {
            generation: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(7),
        }
    }

    #[test]
    fn variants_name_their_inputs_and_one_output() {
        let cases = [
            (PoleVariant::Single, "pole", 4),
            (PoleVariant::DoubleWithVelocities, "dpv", 6),
            (PoleVariant::DoubleWithoutVelocities, "dpnv", 3),
        ];
        for (variant, name, inputs) in cases {
            let t = task(variant);
            assert_eq!((t.name(), t.inputs(), t.outputs()), (name, inputs, 1));
        }
    }

    #[test]
    fn observations_are_scaled_as_in_the_reference() {
        let s = PoleState {
            x: 1.2,
            x_dot: -0.5,
            theta: [0.13, -0.26],
            theta_dot: [1.0, 3.0],
        };
        let mut buf = [0.0; MAX_INPUTS];
        let close = |got: &[f64], want: &[f64]| {
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-15, "{got:?} vs {want:?}");
            }
        };
        close(
            Sensors::Full.observe(&s, &mut buf),
            &[0.25, -0.25, 0.25, 0.5, -0.5, 1.5],
        );
        close(
            Sensors::PositionsOnly.observe(&s, &mut buf),
            &[0.25, 0.25, -0.5],
        );
        let one = PoleState {
            x: -2.4,
            x_dot: 1.0,
            theta: [0.052],
            theta_dot: [-0.2],
        };
        close(
            Sensors::Full.observe(&one, &mut buf),
            &[-0.5, 0.5, 0.1, -0.1],
        );
    }

    #[test]
    fn first_observation_shows_the_configured_start_angle() {
        for (degrees, variant, expected_len) in [
            (4.0, PoleVariant::DoubleWithVelocities, 6),
            (1.0, PoleVariant::DoubleWithoutVelocities, 3),
            (-4.0, PoleVariant::Single, 4),
        ] {
            let t = PoleConfig {
                start_angle_degrees: degrees,
                ..PoleConfig::new(variant)
            }
            .build()
            .unwrap();
            let mut agent = Constant::new(0.5);
            t.evaluate(&mut agent, &mut ctx());
            let first = &agent.first_observations[0];
            assert_eq!(first.len(), expected_len);
            let theta_index = if expected_len == 3 { 1 } else { 2 };
            assert_eq!(first[theta_index], f64::to_radians(degrees) / 0.52);
            assert!(
                first
                    .iter()
                    .enumerate()
                    .all(|(i, &v)| i == theta_index || v == 0.0)
            );
        }
    }

    /// Decisions until a released double pole leaves the bounds under a constant
    /// force (at most 1,000).
    fn fall_decisions(t: &PoleTask, force: f64) -> u64 {
        let mut s = t.standard_start::<2>();
        let cart = t.double_pole();
        (1..=1000)
            .find(|_| {
                cart.act(&mut s, force);
                !cart.in_bounds(&s)
            })
            .expect("falls within 1,000 decisions")
    }

    #[test]
    fn unbalanced_dpv_episode_counts_steps_until_the_fall() {
        let t = task(PoleVariant::DoubleWithVelocities);
        // Output 0.75 is +5 N in the reference mapping.
        let mut agent = Constant::new(0.75);
        let e = t.evaluate(&mut agent, &mut ctx());
        let fall = fall_decisions(&t, 5.0);
        assert!(fall > 1 && fall < 200, "fell after {fall}");
        assert_eq!(e.fitness, (fall - 1) as f64);
        assert_eq!(e.steps, fall);
        assert_eq!(agent.decisions, fall);
        assert_eq!(agent.resets, 1);
        assert!(!e.solved);
    }

    #[test]
    fn a_nan_output_fails_the_episode_at_once() {
        let t = task(PoleVariant::DoubleWithVelocities);
        let e = t.evaluate(&mut Constant::new(f64::NAN), &mut ctx());
        assert_eq!((e.fitness, e.steps, e.solved), (0.0, 1, false));
    }

    #[test]
    fn lqr_controller_solves_dpv_and_single_pole() {
        for variant in [PoleVariant::DoubleWithVelocities, PoleVariant::Single] {
            let t = task(variant);
            let gains = match variant {
                PoleVariant::Single => lqr_gains(t.single_pole(), 1.0),
                _ => lqr_gains(t.double_pole(), 1.0),
            };
            let mut agent = FullStateFeedback::new(gains);
            let e = t.evaluate(&mut agent, &mut ctx());
            assert_eq!(e.fitness, 100_000.0, "{variant:?}");
            assert!(e.solved);
            assert_eq!(e.steps, 100_000);
            assert_eq!(
                t.verify(&mut agent, &e),
                Verdict {
                    solved: true,
                    score: None
                }
            );
        }
    }

    #[test]
    fn dpnv_fitness_of_a_balancing_agent_is_gruaus_formula() {
        let t = task(PoleVariant::DoubleWithoutVelocities);
        let gains = lqr_gains(t.double_pole(), 1.0);
        let e = t.evaluate(
            &mut FiniteDifferenceFeedback::new(gains.clone()),
            &mut ctx(),
        );
        // Replay the episode, keeping every state, and apply the formula by hand.
        let mut states = Vec::new();
        let outcome = t.run_episode(
            t.double_pole(),
            Sensors::PositionsOnly,
            &mut FiniteDifferenceFeedback::new(gains),
            t.standard_start(),
            1000,
            |s| states.push(*s),
        );
        assert_eq!(
            outcome,
            Outcome {
                balanced: 1000,
                decisions: 1000
            }
        );
        let jiggle: f64 = states[900..]
            .iter()
            .map(|s| s.x.abs() + s.x_dot.abs() + s.theta[0].abs() + s.theta_dot[0].abs())
            .sum();
        assert_eq!(e.fitness, 0.1 * (1000.0 / 1000.0) + 0.9 * (0.75 / jiggle));
        assert!(e.fitness > 0.1, "balancing beats surviving alone");
        assert!(e.solved);
        assert_eq!(e.steps, 1000);
    }

    #[test]
    fn dpnv_fitness_of_an_early_fall_is_survival_only() {
        let t = task(PoleVariant::DoubleWithoutVelocities);
        let e = t.evaluate(&mut Constant::new(0.5), &mut ctx());
        let fall = fall_decisions(&t, 0.0);
        assert!(fall <= 100, "fell after {fall}");
        assert_eq!(e.fitness, 0.1 * ((fall - 1) as f64 / 1000.0));
        assert!(!e.solved);
    }

    #[test]
    fn dpnv_verify_stops_when_the_long_test_fails() {
        let t = task(PoleVariant::DoubleWithoutVelocities);
        let mut agent = Constant::new(0.5);
        let v = t.verify(&mut agent, &Evaluation::default());
        assert_eq!(
            v,
            Verdict {
                solved: false,
                score: None
            }
        );
        assert_eq!(agent.resets, 1);
    }

    #[test]
    fn generalization_test_resets_before_each_of_the_625_starts() {
        let t = task(PoleVariant::DoubleWithoutVelocities);
        let mut agent = Constant::new(0.5);
        // With no force, only the five starts with the poles upright at rest and
        // the cart still (x at any level) stay balanced.
        assert_eq!(t.generalization_score(&mut agent), 5);
        assert_eq!(agent.resets, 625);
        let mut buf = [0.0; MAX_INPUTS];
        for (seen, start) in agent.first_observations.iter().zip(generalization_starts()) {
            assert_eq!(
                seen.as_slice(),
                Sensors::PositionsOnly.observe(&start, &mut buf)
            );
        }
    }

    #[test]
    fn dpnv_verify_runs_the_long_test_then_scores_the_starts() {
        let t = task(PoleVariant::DoubleWithoutVelocities);
        let mut agent = FiniteDifferenceFeedback::new(lqr_gains(t.double_pole(), 1.0));
        let v = t.verify(&mut agent, &Evaluation::default());
        assert_eq!(agent.resets, 1 + 625);
        let score = v
            .score
            .expect("the long test passed, so the starts were scored");
        // This controller balances 535 of the starts here; a partial score shows
        // the starts were really run one by one.
        assert!((200.0..625.0).contains(&score), "score {score}");
        assert!(v.solved);
        // The same agent with a threshold just above its score does not win.
        let strict = PoleConfig {
            generalization_threshold: score as u32 + 1,
            ..*t.config()
        }
        .build()
        .unwrap();
        let again = strict.verify(&mut agent, &Evaluation::default());
        assert_eq!(
            again,
            Verdict {
                solved: false,
                score: Some(score)
            }
        );
    }
}
