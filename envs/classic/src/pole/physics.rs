//! Cart-pole dynamics for any number of poles hinged side by side on one cart.
//!
//! The equations are Wieland's (1991), the ones Gomez coded for the NEAT reference
//! experiments (Stanley's `CartPole::step`). Each pole is a uniform rod of half-length
//! `l` and mass `m`, hinged on the cart; angles are measured from the upright, and a
//! positive angle leans the pole towards +x. With gravity `g` taken positive
//! (the reference writes `GRAVITY = -9.8` and flips the signs inside), pole `i`
//! contributes an effective force and mass
//!
//! ```text
//! F̃ᵢ = mᵢ lᵢ θ̇ᵢ² sin θᵢ + ¾ mᵢ cos θᵢ (μp θ̇ᵢ / (mᵢ lᵢ) − g sin θᵢ)
//! m̃ᵢ = mᵢ (1 − ¾ cos² θᵢ)
//! ```
//!
//! and the accelerations are
//!
//! ```text
//! ẍ   = (F − μc sgn ẋ + Σ F̃ᵢ) / (M + Σ m̃ᵢ)
//! θ̈ᵢ  = −3 / (4 lᵢ) · (ẍ cos θᵢ − g sin θᵢ + μp θ̇ᵢ / (mᵢ lᵢ))
//! ```
//!
//! These follow from the Lagrangian of the cart and rods with the generalised forces
//! `F − μc sgn ẋ` on the cart and `−μp θ̇ᵢ` at each hinge, which is what the tests
//! check (power balance, momentum, an exact fall time). One action holds the force
//! for two classical 4th-order Runge–Kutta steps of 0.01 s.
//!
//! The reference code declares the cart friction `MUC = 0.0005` but never applies
//! it; here it is applied as Wieland wrote it, and a cart friction of 0 reproduces
//! the reference dynamics.

/// Largest force the cart motor applies, in newtons (either direction).
pub const FORCE_LIMIT: f64 = 10.0;
/// Gravitational acceleration, m/s², positive (downwards).
pub const GRAVITY: f64 = 9.8;
/// Cart mass, kg.
pub const CART_MASS: f64 = 1.0;
/// Cart–track friction coefficient (N) in Wieland's equations.
pub const CART_FRICTION: f64 = 5e-4;
/// Hinge friction coefficient (N·m·s) of every pole.
pub const HINGE_FRICTION: f64 = 2e-6;
/// Length of one Runge–Kutta step, s.
pub const TIME_STEP: f64 = 0.01;
/// Runge–Kutta steps per agent decision (so one decision spans 0.02 s).
pub const STEPS_PER_ACTION: usize = 2;
/// Half the track: the cart fails beyond ±2.4 m.
pub const TRACK_LIMIT: f64 = 2.4;
/// The double pole fails beyond ±36°, written as the reference code writes it
/// (`thirty_six_degrees = 0.628329`, 36.0006°).
pub const DOUBLE_POLE_FAILURE_ANGLE: f64 = 0.628329;
/// The single pole fails beyond ±12°, the classic Barto–Sutton–Anderson limit,
/// written as NEAT's single-pole code writes it (`twelve_degrees = 0.2094384`).
pub const SINGLE_POLE_FAILURE_ANGLE: f64 = 0.2094384;

/// One pole: a uniform rod hinged at its lower end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pole {
    /// Mass, kg.
    pub mass: f64,
    /// Half the pole's length, m (the distance from hinge to centre of mass).
    pub half_length: f64,
}

/// The long pole: 1 m, 0.1 kg.
pub const LONG_POLE: Pole = Pole {
    mass: 0.1,
    half_length: 0.5,
};

/// The short pole of the double-pole task: 0.1 m, 0.01 kg.
pub const SHORT_POLE: Pole = Pole {
    mass: 0.01,
    half_length: 0.05,
};

/// The state of a cart carrying `N` poles. The same type also carries a state's
/// time derivative, field by field (see [`CartPole::derivative`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoleState<const N: usize> {
    /// Cart position, m.
    pub x: f64,
    /// Cart velocity, m/s.
    pub x_dot: f64,
    /// Pole angles from the upright, rad; positive leans towards +x.
    pub theta: [f64; N],
    /// Pole angular velocities, rad/s.
    pub theta_dot: [f64; N],
}

