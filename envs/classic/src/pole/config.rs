//! The `task` section of a pole-balancing experiment file.
//!
//! `variant` is required; every other field has a default (the reference
//! experiment's value), so a config names only what it changes. Unknown fields are
//! rejected, and [`PoleConfig::validate`] rejects out-of-range values with the
//! field's name.

use serde::{Deserialize, Serialize};

use super::physics::{
    CART_FRICTION, DOUBLE_POLE_FAILURE_ANGLE, FORCE_LIMIT, SINGLE_POLE_FAILURE_ANGLE,
};
use super::task::PoleTask;

/// Which pole-balancing task to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoleVariant {
    /// One 1 m pole (task name `pole`). Observations x/4.8, ẋ/2, θ/0.52, θ̇/2;
    /// fitness = steps balanced; solved at `success_steps`; fails beyond ±12°.
    Single,
    /// Double pole with velocities, DPV (task name `dpv`). Observations x/4.8,
    /// ẋ/2, θ1/0.52, θ̇1/2, θ2/0.52, θ̇2/2; fitness = steps balanced; solved at
    /// `success_steps`.
    DoubleWithVelocities,
    /// Double pole without velocities, DPNV (task name `dpnv`). Observations x/4.8,
    /// θ1/0.52, θ2/0.52; Gruau's damping fitness over 1,000 steps; a champion wins
    /// by balancing `success_steps`, then at least `generalization_threshold` of
    /// the 625 generalization starts for 1,000 steps each.
    DoubleWithoutVelocities,
}

/// How the agent's first output becomes the cart force. Either way the force is
/// clamped to ±10 N, and a NaN output fails the episode at that step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForceMapping {
    /// For outputs in [0, 1] (sigmoids): F = (o − 0.5) · 2 · 10 N, as in the
    /// reference code. 0.5 is no force.
    ZeroToOne,
    /// For outputs in [−1, 1] (tanh and other odd activations): F = o · 10 N.
    MinusOneToOne,
}

impl ForceMapping {
    /// The force for output `o`, clamped to ±10 N; `None` when `o` is NaN.
    #[inline]
    pub fn force(self, o: f64) -> Option<f64> {
        if o.is_nan() {
            return None;
        }
        let force = match self {
            Self::ZeroToOne => (o - 0.5) * FORCE_LIMIT * 2.0,
            Self::MinusOneToOne => o * FORCE_LIMIT,
        };
        Some(force.clamp(-FORCE_LIMIT, FORCE_LIMIT))
    }
}

/// A pole-balancing task, as written in an experiment file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoleConfig {
    /// Which task: `Single`, `DoubleWithVelocities` or `DoubleWithoutVelocities`.
    /// Required.
    pub variant: PoleVariant,
    /// Start angle of the long pole (the only pole in `Single`), degrees; everything
    /// else starts at rest at zero. Default 4.0. The reference code starts at
    /// 0.07 rad (4.0107°); `4.010704565915763` gives exactly 0.07 rad. Its magnitude must
    /// be below the failure angle (12° single, 36° double).
    #[serde(default = "default_start_angle_degrees")]
    pub start_angle_degrees: f64,
    /// How the first output becomes a force. Default `ZeroToOne`.
    #[serde(default = "default_force_mapping")]
    pub force_mapping: ForceMapping,
    /// Steps to balance for success: the whole test of `Single` and
    /// `DoubleWithVelocities`, and the champion's long test of
    /// `DoubleWithoutVelocities`. Default 100,000 (the paper). At least 1.
    #[serde(default = "default_success_steps")]
    pub success_steps: u64,
    /// `DoubleWithoutVelocities` only: how many of the 625 generalization starts a
    /// champion must balance for 1,000 steps to win. Default 200. At most 625.
    #[serde(default = "default_generalization_threshold")]
    pub generalization_threshold: u32,
    /// Cart–track friction coefficient μc, newtons, ≥ 0. Default 0.0005, as in
    /// Wieland's equations; the reference code declares this value but never
    /// applies it, so 0.0 reproduces the reference dynamics exactly.
    #[serde(default = "default_cart_friction")]
    pub cart_friction: f64,
}

fn default_start_angle_degrees() -> f64 {
    4.0
}
fn default_force_mapping() -> ForceMapping {
    ForceMapping::ZeroToOne
}
fn default_success_steps() -> u64 {
    100_000
}
fn default_generalization_threshold() -> u32 {
    200
}
fn default_cart_friction() -> f64 {
    CART_FRICTION
}

/// A pole config field out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("task.{field}: {message}")]
pub struct PoleError {
    /// The offending field, as spelled in the config file.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// The number of generalization starts (5⁴).
pub const GENERALIZATION_STARTS: u32 = 625;

impl PoleConfig {
    /// The variant with every other field at its default.
    pub fn new(variant: PoleVariant) -> Self {
        Self {
            variant,
            start_angle_degrees: default_start_angle_degrees(),
            force_mapping: default_force_mapping(),
            success_steps: default_success_steps(),
            generalization_threshold: default_generalization_threshold(),
            cart_friction: default_cart_friction(),
        }
    }

    /// The failure angle of this variant, degrees.
    fn failure_angle_degrees(&self) -> f64 {
        match self.variant {
            PoleVariant::Single => SINGLE_POLE_FAILURE_ANGLE.to_degrees(),
            PoleVariant::DoubleWithVelocities | PoleVariant::DoubleWithoutVelocities => {
                DOUBLE_POLE_FAILURE_ANGLE.to_degrees()
            }
        }
    }

