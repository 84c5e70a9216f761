//! The messages on the streams, and how Redis's stream replies are read.
//!
//! A task entry has the fields `v` (protocol), `sprout` (version), `run`, `gen`,
//! `seed`, `chunk` and `body`; a result entry `v`, `sprout`, `run`, `gen`,
//! `chunk`, `worker` and `body`. Bodies are binary ([`crate::wire`]); fitness
//! travels as the bits of its `f64`, so nothing is rounded on the way.

use redis::Value;
use sprout_genome::Genome;
use sprout_task::Evaluation;

use crate::wire::{Reader, Writer};

/// The message protocol. A master and a worker of different protocols refuse
/// each other's messages (they go to the dead-letter stream). Protocol 2 checks
/// genomes with [`wire_hash`] instead of FNV-1a.
pub const PROTOCOL: u32 = 2;

/// The Sprout version in every message, for the log line when protocols differ.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Appends the header every entry starts with (protocol, version, run,
/// generation) to the command being built.
pub(crate) fn with_header<'a>(
    cmd: &'a mut redis::Cmd,
    run: &str,
    generation: u64,
) -> &'a mut redis::Cmd {
    cmd.arg("v")
        .arg(PROTOCOL)
        .arg("sprout")
        .arg(VERSION)
        .arg("run")
        .arg(run)
        .arg("gen")
        .arg(generation)
}

/// The start of an `XADD` to the dead-letter stream (kept to its last ten
/// thousand entries): why, from which stream, which entry.
pub(crate) fn dead_letter(reason: &str, source: &str, id: &str) -> redis::Cmd {
    let mut cmd = redis::cmd("XADD");
    cmd.arg(crate::keys::DEAD)
        .arg("MAXLEN")
        .arg("~")
        .arg(10_000)
        .arg("*")
        .arg("reason")
        .arg(reason)
        .arg("source")
        .arg(source)
        .arg("id")
        .arg(id);
    cmd
}

/// A stable 64-bit hash of a genome's wire bytes, eight bytes at a time: the
/// check that a genome arrived whole and is the one the master sent (not a
/// cryptographic one). Byte-wise FNV-1a took a microsecond per platformer
/// genome on each side, a tenth of what sending it costs.
pub(crate) fn wire_hash(bytes: &[u8]) -> u64 {
    let mix = |h: u64, word: u64| {
        let h = (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 29)
    };
    let mut words = bytes.chunks_exact(8);
    let mut h = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    for word in &mut words {
        h = mix(h, u64::from_le_bytes(word.try_into().expect("eight bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(h, u64::from_le_bytes(tail))
}

/// 64-bit FNV-1a: a stable hash (the same on every machine and release) of a
/// run's settings.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One stream entry: its id and fields.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: String,
    pub fields: Vec<(String, Vec<u8>)>,
}

impl Entry {
    /// The value of field `name`.
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Field `name` as text.
    pub fn text(&self, name: &str) -> Result<&str, String> {
        let bytes = self
            .field(name)
            .ok_or_else(|| format!("no `{name}` field"))?;
        std::str::from_utf8(bytes).map_err(|_| format!("field `{name}` is not UTF-8"))
    }

    /// Field `name` as a number.
    pub fn number(&self, name: &str) -> Result<u64, String> {
        let text = self.text(name)?;
        text.parse()
            .map_err(|_| format!("field `{name}` is not a number: {text:.40}"))
    }

    /// The bytes of all fields.
    pub fn size(&self) -> usize {
        self.fields.iter().map(|(k, v)| k.len() + v.len()).sum()
    }

    /// Checks the protocol and returns (run, generation).
    pub fn header(&self) -> Result<(String, u64), String> {
        let version = self.number("v")?;
        if version != u64::from(PROTOCOL) {
            let sprout = self.text("sprout").unwrap_or("?");
            return Err(format!(
                "protocol {version} (Sprout {sprout}), but this is protocol {PROTOCOL} (Sprout {VERSION})"
            ));
        }
        Ok((self.text("run")?.to_string(), self.number("gen")?))
    }

    /// The body's bytes.
    pub fn body(&self) -> Result<&[u8], String> {
        self.field("body")
            .ok_or_else(|| "no `body` field".to_string())
    }
}

/// The genomes of one chunk, still encoded (workers decode them in parallel).
#[derive(Debug)]
pub(crate) struct TaskBody<'a> {
    pub genomes: Vec<Framed<'a>>,
}

/// One genome of a chunk: its index in the population, its id, the
/// [`wire_hash`] of its wire bytes, and those bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framed<'a> {
    pub index: u32,
    pub id: u64,
    pub hash: u64,
    pub bytes: &'a [u8],
}

impl Framed<'_> {
    /// The genome, checked against its hash and id.
    pub fn genome(&self) -> Result<Genome, String> {
        if wire_hash(self.bytes) != self.hash {
            return Err(format!(
                "body does not parse: genome at index {} does not match its hash {:016x}",
                self.index, self.hash
            ));
        }
        let genome = Reader::new(self.bytes)
            .genome()
            .map_err(|e| format!("body does not parse: genome at index {}: {e}", self.index))?;
        if genome.id != self.id {
            return Err(format!(
                "body does not parse: genome at index {} is genome {}, not {}",
                self.index, genome.id, self.id
            ));
        }
        Ok(genome)
    }
}