impl<const N: usize> PoleState<N> {
    /// Everything at rest and upright, except pole 0 tilted by `angle` radians.
    pub fn tilted(angle: f64) -> Self {
        let mut theta = [0.0; N];
        if let Some(first) = theta.first_mut() {
            *first = angle;
        }
        Self {
            x: 0.0,
            x_dot: 0.0,
            theta,
            theta_dot: [0.0; N],
        }
    }

    /// The state mirrored through x = 0: every coordinate negated.
    pub fn mirrored(&self) -> Self {
        self.zip_with(self, |a, _| -a)
    }

    /// Applies `f` to each pair of corresponding fields.
    fn zip_with(&self, other: &Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let mut out = *self;
        out.x = f(self.x, other.x);
        out.x_dot = f(self.x_dot, other.x_dot);
        for i in 0..N {
            out.theta[i] = f(self.theta[i], other.theta[i]);
            out.theta_dot[i] = f(self.theta_dot[i], other.theta_dot[i]);
        }
        out
    }

    /// `self + h · rate`.
    fn advanced(&self, rate: &Self, h: f64) -> Self {
        self.zip_with(rate, |y, dy| y + h * dy)
    }
}

/// A cart with `N` poles: the physical constants and the failure limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CartPole<const N: usize> {
    /// Cart mass, kg.
    pub cart_mass: f64,
    /// Cart–track friction coefficient μc, N.
    pub cart_friction: f64,
    /// Hinge friction coefficient μp, N·m·s.
    pub hinge_friction: f64,
    /// Gravitational acceleration, m/s², positive.
    pub gravity: f64,
    /// The poles.
    pub poles: [Pole; N],
    /// The run fails when any |θ| exceeds this, rad.
    pub failure_angle: f64,
}

impl CartPole<1> {
    /// The single-pole apparatus: the long pole alone, failing beyond ±12°.
    pub fn single(cart_friction: f64) -> Self {
        Self::with_poles([LONG_POLE], SINGLE_POLE_FAILURE_ANGLE, cart_friction)
    }
}

impl CartPole<2> {
    /// The reference double-pole apparatus, failing beyond ±36°.
    pub fn double(cart_friction: f64) -> Self {
        Self::with_poles(
            [LONG_POLE, SHORT_POLE],
            DOUBLE_POLE_FAILURE_ANGLE,
            cart_friction,
        )
    }
}

impl<const N: usize> CartPole<N> {
    fn with_poles(poles: [Pole; N], failure_angle: f64, cart_friction: f64) -> Self {
        Self {
            cart_mass: CART_MASS,
            cart_friction,
            hinge_friction: HINGE_FRICTION,
            gravity: GRAVITY,
            poles,
            failure_angle,
        }
    }

    /// The time derivative of `s` under a constant `force` (N, +x).
    #[inline]
    pub fn derivative(&self, s: &PoleState<N>, force: f64) -> PoleState<N> {
        let g = self.gravity;
        let mut sin = [0.0; N];
        let mut cos = [0.0; N];
        let mut hinge = [0.0; N];
        let mut force_sum = force - self.cart_friction * sign(s.x_dot);
        let mut pole_mass_sum = 0.0;
        for (i, pole) in self.poles.iter().enumerate() {
            (sin[i], cos[i]) = (sprout_math::sin(s.theta[i]), sprout_math::cos(s.theta[i]));
            let ml = pole.mass * pole.half_length;
            hinge[i] = self.hinge_friction * s.theta_dot[i] / ml;
            force_sum += ml * s.theta_dot[i] * s.theta_dot[i] * sin[i]
                + 0.75 * pole.mass * cos[i] * (hinge[i] - g * sin[i]);
            pole_mass_sum += pole.mass * (1.0 - 0.75 * cos[i] * cos[i]);
        }
        // Summed in the reference's order, so that with no cart friction the
        // arithmetic is the reference's, operation for operation.
        let x_acc = force_sum / (pole_mass_sum + self.cart_mass);
        let mut theta_acc = [0.0; N];
        for (i, pole) in self.poles.iter().enumerate() {
            theta_acc[i] = -0.75 * (x_acc * cos[i] - g * sin[i] + hinge[i]) / pole.half_length;
        }
        PoleState {
            x: s.x_dot,
            x_dot: x_acc,
            theta: s.theta_dot,
            theta_dot: theta_acc,
        }
    }

