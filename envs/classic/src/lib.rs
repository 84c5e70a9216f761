//! Classic neuroevolution benchmarks: XOR and pole balancing.

pub mod pole;
pub mod xor;
