//! Classic neuroevolution benchmarks: XOR, pole balancing, and the T-maze with a
//! moving reward (a task for lifetime learning).

pub mod pole;
pub mod tmaze;
pub mod xor;