    /// One classical 4th-order Runge–Kutta step of length `h` with the force held.
    #[inline]
    pub fn rk4_step(&self, s: &mut PoleState<N>, force: f64, h: f64) {
        let k1 = self.derivative(s, force);
        let k2 = self.derivative(&s.advanced(&k1, 0.5 * h), force);
        let k3 = self.derivative(&s.advanced(&k2, 0.5 * h), force);
        let k4 = self.derivative(&s.advanced(&k3, h), force);
        let slope = k1
            .zip_with(&k4, |a, d| a + d)
            .zip_with(&k2.zip_with(&k3, |b, c| b + c), |ad, bc| ad + 2.0 * bc);
        *s = s.advanced(&slope, h / 6.0);
    }

    /// One agent decision: [`STEPS_PER_ACTION`] Runge–Kutta steps of
    /// [`TIME_STEP`] with `force` held.
    #[inline]
    pub fn act(&self, s: &mut PoleState<N>, force: f64) {
        for _ in 0..STEPS_PER_ACTION {
            self.rk4_step(s, force, TIME_STEP);
        }
    }

    /// True while the cart is within ±[`TRACK_LIMIT`] and every pole within
    /// ±`failure_angle` (limits included). A state with a NaN is out of bounds.
    #[inline]
    pub fn in_bounds(&self, s: &PoleState<N>) -> bool {
        s.x.abs() <= TRACK_LIMIT && s.theta.iter().all(|t| t.abs() <= self.failure_angle)
    }
}

