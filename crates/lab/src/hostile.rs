//! One entry point per kind of file Sprout reads, taking raw bytes, as the
//! fuzzers (`fuzz/`) and the corpus tests call them. Whatever the bytes, each
//! returns (an error or not) without panicking, hanging, or allocating more than
//! the bytes justify. They do what loading does, then what a run does first with
//! the result (build the task, compile the network), and never evaluate.

use std::path::Path;

use sprout_network::Network;
use sprout_platformer::Level;

use sprout_evolve::EvolveError;
use sprout_evolve::saves::{decode_text, parse_checkpoint, parse_saved_genome};

use crate::tasks::{SproutExperiment, TaskSpec};

/// Most text a fuzzed checkpoint may decompress to.
const DECOMPRESSED_LIMIT: u64 = 64 << 20;

fn text(data: &[u8]) -> Result<String, EvolveError> {
    decode_text(data.to_vec(), Path::new("fuzz"), DECOMPRESSED_LIMIT)
}

/// An experiment file: parse, validate, build the task.
pub fn experiment(data: &[u8]) -> Result<(), EvolveError> {
    let text = text(data)?;
    let path = Path::new("fuzz.ron");
    let experiment = SproutExperiment::parse(&text, path)?;
    experiment.check(path, Some(&text))?;
    Ok(())
}

/// A champion file: parse, check the genome, compile its network.
pub fn champion(data: &[u8]) -> Result<(), EvolveError> {
    let text = text(data)?;
    let saved = parse_saved_genome::<TaskSpec>(&text, Path::new("fuzz.ron"))?;
    Network::compile(&saved.champion.genome);
    Ok(())
}

/// A checkpoint, plain or zstd-compressed: decompress, parse, check every
/// genome, compile the champion's network.
pub fn checkpoint(data: &[u8]) -> Result<(), EvolveError> {
    let text = text(data)?;
    let checkpoint = parse_checkpoint::<TaskSpec>(&text, Path::new("fuzz.ron.zst"))?;
    if let Some(champion) = checkpoint
        .evolution
        .champion(checkpoint.experiment.champion)
    {
        Network::compile(&champion.genome);
    }
    Ok(())
}

/// A level file: parse and validate.
pub fn level(data: &[u8]) -> Result<(), EvolveError> {
    let text = text(data)?;
    Level::from_ron(&text, "fuzz.ron").map_err(|e| EvolveError::TaskBuild {
        source_name: "fuzz.ron".into(),
        message: e.to_string(),
    })?;
    Ok(())
}

/// An entry point: bytes in, loaded or refused.
pub type EntryPoint = fn(&[u8]) -> Result<(), EvolveError>;

/// The entry points by name, as the fuzz targets and corpus directories are
/// named.
pub const TARGETS: [(&str, EntryPoint); 4] = [
    ("experiment", experiment),
    ("champion", champion),
    ("checkpoint", checkpoint),
    ("level", level),
];
