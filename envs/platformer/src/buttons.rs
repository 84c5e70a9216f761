//! The controller: five buttons, and how network outputs press them.

use serde::{Deserialize, Serialize};

/// A set of held buttons, one bit each. Left and right together cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Buttons(pub u8);

impl Buttons {
    /// Nothing held.
    pub const NONE: Buttons = Buttons(0);
    /// Move left.
    pub const LEFT: Buttons = Buttons(1);
    /// Move right.
    pub const RIGHT: Buttons = Buttons(2);
    /// Jump (a new jump needs the button released first; holding it jumps higher).
    pub const JUMP: Buttons = Buttons(4);
    /// Run (higher acceleration and top speed).
    pub const RUN: Buttons = Buttons(8);
    /// Crouch: on the ground, left/right are ignored and the player slides to a stop.
    pub const DOWN: Buttons = Buttons(16);

    /// Network outputs per decision, in this order: left, right, jump, run, down.
    pub const OUTPUTS: usize = 5;
    const ORDER: [Buttons; Buttons::OUTPUTS] = [
        Buttons::LEFT,
        Buttons::RIGHT,
        Buttons::JUMP,
        Buttons::RUN,
        Buttons::DOWN,
    ];

    /// Presses each button whose output (in [`Buttons::OUTPUTS`] order) is > 0.
    /// Missing outputs count as released.
    pub fn from_outputs(outputs: &[f64]) -> Buttons {
        Buttons::ORDER
            .iter()
            .zip(outputs)
            .filter(|&(_, &o)| o > 0.0)
            .fold(Buttons::NONE, |acc, (&b, _)| acc | b)
    }

    /// Whether every button of `other` is held.
    #[inline]
    pub const fn contains(self, other: Buttons) -> bool {
        self.0 & other.0 == other.0
    }

    /// −1 for left, +1 for right, 0 for neither or both.
    #[inline]
    pub const fn direction(self) -> i32 {
        self.contains(Buttons::RIGHT) as i32 - self.contains(Buttons::LEFT) as i32
    }
}

impl std::ops::BitOr for Buttons {
    type Output = Buttons;
    fn bitor(self, rhs: Buttons) -> Buttons {
        Buttons(self.0 | rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_outputs_press_their_buttons() {
        let b = Buttons::from_outputs(&[-0.5, 0.1, 0.0, 2.0, -1.0]);
        assert_eq!(b, Buttons::RIGHT | Buttons::RUN);
    }

    #[test]
    fn left_and_right_cancel() {
        assert_eq!((Buttons::LEFT | Buttons::RIGHT).direction(), 0);
        assert_eq!(Buttons::LEFT.direction(), -1);
        assert_eq!((Buttons::RIGHT | Buttons::JUMP).direction(), 1);
    }
}