    /// Checks every field's range. The error names the first offending field.
    pub fn validate(&self) -> Result<(), PoleError> {
        let limit = self.failure_angle_degrees();
        if !(self.start_angle_degrees.is_finite() && self.start_angle_degrees.abs() < limit) {
            return Err(err(
                "start_angle_degrees",
                format!(
                    "{} must be finite and within ±{limit:.4}°, the failure angle of {:?}",
                    self.start_angle_degrees, self.variant
                ),
            ));
        }
        if self.success_steps == 0 {
            return Err(err("success_steps", "0 must be at least 1".to_owned()));
        }
        if self.generalization_threshold > GENERALIZATION_STARTS {
            return Err(err(
                "generalization_threshold",
                format!(
                    "{} exceeds the {GENERALIZATION_STARTS} generalization starts",
                    self.generalization_threshold
                ),
            ));
        }
        if !(self.cart_friction >= 0.0 && self.cart_friction.is_finite()) {
            return Err(err(
                "cart_friction",
                format!("{} must be finite and ≥ 0", self.cart_friction),
            ));
        }
        Ok(())
    }

    /// Validates the config and builds the task.
    pub fn build(&self) -> Result<PoleTask, PoleError> {
        self.validate()?;
        Ok(PoleTask::new(*self))
    }
}

fn err(field: &'static str, message: String) -> PoleError {
    PoleError { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PoleConfig, ron::error::SpannedError> {
        ron::from_str(text)
    }

    #[test]
    fn a_config_names_only_its_variant() {
        let c = parse("(variant: DoubleWithoutVelocities)").unwrap();
        assert_eq!(c, PoleConfig::new(PoleVariant::DoubleWithoutVelocities));
        assert_eq!(c.start_angle_degrees, 4.0);
        assert_eq!(c.force_mapping, ForceMapping::ZeroToOne);
        assert_eq!(c.success_steps, 100_000);
        assert_eq!(c.generalization_threshold, 200);
        assert_eq!(c.cart_friction, 0.0005);
        c.validate().unwrap();
    }

    #[test]
    fn every_field_can_be_written() {
        let text = "(
            variant: Single,
            start_angle_degrees: 1.0,
            force_mapping: MinusOneToOne,
            success_steps: 50000,
            generalization_threshold: 250,
            cart_friction: 0.0,
        )";
        let c = parse(text).unwrap();
        assert_eq!(c.variant, PoleVariant::Single);
        assert_eq!(c.force_mapping, ForceMapping::MinusOneToOne);
        assert_eq!((c.success_steps, c.generalization_threshold), (50_000, 250));
        let again: PoleConfig = parse(&ron::to_string(&c).unwrap()).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn unknown_fields_and_a_missing_variant_are_rejected() {
        let unknown = parse("(variant: Single, max_steps: 10)").unwrap_err();
        assert!(unknown.to_string().contains("max_steps"), "{unknown}");
        assert!(parse("(start_angle_degrees: 1.0)").is_err());
    }

    #[test]
    fn out_of_range_values_name_their_field() {
        let double = PoleConfig::new(PoleVariant::DoubleWithVelocities);
        let single = PoleConfig::new(PoleVariant::Single);
        let cases = [
            (
                PoleConfig {
                    start_angle_degrees: 36.5,
                    ..double
                },
                "start_angle_degrees",
            ),
            (
                PoleConfig {
                    start_angle_degrees: f64::NAN,
                    ..double
                },
                "start_angle_degrees",
            ),
            (
                PoleConfig {
                    start_angle_degrees: -12.5,
                    ..single
                },
                "start_angle_degrees",
            ),
            (
                PoleConfig {
                    success_steps: 0,
                    ..double
                },
                "success_steps",
            ),
            (
                PoleConfig {
                    generalization_threshold: 626,
                    ..double
                },
                "generalization_threshold",
            ),
            (
                PoleConfig {
                    cart_friction: -1e-4,
                    ..double
                },
                "cart_friction",
            ),
            (
                PoleConfig {
                    cart_friction: f64::INFINITY,
                    ..double
                },
                "cart_friction",
            ),
        ];
        for (config, field) in cases {
            let e = config.build().unwrap_err();
            assert_eq!(e.field, field);
            assert!(e.to_string().starts_with(&format!("task.{field}: ")), "{e}");
        }
        // Inside the limits is fine, including the double pole's 12.5°.
        PoleConfig {
            start_angle_degrees: -12.5,
            ..double
        }
        .validate()
        .unwrap();
        PoleConfig {
            generalization_threshold: 625,
            ..double
        }
        .validate()
        .unwrap();
    }

    #[test]
    fn force_mappings_follow_the_reference_and_clamp() {
        let z = ForceMapping::ZeroToOne;
        let m = ForceMapping::MinusOneToOne;
        assert_eq!(z.force(0.5), Some(0.0));
        assert_eq!(z.force(1.0), Some(10.0));
        assert_eq!(z.force(0.0), Some(-10.0));
        assert_eq!(z.force(0.75), Some(5.0));
        assert_eq!(m.force(-0.25), Some(-2.5));
        assert_eq!(m.force(3.0), Some(10.0));
        assert_eq!(z.force(-7.0), Some(-10.0));
        assert_eq!(m.force(f64::NEG_INFINITY), Some(-10.0));
        assert_eq!(z.force(f64::NAN), None);
        assert_eq!(m.force(f64::NAN), None);
    }
}
