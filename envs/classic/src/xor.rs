//! XOR: the NEAT paper's first benchmark.

use sprout_task::{Agent, EvalContext, Evaluation, Task};

/// The four XOR cases: inputs and target.
pub const CASES: [([f64; 2], f64); 4] = [
    ([0.0, 0.0], 0.0),
    ([0.0, 1.0], 1.0),
    ([1.0, 0.0], 1.0),
    ([1.0, 1.0], 0.0),
];

/// XOR with two inputs (plus the bias the agent adds) and one output.
///
/// Fitness is the paper's (4 − Σ|output − target|)², from 0 to 16. A network
/// solves XOR when all four outputs are on the right side of 0.5.
#[derive(Debug, Clone, Copy, Default)]
pub struct Xor;

impl Task for Xor {
    fn name(&self) -> &str {
        "xor"
    }

    fn inputs(&self) -> usize {
        2
    }

    fn outputs(&self) -> usize {
        1
    }

    fn evaluate(&self, agent: &mut dyn Agent, _ctx: &mut EvalContext) -> Evaluation {
        let mut error = 0.0;
        let mut solved = true;
        // The four cases are independent: each starts a fresh episode.
        let cases = CASES;
        let observations = cases.each_ref().map(|(inputs, _)| &inputs[..]);
        let mut outputs = [0.0; CASES.len()];
        agent.act_fresh(&observations, &mut outputs);
        for ((_, target), output) in cases.into_iter().zip(outputs) {
            error += (output - target).abs();
            solved &= if target > 0.5 {
                output > 0.5
            } else {
                output < 0.5
            };
        }
        Evaluation {
            fitness: (4.0 - error).powi(2),
            solved,
            steps: CASES.len() as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Answers from a table, ignoring the network.
    struct Table(Vec<f64>, usize, [f64; 1]);

    impl Agent for Table {
        fn reset(&mut self) {}
        fn act(&mut self, _observation: &[f64]) -> &[f64] {
            self.2[0] = self.0[self.1];
            self.1 += 1;
            &self.2
        }
    }

    fn score(answers: &[f64]) -> Evaluation {
        let mut ctx = EvalContext {
            generation: 0,
            rng: rand::rngs::Xoshiro256PlusPlus::seed_from_u64(0),
        };
        Xor.evaluate(&mut Table(answers.to_vec(), 0, [0.0]), &mut ctx)
    }

    #[test]
    fn perfect_answers_score_sixteen_and_solve() {
        let e = score(&[0.0, 1.0, 1.0, 0.0]);
        assert_eq!(e.fitness, 16.0);
        assert!(e.solved);
    }

    #[test]
    fn one_answer_on_the_wrong_side_of_one_half_is_not_solved() {
        let e = score(&[0.4, 0.6, 0.6, 0.5]);
        assert!(!e.solved);
        assert!((e.fitness - (4.0f64 - 1.7).powi(2)).abs() < 1e-12);
    }
}
