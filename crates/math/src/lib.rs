//! Sprout's transcendental functions, portable: the same bits on every machine.
//!
//! `f64::exp`, `ln`, `sin`, `cos` and `tanh` call the platform's libm, whose last
//! bit may differ between systems (glibc, musl, macOS, Windows). Sprout promises that
//! the same seed gives the same run on every machine, including evaluations spread
//! over many machines, so every evaluation path computes these functions here:
//! [`exp`] (and [`tanh`], built on it) with `+`, `*`, `/` and bit operations only,
//! which IEEE 754 pins down exactly, and [`ln`], [`ln_1p`], [`sin`], [`cos`] with the
//! `libm` crate, a pure-Rust port of musl's libm compiled into the binary. The
//! workspace's `clippy.toml` forbids the `f64` methods, so a new call to the
//! platform's libm fails the lint.

/// ln 2 split as in fdlibm: the high part has trailing zero bits, so k·LN2_HI
/// is exact for the k that occur.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// Adding and subtracting 1.5·2^52 rounds to the nearest integer in plain IEEE
/// arithmetic (no libm `round` call on baseline x86-64).
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// e^x to about 1 ulp, from basic IEEE operations only (no FMA, no libm).
#[inline]
pub fn exp(x: f64) -> f64 {
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    if x.is_nan() {
        return x;
    }
    // x = k·ln2 + r with |r| ≤ ln2/2; e^x = 2^k · e^r.
    let k = (x * std::f64::consts::LOG2_E + SHIFTER) - SHIFTER;
    scale_by_power_of_two(exp_reduced(x, k), k as i32)
}

/// e^x for several x at once, bit for bit [`exp`] of each. Lanes in ±700 take
/// a branch-free path that the compiler can vectorize (2^k is built from the
/// rounding's bits rather than a float-to-integer conversion); the rest go
/// through [`exp`].
#[inline]
pub fn exp_lanes<const N: usize>(x: [f64; N]) -> [f64; N] {
    let mut out = [0.0; N];
    let mut outside = false;
    for (out, &x) in out.iter_mut().zip(&x) {
        let shifted = x * std::f64::consts::LOG2_E + SHIFTER;
        let k = shifted - SHIFTER;
        // Within ±700, `shifted` lies in [2^52, 2^53), where its bits count
        // units: their difference from SHIFTER's is k.
        let k_bits = shifted.to_bits().wrapping_sub(SHIFTER.to_bits());
        let scale = f64::from_bits(1023u64.wrapping_add(k_bits) << 52);
        *out = exp_reduced(x, k) * scale;
        outside |= !(-700.0..=700.0).contains(&x);
    }
    if outside {
        for (out, &x) in out.iter_mut().zip(&x) {
            if !(-700.0..=700.0).contains(&x) {
                *out = exp(x);
            }
        }
    }
    out
}

/// e^r for r = x − k·ln2 (|r| ≤ ln2/2).
#[inline(always)]
fn exp_reduced(x: f64, k: f64) -> f64 {
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series of e^r to degree 13 (truncation error below 2^-53 for
    // |r| ≤ 0.347), evaluated with Estrin's scheme: the dependency chain is
    // about 8 operations deep instead of Horner's 26, which is what bounds
    // the speed of a feed-forward pass, where each node waits for the last.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let c = |i: usize| INV_FACTORIAL[i];
    let p01 = c(0) + c(1) * r;
    let p23 = c(2) + c(3) * r;
    let p45 = c(4) + c(5) * r;
    let p67 = c(6) + c(7) * r;
    let p89 = c(8) + c(9) * r;
    let p1011 = c(10) + c(11) * r;
    let p1213 = c(12) + c(13) * r;
    let q0 = p01 + p23 * r2;
    let q1 = p45 + p67 * r2;
    let q2 = p89 + p1011 * r2;
    let s0 = q0 + q1 * r4;
    let s1 = q2 + p1213 * r4;
    s0 + s1 * r8
}

/// 1/i! for i = 0..=13.
const INV_FACTORIAL: [f64; 14] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// p · 2^k, splitting the scale so subnormal results stay exact.
#[inline]
fn scale_by_power_of_two(p: f64, k: i32) -> f64 {
    if (-1021..=1023).contains(&k) {
        p * f64::from_bits(((1023 + k) as u64) << 52)
    } else if k > 1023 {
        p * f64::from_bits(((1023 + 1023) as u64) << 52)
            * f64::from_bits(((1023 + k - 1023) as u64) << 52)
    } else {
        p * f64::from_bits(((1023 - 1000) as u64) << 52)
            * f64::from_bits(((1023 + k + 1000) as u64) << 52)
    }
}

/// tanh(x) = 1 − 2/(e^{2x} + 1), from [`exp`]: exactly ±1 where e^{2x}
/// overflows or vanishes, NaN for NaN.
#[inline]
pub fn tanh(x: f64) -> f64 {
    1.0 - 2.0 / (exp(2.0 * x) + 1.0)
}

/// [`tanh`] of several x at once, bit for bit (see [`exp_lanes`]).
#[inline]
pub fn tanh_lanes<const N: usize>(x: [f64; N]) -> [f64; N] {
    exp_lanes(x.map(|x| 2.0 * x)).map(|e| 1.0 - 2.0 / (e + 1.0))
}

/// The natural logarithm (musl's, through the `libm` crate).
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x (musl's, through the `libm` crate).
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// The sine (musl's, through the `libm` crate).
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The cosine (musl's, through the `libm` crate).
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

#[cfg(test)]
mod tests;
