//! The 625 starts of the double-pole generalization test (Gruau et al. 1996, as in
//! the NEAT reference code).
//!
//! Each of x, ẋ, θ1 and θ̇1 takes the five levels {0.05, 0.25, 0.5, 0.75, 0.95}
//! scaled onto ±2.16 m, ±1.35 m/s, ±3.6° and ±8.6°/s, with the reference's own
//! arithmetic (`level · 4.32 − 2.16`, …, `0.06283152` rad for 3.6°, `0.15009752`
//! rad/s for 8.6°/s). The short pole starts upright and at rest. Starts come in the
//! reference's loop order: x slowest, θ̇1 fastest.

use super::physics::PoleState;

/// The five levels each state variable takes.
pub const LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Steps each start must be balanced for.
pub const GENERALIZATION_EPISODE_STEPS: u64 = 1000;

/// `(span, half_span)` of x, ẋ, θ1 and θ̇1: a level `v` maps to `v · span − half`.
const RANGES: [(f64, f64); 4] = [
    (4.32, 2.16),
    (2.70, 1.35),
    (0.12566304, 0.06283152),
    (0.30019504, 0.15009752),
];

fn scaled(level: usize, variable: usize) -> f64 {
    let (span, half) = RANGES[variable];
    LEVELS[level] * span - half
}

/// The 625 starts, in the reference's order.
pub fn generalization_starts() -> impl Iterator<Item = PoleState<2>> {
    (0..LEVELS.len().pow(4)).map(|i| {
        let n = LEVELS.len();
        PoleState {
            x: scaled(i / (n * n * n), 0),
            x_dot: scaled(i / (n * n) % n, 1),
            theta: [scaled(i / n % n, 2), 0.0],
            theta_dot: [scaled(i % n, 3), 0.0],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_DEGREE: f64 = std::f64::consts::PI / 180.0;

    #[test]
    fn there_are_625_distinct_starts_with_the_short_pole_at_rest() {
        let starts: Vec<_> = generalization_starts().collect();
        assert_eq!(starts.len(), 625);
        let mut keys: Vec<[u64; 4]> = starts
            .iter()
            .map(|s| {
                [
                    s.x.to_bits(),
                    s.x_dot.to_bits(),
                    s.theta[0].to_bits(),
                    s.theta_dot[0].to_bits(),
                ]
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 625);
        assert!(
            starts
                .iter()
                .all(|s| s.theta[1] == 0.0 && s.theta_dot[1] == 0.0)
        );
    }

    #[test]
    fn the_ranges_are_the_documented_physical_ones() {
        let (lo, hi) = (LEVELS[0], LEVELS[4]);
        let expect = |level: f64, half: f64| (2.0 * level - 1.0) * half;
        let halves = [2.16, 1.35, 3.6 * ONE_DEGREE, 8.6 * ONE_DEGREE];
        for (variable, half) in halves.into_iter().enumerate() {
            for (level, value) in [(0, lo), (4, hi), (2, 0.5)] {
                let got = scaled(level, variable);
                assert!(
                    (got - expect(value, half)).abs() < 1e-6,
                    "variable {variable} level {level}: {got}"
                );
            }
        }
        // The middle level is exactly zero for every variable.
        assert!((0..4).all(|v| scaled(2, v) == 0.0));
    }

    #[test]
    fn starts_follow_the_reference_loop_order() {
        let starts: Vec<_> = generalization_starts().collect();
        let first = starts[0];
        assert_eq!(first.x, 0.05 * 4.32 - 2.16);
        assert_eq!(first.x_dot, 0.05 * 2.70 - 1.35);
        assert_eq!(first.theta[0], 0.05 * 0.12566304 - 0.06283152);
        assert_eq!(first.theta_dot[0], 0.05 * 0.30019504 - 0.15009752);
        // θ̇1 varies fastest, x slowest.
        assert_eq!(starts[1].theta_dot[0], 0.25 * 0.30019504 - 0.15009752);
        assert_eq!(starts[1].x, first.x);
        assert_eq!(starts[125].x, 0.25 * 4.32 - 2.16);
        assert_eq!(starts[125].theta_dot[0], first.theta_dot[0]);
    }

    proptest::proptest! {
        #[test]
        fn start_index_encodes_its_levels(a in 0usize..5, b in 0usize..5, c in 0usize..5, d in 0usize..5) {
            let s = generalization_starts().nth(125 * a + 25 * b + 5 * c + d).unwrap();
            proptest::prop_assert_eq!(s.x, scaled(a, 0));
            proptest::prop_assert_eq!(s.x_dot, scaled(b, 1));
            proptest::prop_assert_eq!(s.theta[0], scaled(c, 2));
            proptest::prop_assert_eq!(s.theta_dot[0], scaled(d, 3));
        }
    }
}