impl<'a> TaskBody<'a> {
    /// Encodes genomes given as (index, id, wire bytes, hash of the bytes).
    pub fn encode<'b>(genomes: impl Iterator<Item = (u32, u64, &'b [u8], u64)>) -> Vec<u8> {
        let mut w = Writer::default();
        let genomes: Vec<_> = genomes.collect();
        w.varint(genomes.len() as u64);
        for (index, id, bytes, hash) in genomes {
            w.varint(u64::from(index));
            w.varint(id);
            w.u64(hash);
            w.blob(bytes);
        }
        w.bytes
    }

    /// Splits a body into its genomes (decoded later, by [`Framed::genome`]).
    pub fn decode(bytes: &'a [u8]) -> Result<Self, String> {
        Self::frames(bytes).map_err(|e| format!("body does not parse: {e}"))
    }

    fn frames(bytes: &'a [u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes);
        let n = r.count(bytes.len() as u64)?;
        let mut genomes = Vec::with_capacity(n);
        for _ in 0..n {
            let index = u32::try_from(r.varint()?).map_err(|_| "an index is out of range")?;
            let id = r.varint()?;
            let hash = r.u64()?;
            let bytes = r.blob()?;
            genomes.push(Framed {
                index,
                id,
                hash,
                bytes,
            });
        }
        if !r.is_empty() {
            return Err("bytes after the last genome".into());
        }
        Ok(Self { genomes })
    }
}

/// One genome's result.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub index: u32,
    pub id: u64,
    pub hash: u64,
    pub evaluation: Evaluation,
    pub learned: Option<Genome>,
}

/// What a worker reports for a chunk.
#[derive(Debug)]
pub(crate) enum ResultBody {
    /// Every genome of the chunk, evaluated.
    Evaluated(Vec<Record>),
    /// The chunk was not evaluated and will not be: delivered too often, or
    /// refused (an experiment this worker cannot build).
    Failed {
        genome_ids: Vec<u64>,
        deliveries: u64,
        reason: String,
    },
}

