//! `--level NAME | --seed N --difficulty D [--length L]`: which levels a replay or
//! a person plays.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use sprout_platformer::generator::{MAX_DIFFICULTY, MAX_LENGTH, MIN_LENGTH};
use sprout_platformer::{Level, PlatformerConfig, generate};

/// The level options of `replay` and `play`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct LevelArgs {
    /// A built-in level (1-1, 1-2, 1-3) or a level file (RON).
    #[arg(long, conflicts_with_all = ["seed", "difficulty"])]
    pub level: Option<String>,
    /// Generate a level with this seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Difficulty of the generated level, 0 to 10 (default 3).
    #[arg(long)]
    pub difficulty: Option<u32>,
    /// Length of the generated level in tiles (default: the experiment's, or 150).
    #[arg(long, requires = "seed")]
    pub length: Option<u32>,
}

impl LevelArgs {
    /// Whether any level option was given.
    pub fn chosen(&self) -> bool {
        self.level.is_some() || self.seed.is_some() || self.difficulty.is_some()
    }

    /// The chosen level, or `None` when no option was given. Generated levels take
    /// their default length from `config`.
    pub fn resolve(&self, config: &PlatformerConfig) -> Result<Option<Arc<Level>>> {
        if let Some(name) = &self.level {
            return load_named(name).map(|l| Some(Arc::new(l)));
        }
        if self.seed.is_none() && self.difficulty.is_none() {
            return Ok(None);
        }
        let seed = self.seed.unwrap_or(0);
        let difficulty = self.difficulty.unwrap_or(3);
        if difficulty > MAX_DIFFICULTY {
            bail!("--difficulty {difficulty} is not in 0..={MAX_DIFFICULTY}");
        }
        let length = self.length.unwrap_or(config.generated_length());
        if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
            bail!("--length {length} is not in {MIN_LENGTH}..={MAX_LENGTH}");
        }
        let level = generate(seed, difficulty, length).with_context(|| {
            format!("cannot generate level (seed {seed}, difficulty {difficulty})")
        })?;
        Ok(Some(Arc::new(level)))
    }
}

/// A built-in level by name, else a level file.
fn load_named(name: &str) -> Result<Level> {
    if Level::builtin_names().any(|n| n == name) {
        return Ok(Level::builtin(name)?);
    }
    let path = Path::new(name);
    if !path.exists() {
        let names: Vec<&str> = Level::builtin_names().collect();
        bail!(
            "no level `{name}`: not a built-in level ({}) and no such file",
            names.join(", ")
        );
    }
    Ok(Level::load(path)?)
}
