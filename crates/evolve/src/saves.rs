//! `champion.ron` and checkpoints: what they hold, how they are written and how
//! they are read back. Both carry a format version; checkpoints are
//! zstd-compressed RON (`.ron.zst`), and plain-RON checkpoints (older runs, or a
//! hand-decompressed file) still load, since the reader looks at the bytes, not
//! the name.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sprout_genome::{Genome, NeatConfig};

use crate::error::EvolveError;
use crate::evolution::{Champion, Evolution};
use crate::experiment::{Experiment, TaskDescription};
use crate::files::{parse_ron, to_ron, write_atomic};
use crate::guard;

/// The format version of the champion files and checkpoints this build writes.
/// Raise it when a change means older builds would misread new files.
pub const FORMAT: u32 = 1;
/// The oldest format version this build still reads. Files from before versions
/// existed have no `format` field and are version 1.
pub const OLDEST_FORMAT: u32 = 1;

fn first_format() -> u32 {
    1
}

/// `champion.ron`: a genome with everything needed to rebuild and rerun it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChampionFile<T> {
    /// The file format version ([`FORMAT`]).
    #[serde(default = "first_format")]
    pub format: u32,
    /// The experiment that evolved it (task and NEAT settings).
    pub experiment: Experiment<T>,
    /// The run seed; with the generation and genome id it fixes the evaluation's
    /// random stream.
    pub seed: u64,
    /// The genome and its recorded evaluation.
    pub champion: Champion,
}

/// A checkpoint: the experiment and the complete run state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint<T> {
    /// The file format version ([`FORMAT`]).
    #[serde(default = "first_format")]
    pub format: u32,
    /// The experiment being run.
    pub experiment: Experiment<T>,
    /// The run state.
    pub evolution: Evolution,
}

/// A saved genome: from a champion file, or the best of a checkpoint.
pub struct SavedGenome<T> {
    /// The file it came from.
    pub path: PathBuf,
    /// The experiment it belongs to.
    pub experiment: Experiment<T>,
    /// The run seed.
    pub seed: u64,
    /// The genome with its recorded evaluation.
    pub champion: Champion,
}

impl<T> SavedGenome<T> {
    /// Checks that the genome's inputs and outputs fit `task` (with the inputs
    /// and outputs the experiment's lifetime modules add).
    pub fn check_shape(&self, task: &dyn crate::Task) -> Result<(), EvolveError> {
        let genome = &self.champion.genome;
        let neat = &self.experiment.neat;
        for (what, got, want) in [
            ("inputs", genome.inputs, neat.genome_inputs(task.inputs())),
            (
                "outputs",
                genome.outputs,
                neat.genome_outputs(task.outputs()),
            ),
        ] {
            if got != want {
                return Err(EvolveError::ShapeMismatch {
                    path: self.path.clone(),
                    task: task.name().to_string(),
                    what,
                    got,
                    want,
                });
            }
        }
        Ok(())
    }

    /// Reruns the genome's evaluation on `task` (built from its experiment) as
    /// the run did: same run seed, generation and genome id, so bit for bit the
    /// recorded one unless the code or the platform changed the results.
    pub fn replay(&self, task: &dyn crate::Task) -> sprout_task::Evaluation {
        crate::evolution::evaluate(
            task,
            &self.champion.genome,
            &self.experiment.neat,
            self.seed,
            self.champion.generation,
        )
    }
}

/// The first bytes of every zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// zstd level of checkpoints: fast, and about ten times smaller than the RON.
const ZSTD_LEVEL: i32 = 3;

/// What a checkpoint file holds, borrowed from the running state: written
/// without copying the population, read back as a [`Checkpoint`] (same fields).
#[derive(Serialize)]
struct CheckpointView<'a, T> {
    format: u32,
    experiment: &'a Experiment<T>,
    evolution: &'a Evolution,
}