impl ResultBody {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            ResultBody::Evaluated(records) => {
                w.u8(0);
                w.varint(records.len() as u64);
                for r in records {
                    w.varint(u64::from(r.index));
                    w.varint(r.id);
                    w.u64(r.hash);
                    w.f64(r.evaluation.fitness);
                    w.u8(u8::from(r.evaluation.solved) | u8::from(r.learned.is_some()) << 1);
                    w.varint(r.evaluation.steps);
                    if let Some(g) = &r.learned {
                        w.genome(g);
                    }
                }
            }
            ResultBody::Failed {
                genome_ids,
                deliveries,
                reason,
            } => {
                w.u8(1);
                w.varint(genome_ids.len() as u64);
                for &id in genome_ids {
                    w.varint(id);
                }
                w.varint(*deliveries);
                w.blob(reason.as_bytes());
            }
        }
        w.bytes
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        Self::decode_body(bytes).map_err(|e| format!("body does not parse: {e}"))
    }

    fn decode_body(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader::new(bytes);
        let room = bytes.len() as u64;
        let body = match r.u8()? {
            0 => {
                let n = r.count(room)?;
                let mut records = Vec::with_capacity(n);
                for _ in 0..n {
                    let index =
                        u32::try_from(r.varint()?).map_err(|_| "an index is out of range")?;
                    let id = r.varint()?;
                    let hash = r.u64()?;
                    let fitness = r.f64()?;
                    let flags = r.u8()?;
                    let steps = r.varint()?;
                    let learned = if flags & 2 != 0 {
                        Some(r.genome()?)
                    } else {
                        None
                    };
                    records.push(Record {
                        index,
                        id,
                        hash,
                        evaluation: Evaluation {
                            fitness,
                            solved: flags & 1 != 0,
                            steps,
                        },
                        learned,
                    });
                }
                ResultBody::Evaluated(records)
            }
            1 => {
                let n = r.count(room)?;
                let genome_ids = (0..n).map(|_| r.varint()).collect::<Result<_, _>>()?;
                let deliveries = r.varint()?;
                let reason = String::from_utf8_lossy(r.blob()?).into_owned();
                ResultBody::Failed {
                    genome_ids,
                    deliveries,
                    reason,
                }
            }
            tag => return Err(format!("unknown result kind {tag}")),
        };
        if !r.is_empty() {
            return Err("bytes after the last result".into());
        }
        Ok(body)
    }
}

/// The entries of an `XREADGROUP`/`XREAD` reply (nil when it timed out).
pub(crate) fn read_reply(value: &Value) -> Vec<Entry> {
    match value {
        Value::Array(streams) => streams
            .iter()
            .filter_map(|stream| match stream {
                Value::Array(pair) if pair.len() == 2 => Some(entries(&pair[1])),
                _ => None,
            })
            .flatten()
            .collect(),
        Value::Map(streams) => streams.iter().flat_map(|(_, v)| entries(v)).collect(),
        _ => Vec::new(),
    }
}

/// The entries of an `XAUTOCLAIM` reply: (next cursor, claimed entries).
pub(crate) fn autoclaim_reply(value: &Value) -> Vec<Entry> {
    match value {
        Value::Array(parts) if parts.len() >= 2 => entries(&parts[1]),
        _ => Vec::new(),
    }
}

/// A list of entries (`XRANGE`, or one stream of `XREAD`); entries deleted
/// while pending come back as nil and are skipped.
pub(crate) fn entries(value: &Value) -> Vec<Entry> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Value::Array(pair) = item else {
                return None;
            };
            let [id, fields] = pair.as_slice() else {
                return None;
            };
            let id = bytes(id).map(|b| String::from_utf8_lossy(&b).into_owned())?;
            let fields = match fields {
                Value::Array(flat) => flat
                    .chunks(2)
                    .filter_map(|kv| {
                        let key = String::from_utf8_lossy(&bytes(&kv[0])?).into_owned();
                        Some((key, bytes(kv.get(1)?)?))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Some(Entry { id, fields })
        })
        .collect()
}

/// The bytes of a string reply.
pub(crate) fn bytes(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::BulkString(b) => Some(b.clone()),
        Value::SimpleString(s) => Some(s.clone().into_bytes()),
        Value::Int(i) => Some(i.to_string().into_bytes()),
        _ => None,
    }
}

