//! Where the overlay draws each node of a network: inputs on their grid cells,
//! outputs in a column beside the button names, hidden nodes in between, pulled
//! towards the nodes they connect (MarI/O's layout).

use sprout_genome::{Genome, NodeId};
use sprout_network::Network;
use sprout_platformer::SensorSpec;

use crate::layout::{GRID_ORIGIN, HIDDEN_REGION, grid_cell, grid_cell_center, output_center};

/// What a node is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeRole {
    /// A grid cell or an extra input.
    Input,
    /// The constant-1 input.
    Bias,
    /// A hidden node.
    Hidden,
    /// An output; the index is the button's.
    Output(usize),
}

/// Screen position and role of every value slot of a compiled network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetView {
    /// Indexed like [`Network::values`].
    pub slots: Vec<(NodeRole, [f32; 2])>,
}

/// Relaxation rounds that pull hidden nodes towards their neighbours.
const RELAX_ROUNDS: usize = 8;

impl NetView {
    /// Lays out `network`, compiled from `genome`, whose inputs are `sensors`.
    pub fn new(network: &Network, genome: &Genome, sensors: &SensorSpec) -> Self {
        let side = sensors.side();
        let cells = side * side;
        let cell = grid_cell(side);
        let below_grid = GRID_ORIGIN[1] + side as f32 * cell + 10.0;
        let outputs = genome.output_ids();
        let mut slots: Vec<(NodeRole, [f32; 2])> = network
            .slot_ids()
            .iter()
            .enumerate()
            .map(|(slot, &id)| {
                let index = id as usize;
                if index < cells {
                    (
                        NodeRole::Input,
                        grid_cell_center(side, index % side, index / side),
                    )
                } else if index < genome.inputs {
                    // Extra inputs (motion) in a row under the grid.
                    let k = (index - cells) as f32;
                    (
                        NodeRole::Input,
                        [GRID_ORIGIN[0] + 12.0 * k + 6.0, below_grid],
                    )
                } else if index == genome.inputs {
                    let k = (genome.inputs - cells) as f32;
                    (
                        NodeRole::Bias,
                        [GRID_ORIGIN[0] + 12.0 * k + 6.0, below_grid],
                    )
                } else if outputs.contains(&id) {
                    let k = (id - outputs.start) as usize;
                    (NodeRole::Output(k), output_center(k))
                } else {
                    (NodeRole::Hidden, seed_position(id, slot))
                }
            })
            .collect();
        relax(&mut slots, network);
        NetView { slots }
    }
}

/// A deterministic spot in the hidden region for node `id`.
fn seed_position(id: NodeId, slot: usize) -> [f32; 2] {
    let [left, top, right, bottom] = HIDDEN_REGION;
    // A small integer hash spreads consecutive ids apart.
    let h = (u64::from(id) ^ (slot as u64) << 32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let u = (h >> 40) as f32 / (1u64 << 24) as f32;
    let v = ((h >> 16) & 0xFF_FFFF) as f32 / (1u64 << 24) as f32;
    [left + u * (right - left), top + v * (bottom - top)]
}

/// Moves each hidden node halfway towards the mean of its neighbours, a few
/// times, keeping it inside the hidden region.
fn relax(slots: &mut [(NodeRole, [f32; 2])], network: &Network) {
    let links: Vec<(usize, usize)> = network.links().map(|(s, t, _)| (s, t)).collect();
    let [left, top, right, bottom] = HIDDEN_REGION;
    for _ in 0..RELAX_ROUNDS {
        let mut sum = vec![[0.0f32; 2]; slots.len()];
        let mut count = vec![0u32; slots.len()];
        for &(s, t) in &links {
            for (me, other) in [(s, t), (t, s)] {
                let p = slots[other].1;
                sum[me][0] += p[0];
                sum[me][1] += p[1];
                count[me] += 1;
            }
        }
        for (i, (role, pos)) in slots.iter_mut().enumerate() {
            if *role == NodeRole::Hidden && count[i] > 0 {
                let n = count[i] as f32;
                pos[0] = (0.5 * pos[0] + 0.5 * sum[i][0] / n).clamp(left, right);
                pos[1] = (0.5 * pos[1] + 0.5 * sum[i][1] / n).clamp(top, bottom);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_genome::{NeatConfig, Population};

    #[test]
    fn inputs_sit_on_their_cells_and_outputs_in_the_column() {
        let sensors = SensorSpec {
            radius: 1,
            extras: false,
        };
        let genome = Population::new(&NeatConfig::default(), 9, 5, 3).genomes[0].clone();
        let network = Network::compile(&genome);
        let view = NetView::new(&network, &genome, &sensors);
        assert_eq!(view.slots.len(), network.values().len());
        assert_eq!(view.slots[4], (NodeRole::Input, grid_cell_center(3, 1, 1)));
        assert_eq!(view.slots[9].0, NodeRole::Bias);
        let outputs: Vec<usize> = view
            .slots
            .iter()
            .filter_map(|(role, _)| match role {
                NodeRole::Output(k) => Some(*k),
                _ => None,
            })
            .collect();
        assert_eq!(outputs.len(), 5);
        for (role, pos) in &view.slots {
            if let NodeRole::Output(k) = role {
                assert_eq!(*pos, output_center(*k));
            }
        }
    }

    #[test]
    fn hidden_nodes_stay_in_their_region() {
        for id in 0..200 {
            let [x, y] = seed_position(id, id as usize);
            let [left, top, right, bottom] = HIDDEN_REGION;
            assert!((left..=right).contains(&x) && (top..=bottom).contains(&y));
        }
    }
}
