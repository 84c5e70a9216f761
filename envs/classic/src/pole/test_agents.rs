//! Hand-written agents for the tests: a constant output, and linear state-feedback
//! controllers with LQR gains computed here from the linearised dynamics.

use sprout_task::Agent;

use super::physics::{CartPole, PoleState};

/// Always answers the same output; counts resets and decisions, and keeps the
/// first observation after each reset.
#[derive(Debug, Default)]
pub struct Constant {
    pub output: [f64; 1],
    pub resets: usize,
    pub decisions: u64,
    pub first_observations: Vec<Vec<f64>>,
    fresh: bool,
}

impl Constant {
    pub fn new(output: f64) -> Self {
        Self {
            output: [output],
            ..Self::default()
        }
    }
}

impl Agent for Constant {
    fn reset(&mut self) {
        self.resets += 1;
        self.fresh = true;
    }

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        if self.fresh {
            self.first_observations.push(observation.to_vec());
            self.fresh = false;
        }
        self.decisions += 1;
        &self.output
    }
}

/// State vector `[x, ẋ, θ1, θ̇1, …]` of a state.
pub fn to_vector<const N: usize>(s: &PoleState<N>) -> Vec<f64> {
    let mut v = vec![s.x, s.x_dot];
    for i in 0..N {
        v.extend([s.theta[i], s.theta_dot[i]]);
    }
    v
}

fn from_vector<const N: usize>(v: &[f64]) -> PoleState<N> {
    let mut s = PoleState::<N>::tilted(0.0);
    s.x = v[0];
    s.x_dot = v[1];
    for i in 0..N {
        s.theta[i] = v[2 + 2 * i];
        s.theta_dot[i] = v[3 + 2 * i];
    }
    s
}

/// Discrete-time LQR gains `K` (force = −K·state) for one 0.02 s decision of
/// `cart` linearised about the upright, with Q = I and R = `r`.
pub fn lqr_gains<const N: usize>(cart: &CartPole<N>, r: f64) -> Vec<f64> {
    // Linearise without cart friction: sgn ẋ has no derivative at rest.
    let cart = CartPole {
        cart_friction: 0.0,
        ..*cart
    };
    let n = 2 + 2 * N;
    let eps = 1e-6;
    let image = |v: &[f64], force: f64| {
        let mut s = from_vector::<N>(v);
        cart.act(&mut s, force);
        to_vector(&s)
    };
    let mut a = vec![vec![0.0; n]; n];
    for j in 0..n {
        let mut plus = vec![0.0; n];
        let mut minus = vec![0.0; n];
        plus[j] = eps;
        minus[j] = -eps;
        let (p, m) = (image(&plus, 0.0), image(&minus, 0.0));
        for i in 0..n {
            a[i][j] = (p[i] - m[i]) / (2.0 * eps);
        }
    }
    let zero = vec![0.0; n];
    let (p, m) = (image(&zero, eps), image(&zero, -eps));
    let b: Vec<f64> = (0..n).map(|i| (p[i] - m[i]) / (2.0 * eps)).collect();

    // Iterate P ← Q + Aᵀ P (A − B K), K = (R + Bᵀ P B)⁻¹ Bᵀ P A.
    let mut pm = vec![vec![0.0; n]; n];
    for (i, row) in pm.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let mut k = vec![0.0; n];
    for _ in 0..20_000 {
        let bt_p: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|i| b[i] * pm[i][j]).sum())
            .collect();
        let s = r + (0..n).map(|i| bt_p[i] * b[i]).sum::<f64>();
        k = (0..n)
            .map(|j| (0..n).map(|i| bt_p[i] * a[i][j]).sum::<f64>() / s)
            .collect();
        let closed: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| a[i][j] - b[i] * k[j]).collect())
            .collect();
        let p_closed: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| (0..n).map(|l| pm[i][l] * closed[l][j]).sum())
                    .collect()
            })
            .collect();
        pm = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        let q = if i == j { 1.0 } else { 0.0 };
                        q + (0..n).map(|l| a[l][i] * p_closed[l][j]).sum::<f64>()
                    })
                    .collect()
            })
            .collect();
    }
    k
}

/// Linear state feedback from an observation with velocities
/// (x/4.8, ẋ/2, θ/0.52, θ̇/2 per pole), answering in the `ZeroToOne` mapping.
#[derive(Debug)]
pub struct FullStateFeedback {
    pub gains: Vec<f64>,
    output: [f64; 1],
}

impl FullStateFeedback {
    pub fn new(gains: Vec<f64>) -> Self {
        Self {
            gains,
            output: [0.5],
        }
    }
}

/// Undoes the observation scaling of one value by its position in a full
/// observation: x/4.8, then alternately angle/0.52 and velocity/2.
fn unscale_full(i: usize, v: f64) -> f64 {
    match i {
        0 => v * 4.8,
        _ if i % 2 == 1 => v * 2.0,
        _ => v * 0.52,
    }
}

impl Agent for FullStateFeedback {
    fn reset(&mut self) {}

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        let force: f64 = -observation
            .iter()
            .enumerate()
            .map(|(i, &v)| self.gains[i] * unscale_full(i, v))
            .sum::<f64>();
        self.output = [0.5 + force / 20.0];
        &self.output
    }
}

/// Linear feedback on double-pole positions only (x/4.8, θ1/0.52, θ2/0.52),
/// estimating velocities by finite differences between decisions: a recurrent
/// controller of the kind DPNV asks for.
#[derive(Debug)]
pub struct FiniteDifferenceFeedback {
    gains: Vec<f64>,
    previous: Option<[f64; 3]>,
    pub resets: usize,
    output: [f64; 1],
}

impl FiniteDifferenceFeedback {
    pub fn new(gains: Vec<f64>) -> Self {
        Self {
            gains,
            previous: None,
            resets: 0,
            output: [0.5],
        }
    }
}

impl Agent for FiniteDifferenceFeedback {
    fn reset(&mut self) {
        self.previous = None;
        self.resets += 1;
    }

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        let now = [
            observation[0] * 4.8,
            observation[1] * 0.52,
            observation[2] * 0.52,
        ];
        let rate = |i: usize| self.previous.map_or(0.0, |p| (now[i] - p[i]) / 0.02);
        let state = [now[0], rate(0), now[1], rate(1), now[2], rate(2)];
        let force: f64 = -(0..6).map(|i| self.gains[i] * state[i]).sum::<f64>();
        self.previous = Some(now);
        self.output = [0.5 + force / 20.0];
        &self.output
    }
}
