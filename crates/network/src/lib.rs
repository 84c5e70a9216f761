//! Compiles NEAT genomes into fast networks.
//!
//! [`Network::compile`] drops disabled links and nodes that cannot reach an
//! output, orders the remaining nodes ([`Structure`]: topologically for
//! feed-forward genomes, by strongly connected component for recurrent ones), and
//! lays them out in flat arrays. That layout depends only on the structure,
//! so each thread caches it for genomes of the same structure (see
//! `layout.rs`; the network is the same either way). [`Network::activate`]
//! then walks those arrays without allocating. [`Network::compile_for`] also compiles the genome's
//! plasticity genes, so the weights learn during a lifetime (see [`Network`]).
//! [`to_dot`] exports a genome for Graphviz.

pub mod activation;
pub mod analysis;
pub mod dot;
mod layout;
pub mod network;
mod plastic;

pub use activation::activate;
pub use analysis::Structure;
pub use dot::to_dot;
pub use network::Network;