/// The delivery count of each pending entry in an `XPENDING … IDLE`-less
/// extended reply: `[[id, consumer, idle, deliveries], …]`.
pub(crate) fn pending_deliveries(value: &Value) -> Vec<(String, u64)> {
    let Value::Array(rows) = value else {
        return Vec::new();
    };
    rows.iter()
        .filter_map(|row| {
            let Value::Array(cols) = row else {
                return None;
            };
            let id = String::from_utf8_lossy(&bytes(cols.first()?)?).into_owned();
            let deliveries = match cols.get(3)? {
                Value::Int(n) => u64::try_from(*n).ok()?,
                _ => return None,
            };
            Some((id, deliveries))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of FNV-1a 64 (Fowler, Noll, Vo).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn wire_hash_is_pinned() {
        // Masters and workers of one protocol must agree on every machine.
        assert_eq!(wire_hash(b""), 0xf8bb_92ce_2658_5846);
        assert_eq!(wire_hash(b"a genome's wire bytes"), 0x8a14_ece3_89f7_9fa5);
    }

    proptest::proptest! {
        #[test]
        fn wire_hash_sees_any_flipped_bit_and_any_added_byte(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            bit in 0usize..2400,
        ) {
            let hash = wire_hash(&bytes);
            if !bytes.is_empty() {
                let mut flipped = bytes.clone();
                let bit = bit % (bytes.len() * 8);
                flipped[bit / 8] ^= 1 << (bit % 8);
                proptest::prop_assert_ne!(wire_hash(&flipped), hash);
            }
            let mut longer = bytes.clone();
            longer.push(0);
            proptest::prop_assert_ne!(wire_hash(&longer), hash);
        }
    }

    fn entry(fields: &[(&str, &str)]) -> Entry {
        Entry {
            id: "1-0".into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn a_message_of_another_protocol_is_refused_naming_both_versions() {
        let e = entry(&[("v", "99"), ("sprout", "9.9.9"), ("run", "r"), ("gen", "1")]);
        let err = e.header().unwrap_err();
        assert!(err.contains("protocol 99 (Sprout 9.9.9)"), "{err}");
        assert!(err.contains(&format!("protocol {PROTOCOL}")), "{err}");
    }

    #[test]
    fn a_message_with_missing_or_garbage_fields_is_refused() {
        assert!(entry(&[]).header().unwrap_err().contains("no `v` field"));
        let v = PROTOCOL.to_string();
        let e = entry(&[("v", &v), ("run", "r"), ("gen", "x")]);
        assert!(e.header().unwrap_err().contains("`gen` is not a number"));
        let e = entry(&[("body", "(genomes: [oops")]);
        assert!(TaskBody::decode(e.body().unwrap()).is_err());
    }

    #[test]
    fn stream_replies_are_read_into_entries() {
        let bulk = |s: &str| Value::BulkString(s.as_bytes().to_vec());
        let one = Value::Array(vec![
            bulk("5-1"),
            Value::Array(vec![bulk("v"), bulk("1"), bulk("run"), bulk("abc")]),
        ]);
        let reply = Value::Array(vec![Value::Array(vec![
            bulk("sprout:tasks"),
            Value::Array(vec![one.clone(), Value::Nil]),
        ])]);
        let got = read_reply(&reply);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, "5-1");
        assert_eq!(got[0].text("run").unwrap(), "abc");
        assert!(read_reply(&Value::Nil).is_empty());
        let claim = Value::Array(vec![
            bulk("0-0"),
            Value::Array(vec![one]),
            Value::Array(vec![]),
        ]);
        assert_eq!(autoclaim_reply(&claim).len(), 1);
        let pending = Value::Array(vec![Value::Array(vec![
            bulk("5-1"),
            bulk("w1"),
            Value::Int(10),
            Value::Int(4),
        ])]);
        assert_eq!(pending_deliveries(&pending), vec![("5-1".to_string(), 4)]);
    }
}