/// The checkpoint of `evolution` as the bytes of a `.ron.zst` file.
pub fn encode_checkpoint<T: Serialize>(
    experiment: &Experiment<T>,
    evolution: &Evolution,
) -> Vec<u8> {
    let view = CheckpointView {
        format: FORMAT,
        experiment,
        evolution,
    };
    // Compressing bytes held in memory only fails on allocation failure.
    zstd::bulk::compress(to_ron(&view).as_bytes(), ZSTD_LEVEL)
        .expect("zstd compression of an in-memory buffer")
}

/// Writes the checkpoint of `evolution`, compressed, atomically.
pub fn write_checkpoint<T: Serialize>(
    path: &Path,
    experiment: &Experiment<T>,
    evolution: &Evolution,
) -> Result<(), EvolveError> {
    write_atomic(path, &encode_checkpoint(experiment, evolution))
}

/// What `champion.ron` holds, borrowed: read back as a [`ChampionFile`].
#[derive(Serialize)]
struct ChampionView<'a, T> {
    format: u32,
    experiment: &'a Experiment<T>,
    seed: u64,
    champion: &'a Champion,
}

/// Writes a champion file, atomically.
pub fn write_champion<T: Serialize>(
    path: &Path,
    experiment: &Experiment<T>,
    seed: u64,
    champion: &Champion,
) -> Result<(), EvolveError> {
    let view = ChampionView {
        format: FORMAT,
        experiment,
        seed,
        champion,
    };
    crate::files::write_ron(path, &view)
}

/// Reads a file Sprout saved (compressed or not) as text, refusing files larger
/// than memory could hold.
pub fn read_text(path: &Path) -> Result<String, EvolveError> {
    let io = |error| EvolveError::Io {
        path: path.to_owned(),
        error,
    };
    let limit = guard::load_limit();
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(EvolveError::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    decode_text(bytes, path, limit)
}

/// The text in `bytes`: decompressed when they are a zstd frame, at most
/// `limit` bytes of it.
pub fn decode_text(bytes: Vec<u8>, path: &Path, limit: u64) -> Result<String, EvolveError> {
    let bytes = if bytes.starts_with(&ZSTD_MAGIC) {
        let compressed = |message: String| EvolveError::Compressed {
            path: path.to_owned(),
            message,
        };
        let decoder = zstd::stream::read::Decoder::new(bytes.as_slice())
            .map_err(|e| compressed(e.to_string()))?;
        let mut text = Vec::new();
        // The output grows only as data decompresses, and stops at the limit:
        // a small file that claims (or expands to) gigabytes allocates no more.
        decoder
            .take(limit + 1)
            .read_to_end(&mut text)
            .map_err(|e| compressed(e.to_string()))?;
        if text.len() as u64 > limit {
            return Err(EvolveError::TooLarge {
                path: path.to_owned(),
                limit,
            });
        }
        text
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| EvolveError::NotText {
        path: path.to_owned(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// Parses a saved file, refusing a `format` this build cannot read. The text is
/// parsed once; only when it does not parse is its `format` looked for alone, so
/// that a file from a newer Sprout is refused for its version rather than for
/// the fields this build does not know.
fn parse_versioned<F: DeserializeOwned>(
    text: &str,
    path: &Path,
    format_of: fn(&F) -> u32,
) -> Result<F, EvolveError> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default = "first_format")]
        format: u32,
    }
    match parse_ron::<F>(text, path) {
        Ok(file) => {
            check_version(format_of(&file), path)?;
            Ok(file)
        }
        Err(error) => {
            if let Ok(Probe { format }) = parse_ron::<Probe>(text, path) {
                check_version(format, path)?;
            }
            Err(error)
        }
    }
}

/// Refuses a format version outside what this build reads.
fn check_version(found: u32, path: &Path) -> Result<(), EvolveError> {
    if (OLDEST_FORMAT..=FORMAT).contains(&found) {
        return Ok(());
    }
    Err(EvolveError::Format {
        path: path.to_owned(),
        found,
        oldest: OLDEST_FORMAT,
        newest: FORMAT,
    })
}

/// Loads a champion file or a checkpoint (its champion), checking the genome.
pub fn load_saved_genome<T: TaskDescription>(path: &Path) -> Result<SavedGenome<T>, EvolveError> {
    parse_saved_genome(&read_text(path)?, path)
}

/// [`load_saved_genome`] on text already read; `path` names it in errors.
pub fn parse_saved_genome<T: TaskDescription>(
    text: &str,
    path: &Path,
) -> Result<SavedGenome<T>, EvolveError> {
    let saved = if looks_like_checkpoint(text) {
        let checkpoint = parse_checkpoint(text, path)?;
        let champion = checkpoint
            .evolution
            .champion(checkpoint.experiment.champion)
            .cloned()
            .ok_or_else(|| EvolveError::NoChampion {
                path: path.to_owned(),
            })?;
        SavedGenome {
            path: path.to_owned(),
            seed: checkpoint.evolution.seed,
            experiment: checkpoint.experiment,
            champion,
        }
    } else {
        let file = parse_versioned(text, path, |f: &ChampionFile<T>| f.format)?;
        validate_experiment(&file.experiment, path)?;
        SavedGenome {
            path: path.to_owned(),
            experiment: file.experiment,
            seed: file.seed,
            champion: file.champion,
        }
    };
    check_genome(&saved.champion.genome, &saved.experiment.neat, path)?;
    Ok(saved)
}

fn looks_like_checkpoint(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start().starts_with("evolution:"))
}

