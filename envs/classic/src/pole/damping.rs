//! Gruau's damping fitness for double pole balancing without velocities.
//!
//! ```text
//! f = 0.1 · t / 1000 + 0.9 · 0.75 / Σ (|x| + |ẋ| + |θ1| + |θ̇1|)   when t > 100
//! f = 0.1 · t / 1000                                               otherwise
//! ```
//!
//! `t` is the number of steps balanced in an episode of at most 1,000 steps, and the
//! sum runs over the states after the last 100 balanced steps. That is the window
//! the reference code sums (`jigglestep[steps-101 ..= steps-2]`, which leaves out a
//! failing step's state). The reference's `0.75 / sum` would be infinite for a sum
//! of exactly 0; the sum is floored at the smallest positive normal number so the
//! fitness stays finite.

use super::physics::PoleState;

/// Steps in one damping-fitness episode.
pub const DAMPING_EPISODE_STEPS: u64 = 1000;
/// Balanced steps whose motion the damping term sums.
pub const DAMPING_WINDOW: usize = 100;

/// Gruau's fitness for `balanced` steps and a window sum `jiggle`.
pub fn gruau_fitness(balanced: u64, jiggle: f64) -> f64 {
    let survival = 0.1 * (balanced as f64 / DAMPING_EPISODE_STEPS as f64);
    if balanced > DAMPING_WINDOW as u64 {
        survival + 0.9 * (0.75 / jiggle.max(f64::MIN_POSITIVE))
    } else {
        survival
    }
}

/// The motion `|x| + |ẋ| + |θ1| + |θ̇1|` of the last [`DAMPING_WINDOW`] states
/// pushed, kept on the stack.
#[derive(Debug, Clone)]
pub struct DampingWindow {
    values: [f64; DAMPING_WINDOW],
    /// States pushed so far; the next goes to `pushed % DAMPING_WINDOW`.
    pushed: usize,
}

impl Default for DampingWindow {
    fn default() -> Self {
        Self {
            values: [0.0; DAMPING_WINDOW],
            pushed: 0,
        }
    }
}

impl DampingWindow {
    /// Records the state after a balanced step.
    #[inline]
    pub fn push<const N: usize>(&mut self, s: &PoleState<N>) {
        let (theta, theta_dot) = (s.theta.first(), s.theta_dot.first());
        let pole = theta.map_or(0.0, |t| t.abs()) + theta_dot.map_or(0.0, |t| t.abs());
        self.values[self.pushed % DAMPING_WINDOW] = s.x.abs() + s.x_dot.abs() + pole;
        self.pushed += 1;
    }

    /// The sum over the recorded states, oldest first (the reference's order).
    pub fn sum(&self) -> f64 {
        let held = self.pushed.min(DAMPING_WINDOW);
        (self.pushed - held..self.pushed)
            .map(|i| self.values[i % DAMPING_WINDOW])
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitness_below_the_window_is_survival_only() {
        assert!((gruau_fitness(50, 1.0) - 0.005).abs() < 1e-15);
        // Exactly 100 balanced steps is not yet "t > 100".
        assert!((gruau_fitness(100, 1e-9) - 0.01).abs() < 1e-15);
    }

    #[test]
    fn fitness_matches_a_hand_computed_case() {
        // 1000 steps balanced with a window sum of 7.5:
        // 0.1 · 1000/1000 + 0.9 · 0.75 / 7.5 = 0.1 + 0.09 = 0.19.
        assert!((gruau_fitness(1000, 7.5) - 0.19).abs() < 1e-15);
        // 101 steps, sum 0.75: 0.0101 + 0.9.
        assert!((gruau_fitness(101, 0.75) - 0.9101).abs() < 1e-15);
    }

    #[test]
    fn fitness_stays_finite_for_a_zero_sum() {
        assert!(gruau_fitness(1000, 0.0).is_finite());
    }

    #[test]
    fn window_sums_the_last_hundred_states_of_the_long_pole() {
        let mut window = DampingWindow::default();
        for k in 1..=250 {
            let k = f64::from(k);
            window.push(&PoleState::<2> {
                x: -k,
                x_dot: 0.5,
                theta: [0.25, 1e6], // the short pole is not summed
                theta_dot: [-0.25, -1e6],
            });
        }
        // Σ_{k=151}^{250} (k + 0.5 + 0.25 + 0.25) = Σ k + 100.
        let expected: f64 = (151..=250).map(f64::from).sum::<f64>() + 100.0;
        assert_eq!(window.sum(), expected);
    }

    #[test]
    fn window_with_fewer_than_a_hundred_states_sums_them_all() {
        let mut window = DampingWindow::default();
        for _ in 0..3 {
            window.push(&PoleState::<2>::tilted(-0.5));
        }
        assert_eq!(window.sum(), 1.5);
    }
}
