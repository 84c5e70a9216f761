//! The binary form of genomes and results in messages: a fraction of the RON's
//! size and cost, so evaluations of tens of microseconds are still worth sending
//! out. Everything is little-endian; counts and ids are LEB128 varints; floats
//! travel as their bits, so nothing is rounded. A message that ends early, or
//! holds an unknown node kind or activation, is an error, never a panic.

use sprout_genome::{Activation, ConnGene, Genome, NodeGene, NodeId, NodeKind, PlasticGene};

/// Writes values into a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    /// A writer with room for `genome` (about its size, so the buffer is not
    /// grown and copied as it fills).
    pub fn for_genome(genome: &Genome) -> Self {
        Self {
            bytes: Vec::with_capacity(16 + 10 * genome.nodes.len() + 24 * genome.conns.len()),
        }
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }

    /// A length-prefixed byte string.
    pub fn blob(&mut self, bytes: &[u8]) {
        self.varint(bytes.len() as u64);
        self.bytes.extend_from_slice(bytes);
    }

    pub fn genome(&mut self, g: &Genome) {
        self.varint(g.id);
        self.varint(g.inputs as u64);
        self.varint(g.outputs as u64);
        // The input nodes are the same in every genome (ids 0.., Identity, no
        // bias): one flag instead of a byte pair each, which halves a
        // platformer genome.
        let canonical = g.nodes.len() >= g.inputs
            && g.nodes[..g.inputs]
                .iter()
                .enumerate()
                .all(|(i, n)| is_canonical_input(n, i));
        let skipped = if canonical { g.inputs } else { 0 };
        self.u8(u8::from(canonical));
        self.varint((g.nodes.len() - skipped) as u64);
        let mut previous = skipped.saturating_sub(1) as u64;
        for node in &g.nodes[skipped..] {
            // Ids are sorted: send the gap.
            self.varint(u64::from(node.id).wrapping_sub(previous));
            previous = u64::from(node.id);
            let zero_bias = node.bias.to_bits() == 0;
            self.u8(kind_code(node.kind)
                | activation_code(node.activation) << 2
                | u8::from(zero_bias) << 7);
            if !zero_bias {
                self.f64(node.bias);
            }
        }
        self.varint(g.conns.len() as u64);
        let mut previous = 0u64;
        for c in &g.conns {
            self.varint(c.innovation.wrapping_sub(previous));
            previous = c.innovation;
            self.varint(u64::from(c.source));
            self.varint(u64::from(c.target));
            self.f64(c.weight);
            self.u8(u8::from(c.enabled) | u8::from(c.plastic.is_some()) << 1);
            if let Some(p) = &c.plastic {
                for v in p.coefficients() {
                    self.f64(v);
                }
            }
        }
        self.varint(g.module_params.len() as u64);
        for &v in &g.module_params {
            self.f64(v);
        }
    }
}

/// Reads values from a byte slice.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

type Read<T> = Result<T, String>;