/// Loads and checks a checkpoint file, compressed or plain.
pub fn load_checkpoint<T: TaskDescription>(path: &Path) -> Result<Checkpoint<T>, EvolveError> {
    parse_checkpoint(&read_text(path)?, path)
}

/// Parses and checks checkpoint text; `path` names it in errors.
pub fn parse_checkpoint<T: TaskDescription>(
    text: &str,
    path: &Path,
) -> Result<Checkpoint<T>, EvolveError> {
    let checkpoint = parse_versioned(text, path, |c: &Checkpoint<T>| c.format)?;
    validate_experiment(&checkpoint.experiment, path)?;
    let neat = &checkpoint.experiment.neat;
    let population = &checkpoint.evolution.population;
    if population.genomes.len() != neat.population_size {
        return Err(EvolveError::Invalid {
            path: path.to_owned(),
            line: None,
            field: "experiment.neat.population_size".into(),
            message: format!(
                "{} but the checkpoint holds {} genomes",
                neat.population_size,
                population.genomes.len()
            ),
        });
    }
    for genome in &population.genomes {
        check_genome(genome, neat, path)?;
    }
    Ok(checkpoint)
}

/// Checks a loaded genome's invariants and module genes against its
/// experiment; the error names the file and genome.
fn check_genome(genome: &Genome, neat: &NeatConfig, path: &Path) -> Result<(), EvolveError> {
    genome
        .check_for(neat)
        .map_err(|problem| EvolveError::CorruptGenome {
            path: path.to_owned(),
            genome: genome.id,
            problem,
        })
}

fn validate_experiment<T: TaskDescription>(
    experiment: &Experiment<T>,
    path: &Path,
) -> Result<(), EvolveError> {
    experiment
        .validate()
        .map_err(|(field, message)| EvolveError::Invalid {
            path: path.to_owned(),
            line: None,
            field,
            message,
        })?;
    experiment.check(path, None)?;
    Ok(())
}

