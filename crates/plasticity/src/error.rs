//! The one error type of this crate.

use thiserror::Error;

/// Everything that can go wrong in `sprout-plasticity`. Every variant names the
/// quantity at fault so a caller can report it without guessing.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PlasticityError {
    /// Two things that must have the same length (or shape) do not.
    #[error("{what}: expected length {expected}, found {found}")]
    DimensionMismatch {
        /// Which quantity has the wrong size.
        what: &'static str,
        /// The size that was required.
        expected: usize,
        /// The size that was supplied.
        found: usize,
    },
    /// A parameter is out of its valid range (or not finite).
    #[error("parameter `{name}` = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The offending value.
        value: f64,
        /// What the valid range is.
        reason: &'static str,
    },
    /// A value that must be bipolar (±1) or binary (0/1) is not.
    #[error("{what}: element {index} is {value}, expected {expected}")]
    InvalidState {
        /// Which vector holds the bad value.
        what: &'static str,
        /// Position of the bad value.
        index: usize,
        /// The bad value.
        value: f64,
        /// What the value should have been.
        expected: &'static str,
    },
    /// Exact enumeration was asked for a layer too wide to enumerate.
    #[error("cannot enumerate 2^{units} states (at most 2^{max} are allowed)")]
    TooLargeToEnumerate {
        /// Width of the smaller layer.
        units: usize,
        /// The largest width that is enumerated.
        max: usize,
    },
    /// An operation needs at least one element (pattern, sample, layer) and got none.
    #[error("{what} is empty")]
    Empty {
        /// What was empty.
        what: &'static str,
    },
    /// An index points outside the collection it indexes.
    #[error("{what}: index {index} is out of range (length {len})")]
    IndexOutOfRange {
        /// Which index is at fault.
        what: &'static str,
        /// The index.
        index: usize,
        /// The collection length.
        len: usize,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, PlasticityError>;

/// Fails with [`PlasticityError::DimensionMismatch`] unless `found == expected`.
pub(crate) fn check_len(what: &'static str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(PlasticityError::DimensionMismatch {
            what,
            expected,
            found,
        })
    }
}

/// Fails with [`PlasticityError::InvalidParameter`] unless `value` is finite.
pub(crate) fn check_finite(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(PlasticityError::InvalidParameter {
            name,
            value,
            reason: "must be finite",
        })
    }
}

/// Fails with [`PlasticityError::InvalidParameter`] unless `value` is finite and `> 0`.
pub(crate) fn check_positive(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(PlasticityError::InvalidParameter {
            name,
            value,
            reason: "must be finite and > 0",
        })
    }
}

/// Fails with [`PlasticityError::InvalidParameter`] unless `0 <= value <= 1`.
pub(crate) fn check_unit_interval(name: &'static str, value: f64) -> Result<()> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(PlasticityError::InvalidParameter {
            name,
            value,
            reason: "must lie in [0, 1]",
        })
    }
}