fn short() -> String {
    "the message ends early".into()
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn u8(&mut self) -> Read<u8> {
        let (&first, rest) = self.bytes.split_first().ok_or_else(short)?;
        self.bytes = rest;
        Ok(first)
    }

    pub fn varint(&mut self) -> Read<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is longer than 64 bits".into())
    }

    /// A varint that must fit `limit` (counts and ids), so a corrupt message
    /// cannot ask for a huge allocation.
    pub fn count(&mut self, limit: u64) -> Read<usize> {
        let n = self.varint()?;
        if n > limit {
            return Err(format!("a count of {n} is more than the message can hold"));
        }
        Ok(n as usize)
    }

    pub fn u64(&mut self) -> Read<u64> {
        if self.bytes.len() < 8 {
            return Err(short());
        }
        let (head, rest) = self.bytes.split_at(8);
        self.bytes = rest;
        Ok(u64::from_le_bytes(head.try_into().expect("8 bytes")))
    }

    pub fn f64(&mut self) -> Read<f64> {
        self.u64().map(f64::from_bits)
    }

    pub fn blob(&mut self) -> Read<&'a [u8]> {
        let n = self.count(self.bytes.len() as u64)?;
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn genome(&mut self) -> Read<Genome> {
        // Every node and connection takes at least two bytes.
        let room = self.bytes.len() as u64 / 2;
        let id = self.varint()?;
        // Input nodes may be implied (one flag for all of them), so their count
        // is bounded by a limit of its own rather than by the message's size.
        let inputs = self.count(MAX_INPUTS)?;
        let outputs = self.count(room)?;
        let canonical = self.u8()? != 0;
        let n = self.count(room)?;
        let skipped = if canonical { inputs } else { 0 };
        let mut nodes = Vec::with_capacity(skipped + n);
        nodes.extend((0..skipped).map(|i| canonical_input(i as NodeId)));
        let mut previous = skipped.saturating_sub(1) as u64;
        for _ in 0..n {
            previous = previous.wrapping_add(self.varint()?);
            let id = u32::try_from(previous).map_err(|_| "a node id is out of range")?;
            let code = self.u8()?;
            let bias = if code & 0x80 != 0 { 0.0 } else { self.f64()? };
            nodes.push(NodeGene {
                id,
                kind: kind_of(code & 0b11)?,
                activation: activation_of((code >> 2) & 0x1f)?,
                bias,
            });
        }
        let n = self.count(room)?;
        let mut conns = Vec::with_capacity(n);
        let mut previous = 0u64;
        for _ in 0..n {
            let innovation = previous.wrapping_add(self.varint()?);
            previous = innovation;
            let id = |v: u64| u32::try_from(v).map_err(|_| "a connection's node is out of range");
            let source = id(self.varint()?)?;
            let target = id(self.varint()?)?;
            let weight = self.f64()?;
            let flags = self.u8()?;
            let plastic = if flags & 2 != 0 {
                let [eta, a, b, c, d] = [
                    self.f64()?,
                    self.f64()?,
                    self.f64()?,
                    self.f64()?,
                    self.f64()?,
                ];
                Some(PlasticGene { eta, a, b, c, d })
            } else {
                None
            };
            conns.push(ConnGene {
                innovation,
                source,
                target,
                weight,
                enabled: flags & 1 != 0,
                plastic,
            });
        }
        let n = self.count(room)?;
        let module_params = (0..n).map(|_| self.f64()).collect::<Read<Vec<f64>>>()?;
        Ok(Genome {
            id,
            inputs,
            outputs,
            nodes,
            conns,
            module_params,
        })
    }
}

/// The most inputs a genome in a message may have (Sprout's largest task has
/// 172); bounds what a corrupt message can make a worker allocate.
const MAX_INPUTS: u64 = 1 << 16;

/// Input node `id` as every genome has it.
fn canonical_input(id: NodeId) -> NodeGene {
    NodeGene {
        id,
        kind: NodeKind::Input,
        activation: Activation::Identity,
        bias: 0.0,
    }
}

fn is_canonical_input(node: &NodeGene, index: usize) -> bool {
    node.id as usize == index
        && node.kind == NodeKind::Input
        && node.activation == Activation::Identity
        && node.bias.to_bits() == 0
}

fn kind_code(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::Input => 0,
        NodeKind::Bias => 1,
        NodeKind::Hidden => 2,
        NodeKind::Output => 3,
    }
}

fn kind_of(code: u8) -> Read<NodeKind> {
    Ok(match code {
        0 => NodeKind::Input,
        1 => NodeKind::Bias,
        2 => NodeKind::Hidden,
        _ => NodeKind::Output,
    })
}

fn activation_code(activation: Activation) -> u8 {
    // Exhaustive, so a new activation fails to compile until it has a code.
    match activation {
        Activation::SteepSigmoid => 0,
        Activation::Sigmoid => 1,
        Activation::Tanh => 2,
        Activation::Relu => 3,
        Activation::Identity => 4,
        Activation::Gaussian => 5,
        Activation::Sin => 6,
        Activation::Abs => 7,
        Activation::Step => 8,
        Activation::Clamped => 9,
        Activation::SteepTanh => 10,
    }
}

fn activation_of(code: u8) -> Read<Activation> {
    // The codes follow the declaration order (activation_code, checked by a
    // round-trip test).
    Activation::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| format!("unknown activation code {code}"))
}

#[cfg(test)]
mod tests;