/// The generation a checkpoint file name holds (`gen-000042.ron.zst` or the
/// plain `gen-000042.ron`), or `None` for any other name.
pub fn checkpoint_generation(name: &str) -> Option<u64> {
    let rest = name.strip_prefix("gen-")?;
    let digits = rest
        .strip_suffix(".ron.zst")
        .or_else(|| rest.strip_suffix(".ron"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A run directory's checkpoints, oldest first (by generation; a compressed file
/// sorts after a plain one of the same generation).
pub fn list_checkpoints(dir: &Path) -> Result<Vec<PathBuf>, EvolveError> {
    let entries = std::fs::read_dir(dir).map_err(|error| EvolveError::Io {
        path: dir.to_owned(),
        error,
    })?;
    let mut found: Vec<(u64, bool, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let generation = checkpoint_generation(&name)?;
            Some((generation, name.ends_with(".zst"), entry.path()))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().map(|(_, _, path)| path).collect())
}

/// The newest checkpoint in a run directory, or the file itself.
pub fn resolve_checkpoint(path: &Path) -> Result<PathBuf, EvolveError> {
    if path.is_file() {
        return Ok(path.to_owned());
    }
    let dir = path.join("checkpoints");
    list_checkpoints(&dir)?
        .pop()
        .ok_or(EvolveError::NoCheckpoint { dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_names_give_their_generation() {
        assert_eq!(checkpoint_generation("gen-000042.ron.zst"), Some(42));
        assert_eq!(checkpoint_generation("gen-000042.ron"), Some(42));
        assert_eq!(
            checkpoint_generation("gen-1000000.ron.zst"),
            Some(1_000_000)
        );
        assert_eq!(checkpoint_generation("gen-.ron"), None);
        assert_eq!(checkpoint_generation("gen-12.txt"), None);
        assert_eq!(checkpoint_generation(".tmp-1-gen-000001.ron.zst"), None);
    }

    #[test]
    fn checkpoints_sort_by_generation_not_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "gen-999999.ron",
            "gen-1000000.ron.zst",
            "gen-000005.ron.zst",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let names: Vec<String> = list_checkpoints(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "gen-000005.ron.zst",
                "gen-999999.ron",
                "gen-1000000.ron.zst"
            ]
        );
    }

    #[test]
    fn decompression_stops_at_the_limit() {
        let big = vec![b'a'; 1 << 20];
        let bytes = zstd::bulk::compress(&big, 3).unwrap();
        assert!(
            bytes.len() < 1000,
            "a megabyte of one letter compresses well"
        );
        let e = decode_text(bytes.clone(), Path::new("bomb.ron.zst"), 1000).unwrap_err();
        assert!(
            matches!(e, EvolveError::TooLarge { limit: 1000, .. }),
            "{e}"
        );
        assert_eq!(
            decode_text(bytes, Path::new("ok"), 1 << 21).unwrap().len(),
            1 << 20
        );
    }

    #[test]
    fn a_newer_format_is_refused_with_both_versions() {
        #[derive(Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default = "first_format")]
            format: u32,
            #[allow(dead_code)]
            experiment: (),
        }
        let parse =
            |text: &str, name: &str| parse_versioned::<File>(text, Path::new(name), |f| f.format);
        // Unknown to this build: refused for its version, parsed or not.
        let e = parse("(format: 7, experiment: (), novelty: 1)", "new.ron").unwrap_err();
        let message = e.to_string();
        assert!(
            message.starts_with("new.ron: file format version 7"),
            "{message}"
        );
        assert!(message.contains("versions 1 to 1"), "{message}");
        let e = parse("(format: 7, experiment: ())", "new.ron").unwrap_err();
        assert!(matches!(e, EvolveError::Format { found: 7, .. }), "{e}");
        assert_eq!(parse("(experiment: ())", "old.ron").unwrap().format, 1);
        assert_eq!(
            parse("(format: 1, experiment: ())", "now.ron")
                .unwrap()
                .format,
            1
        );
        // A known version that does not parse keeps the parser's error.
        let e = parse("(format: 1)", "now.ron").unwrap_err();
        assert!(matches!(e, EvolveError::Parse { .. }), "{e}");
    }

    #[test]
    fn corrupt_compressed_bytes_are_a_clear_error() {
        let mut bytes = ZSTD_MAGIC.to_vec();
        bytes.extend_from_slice(&[0xff; 16]);
        let e = decode_text(bytes, Path::new("c.ron.zst"), 1 << 20).unwrap_err();
        assert!(
            e.to_string().starts_with("c.ron.zst: not a valid zstd"),
            "{e}"
        );
    }
}