/// sgn with sgn(±0) = 0, so the friction term is odd under mirroring.
#[inline]
fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests check against, or make data with, the platform's libm; only evaluation paths must be portable"
)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn frictionless<const N: usize>(cart: CartPole<N>) -> CartPole<N> {
        CartPole {
            cart_friction: 0.0,
            hinge_friction: 0.0,
            ..cart
        }
    }

    fn double_state() -> impl Strategy<Value = PoleState<2>> {
        (
            -2.4..2.4f64,
            -3.0..3.0f64,
            [-0.6..0.6f64, -0.6..0.6f64],
            [-3.0..3.0f64, -3.0..3.0f64],
        )
            .prop_map(|(x, x_dot, theta, theta_dot)| PoleState {
                x,
                x_dot,
                theta,
                theta_dot,
            })
    }

    /// Total energy: cart and rods (moment of inertia m(2l)²/12 about the centre).
    fn energy<const N: usize>(c: &CartPole<N>, s: &PoleState<N>) -> f64 {
        let mut e = 0.5 * c.cart_mass * s.x_dot * s.x_dot;
        for (i, p) in c.poles.iter().enumerate() {
            let (sin, cos) = s.theta[i].sin_cos();
            let (m, l, w) = (p.mass, p.half_length, s.theta_dot[i]);
            let (vx, vy) = (s.x_dot + l * w * cos, -l * w * sin);
            e += 0.5 * m * (vx * vx + vy * vy) + 0.5 * m * (2.0 * l).powi(2) / 12.0 * w * w;
            e += m * c.gravity * l * cos;
        }
        e
    }

    /// Horizontal momentum of cart and poles.
    fn momentum<const N: usize>(c: &CartPole<N>, s: &PoleState<N>) -> f64 {
        let mut p = c.cart_mass * s.x_dot;
        for (i, pole) in c.poles.iter().enumerate() {
            p += pole.mass * (s.x_dot + pole.half_length * s.theta_dot[i] * s.theta[i].cos());
        }
        p
    }

    proptest! {
        /// dE/dt along the derivative equals the power of the motor minus the
        /// friction losses: F ẋ − μc |ẋ| − μp Σ θ̇². This pins every mass, length,
        /// the gravity sign, both frictions and the direction of the force.
        #[test]
        fn energy_changes_by_motor_power_minus_friction(s in double_state(), force in -10.0..10.0f64) {
            let c = CartPole::double(CART_FRICTION);
            let d = c.derivative(&s, force);
            // Directional derivative of the energy by central differences in the
            // direction of the derivative (energy is smooth; h small).
            let h = 1e-6;
            let rate = (energy(&c, &s.advanced(&d, h)) - energy(&c, &s.advanced(&d, -h))) / (2.0 * h);
            let hinge: f64 = s.theta_dot.iter().map(|w| c.hinge_friction * w * w).sum();
            let power = force * s.x_dot - c.cart_friction * s.x_dot.abs() - hinge;
            prop_assert!((rate - power).abs() < 1e-6 * (1.0 + power.abs()), "dE/dt {rate} vs power {power}");
        }

        /// dP/dt equals the external horizontal force F − μc sgn ẋ.
        #[test]
        fn momentum_changes_by_the_external_force(s in double_state(), force in -10.0..10.0f64) {
            let c = CartPole::double(CART_FRICTION);
            let d = c.derivative(&s, force);
            let h = 1e-6;
            let rate = (momentum(&c, &s.advanced(&d, h)) - momentum(&c, &s.advanced(&d, -h))) / (2.0 * h);
            let external = force - c.cart_friction * s.x_dot.signum();
            prop_assert!((rate - external).abs() < 1e-6, "dP/dt {rate} vs {external}");
        }

        /// With no friction, one pole follows the Barto–Sutton–Anderson equations.
        #[test]
        fn single_pole_follows_the_barto_equations(s in double_state(), force in -10.0..10.0f64) {
            let c = frictionless(CartPole::single(0.0));
            let s1 = PoleState { x: s.x, x_dot: s.x_dot, theta: [s.theta[0]], theta_dot: [s.theta_dot[0]] };
            let d = c.derivative(&s1, force);
            let (m, l, total) = (LONG_POLE.mass, LONG_POLE.half_length, CART_MASS + LONG_POLE.mass);
            let (sin, cos) = s1.theta[0].sin_cos();
            let temp = (force + m * l * s1.theta_dot[0].powi(2) * sin) / total;
            let theta_acc = (GRAVITY * sin - cos * temp) / (l * (4.0 / 3.0 - m * cos * cos / total));
            let x_acc = temp - m * l * theta_acc * cos / total;
            prop_assert!((d.theta_dot[0] - theta_acc).abs() < 1e-12 * (1.0 + theta_acc.abs()));
            prop_assert!((d.x_dot - x_acc).abs() < 1e-12 * (1.0 + x_acc.abs()));
            prop_assert_eq!(d.x, s1.x_dot);
            prop_assert_eq!(d.theta[0], s1.theta_dot[0]);
        }

        /// Without cart friction the arithmetic is the reference code's
        /// (`GRAVITY = -9.8`), operation for operation.
        #[test]
        fn derivative_is_the_reference_arithmetic(s in double_state(), action in 0.0..1.0f64) {
            let c = CartPole::double(0.0);
            let d = c.derivative(&s, (action - 0.5) * FORCE_LIMIT * 2.0);
            prop_assert_eq!([d.x_dot, d.theta_dot[0], d.theta_dot[1]], reference_step(action, &s));
        }

        /// Mirroring the state and the force mirrors the whole trajectory, bit for bit.
        #[test]
        fn mirrored_states_give_mirrored_trajectories(s in double_state(), forces in prop::collection::vec(-10.0..10.0f64, 1..60)) {
            let c = CartPole::double(CART_FRICTION);
            let (mut a, mut b) = (s, s.mirrored());
            for f in forces {
                c.act(&mut a, f);
                c.act(&mut b, -f);
                prop_assert_eq!(a.mirrored(), b);
            }
        }
    }

    /// A transcription of the reference `CartPole::step`, returning (ẍ, θ̈1, θ̈2).
    fn reference_step(action: f64, st: &PoleState<2>) -> [f64; 3] {
        const GRAVITY: f64 = -9.8;
        const MUP: f64 = 0.000002;
        let force = (action - 0.5) * 10.0 * 2.0;
        let (costheta_1, sintheta_1) =
            (sprout_math::cos(st.theta[0]), sprout_math::sin(st.theta[0]));
        let gsintheta_1 = GRAVITY * sintheta_1;
        let (costheta_2, sintheta_2) =
            (sprout_math::cos(st.theta[1]), sprout_math::sin(st.theta[1]));
        let gsintheta_2 = GRAVITY * sintheta_2;
        let ml_1 = 0.5 * 0.1;
        let ml_2 = 0.05 * 0.01;
        let temp_1 = MUP * st.theta_dot[0] / ml_1;
        let temp_2 = MUP * st.theta_dot[1] / ml_2;
        let fi_1 = (ml_1 * st.theta_dot[0] * st.theta_dot[0] * sintheta_1)
            + (0.75 * 0.1 * costheta_1 * (temp_1 + gsintheta_1));
        let fi_2 = (ml_2 * st.theta_dot[1] * st.theta_dot[1] * sintheta_2)
            + (0.75 * 0.01 * costheta_2 * (temp_2 + gsintheta_2));
        let mi_1 = 0.1 * (1.0 - (0.75 * costheta_1 * costheta_1));
        let mi_2 = 0.01 * (1.0 - (0.75 * costheta_2 * costheta_2));
        let x_acc = (force + fi_1 + fi_2) / (mi_1 + mi_2 + 1.0);
        [
            x_acc,
            -0.75 * (x_acc * costheta_1 + gsintheta_1 + temp_1) / 0.5,
            -0.75 * (x_acc * costheta_2 + gsintheta_2 + temp_2) / 0.05,
        ]
    }

    /// Fall time of a lone frictionless pole released at rest from `theta0` until
    /// |θ| reaches `theta_fail`, from energy and momentum conservation alone:
    /// with zero momentum, θ̇² = g (cos θ0 − cos θ) / (l (2/3 − m cos²θ / (2(M+m)))),
    /// and T = ∫ dθ / θ̇, integrated after θ = θ0 + (θf − θ0) u² removes the
    /// singularity at the release point.
    fn predicted_fall_time(theta0: f64, theta_fail: f64) -> f64 {
        // The reference's values, written out: M = 1 kg, m = 0.1 kg, l = 0.5 m.
        let (cart, m, l, g) = (1.0, 0.1, 0.5, 9.8);
        let rate = |theta: f64| {
            let inertia = l * (2.0 / 3.0 - m * theta.cos().powi(2) / (2.0 * (cart + m)));
            (g * (theta0.cos() - theta.cos()) / inertia).sqrt()
        };
        let span = theta_fail - theta0;
        let n = 200_000;
        (0..n)
            .map(|k| {
                let u = (k as f64 + 0.5) / n as f64;
                2.0 * span * u / rate(theta0 + span * u * u) / n as f64
            })
            .sum()
    }

    /// Releases a lone frictionless pole at rest from `theta0` with no force.
    /// Returns when its angle first passes `failure_angle` within 10 s, from a
    /// fine integration interpolated linearly, and how many decisions of the
    /// normal stepping (at most 500) it takes to leave the bounds.
    fn fall(theta0: f64, failure_angle: f64) -> (Option<f64>, Option<u64>) {
        let cart = CartPole {
            failure_angle,
            ..frictionless(CartPole::single(0.0))
        };
        let h = 1e-4;
        let mut s = PoleState::<1>::tilted(theta0);
        let crossing = (1..=100_000).find_map(|k| {
            let before = s.theta[0];
            cart.rk4_step(&mut s, 0.0, h);
            (s.theta[0] > failure_angle).then(|| {
                let frac = (failure_angle - before) / (s.theta[0] - before);
                (f64::from(k) - 1.0 + frac) * h
            })
        });
        let mut s = PoleState::<1>::tilted(theta0);
        let decisions = (1..=500).find(|_| {
            cart.act(&mut s, 0.0);
            !cart.in_bounds(&s)
        });
        (crossing, decisions)
    }

    #[test]
    fn tilted_pole_falls_at_the_time_energy_conservation_predicts() {
        let decision = 0.02; // seconds per decision, the reference's 2 × 0.01 s
        for (degrees, limit) in [
            (4.0, SINGLE_POLE_FAILURE_ANGLE),
            (1.0, SINGLE_POLE_FAILURE_ANGLE),
            (4.0, DOUBLE_POLE_FAILURE_ANGLE),
        ] {
            let theta0 = f64::to_radians(degrees);
            let predicted = predicted_fall_time(theta0, limit);
            let (crossing, decisions) = fall(theta0, limit);
            let crossing = crossing.expect("the pole falls");
            assert!(
                (crossing - predicted).abs() < 1e-6,
                "from {degrees}° to {limit} rad: simulated {crossing} s, predicted {predicted} s"
            );
            // The crossing is more than 2e-5 s (100× the tolerance above) from a
            // decision boundary, so the decision it happens in is unambiguous.
            let fractional = (predicted / decision).fract();
            assert!((0.001..0.999).contains(&fractional), "{predicted}");
            assert_eq!(decisions, Some((predicted / decision).ceil() as u64));
        }
    }

    #[test]
    fn tilted_double_pole_falls_toward_its_tilt_and_pushes_the_cart_back() {
        let c = CartPole::double(CART_FRICTION);
        let mut s = PoleState::<2>::tilted(4f64.to_radians());
        let d = c.derivative(&s, 0.0);
        assert!(
            d.theta_dot[0] > 0.0,
            "long pole accelerates away from upright"
        );
        assert!(d.x_dot < 0.0, "cart recoils against the falling pole");
        // A push in +x tips the poles towards −x.
        let pushed = c.derivative(&PoleState::tilted(0.0), 10.0);
        assert!(pushed.x_dot > 0.0 && pushed.theta_dot.iter().all(|&a| a < 0.0));
        let decisions = (1..=100).find(|_| {
            c.act(&mut s, 0.0);
            !c.in_bounds(&s)
        });
        assert!(decisions.is_some(), "still up after 2 s: {s:?}");
        assert!(
            s.theta[0] > DOUBLE_POLE_FAILURE_ANGLE || s.theta[1].abs() > DOUBLE_POLE_FAILURE_ANGLE
        );
    }

    /// Global error after a fixed time, against a 128× finer run.
    fn rk4_error(h: f64, total: f64) -> f64 {
        let c = CartPole::double(0.0);
        let start = PoleState {
            x: 0.3,
            x_dot: -0.4,
            theta: [0.1, -0.05],
            theta_dot: [0.3, -0.6],
        };
        let run = |h: f64| {
            let mut s = start;
            for _ in 0..(total / h).round() as usize {
                c.rk4_step(&mut s, 3.0, h);
            }
            s
        };
        let (coarse, fine) = (run(h), run(h / 128.0));
        let diff = coarse.zip_with(&fine, |a, b| (a - b).abs());
        [
            diff.x,
            diff.x_dot,
            diff.theta[0],
            diff.theta[1],
            diff.theta_dot[0],
            diff.theta_dot[1],
        ]
        .into_iter()
        .fold(0.0, f64::max)
    }

    #[test]
    fn rk4_error_shrinks_sixteenfold_when_the_step_halves() {
        let total = 0.4;
        // The short pole's fast mode needs h ≤ 0.005 s to be in the asymptotic range.
        let errors: Vec<f64> = [0.005, 0.0025, 0.00125]
            .iter()
            .map(|&h| rk4_error(h, total))
            .collect();
        for pair in errors.windows(2) {
            let ratio = pair[0] / pair[1];
            assert!(
                (14.0..18.0).contains(&ratio),
                "errors {errors:?}, ratio {ratio}"
            );
        }
    }

    #[test]
    fn failure_bounds_trigger_exactly_at_the_limits() {
        let double = CartPole::double(CART_FRICTION);
        let single = CartPole::single(CART_FRICTION);
        let at = |x: f64, t1: f64, t2: f64| PoleState {
            x,
            x_dot: 0.0,
            theta: [t1, t2],
            theta_dot: [0.0; 2],
        };
        let a = DOUBLE_POLE_FAILURE_ANGLE;
        for sign in [1.0, -1.0] {
            let beyond = |v: f64| sign * v.next_up();
            assert!(double.in_bounds(&at(sign * 2.4, 0.0, 0.0)));
            assert!(!double.in_bounds(&at(beyond(2.4), 0.0, 0.0)));
            assert!(double.in_bounds(&at(0.0, sign * a, sign * a)));
            assert!(!double.in_bounds(&at(0.0, beyond(a), 0.0)));
            assert!(!double.in_bounds(&at(0.0, 0.0, beyond(a))));
            let b = SINGLE_POLE_FAILURE_ANGLE;
            assert!(single.in_bounds(&PoleState::tilted(sign * b)));
            assert!(!single.in_bounds(&PoleState::tilted(beyond(b))));
        }
        assert!(!double.in_bounds(&at(f64::NAN, 0.0, 0.0)));
        assert!(!double.in_bounds(&at(0.0, 0.0, f64::NAN)));
        // The limits are 2.4 m, 36° and 12° (to the reference's rounding).
        assert!((DOUBLE_POLE_FAILURE_ANGLE.to_degrees() - 36.0).abs() < 1e-3);
        assert!((SINGLE_POLE_FAILURE_ANGLE.to_degrees() - 12.0).abs() < 1e-4);
    }
}
