//! Reading RON files with errors that point at the line, and writing files
//! atomically (temp file + rename), so a crash never leaves a half-written save.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::EvolveError;

/// Reads and parses a RON file.
pub fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<T, EvolveError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvolveError::Io {
        path: path.to_owned(),
        error: source,
    })?;
    parse_ron(&text, path)
}

/// Parses RON text; `path` names it in errors.
pub fn parse_ron<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, EvolveError> {
    ron_options()
        .from_str(text)
        .map_err(|e| EvolveError::Parse {
            path: path.to_owned(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
}

/// Serializes a value as pretty RON.
pub fn to_ron<T: Serialize>(value: &T) -> String {
    let pretty = ron::ser::PrettyConfig::new()
        .depth_limit(6)
        .struct_names(false);
    // Serializing plain data structs cannot fail.
    ron_options()
        .to_string_pretty(value, pretty)
        .expect("RON serialization of plain data")
}

/// RON as Sprout reads and writes it: a newtype variant holding a struct may be
/// written without the inner parentheses (`Pole(variant: Single)` rather than
/// `Pole((variant: Single))`).
fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EvolveError> {
    replace_atomically(path, |tmp| {
        let mut file = std::fs::File::create(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })
}

/// Lets `write` create a temporary file beside `path` (same extension, so
/// encoders that look at it still work), then renames it over `path`. A failed
/// write leaves `path` untouched and removes the temporary file.
pub fn replace_atomically(
    path: &Path,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), EvolveError> {
    let io = |source| EvolveError::Io {
        path: path.to_owned(),
        error: source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".tmp-{}-{name}", std::process::id()));
    let result = write(&tmp).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Writes a value as pretty RON, atomically.
pub fn write_ron<T: Serialize>(path: &Path, value: &T) -> Result<(), EvolveError> {
    write_atomic(path, to_ron(value).as_bytes())
}

/// The 1-based line of the first `field:` in `text`, to point errors from
/// validation (which happens after parsing) at the right line.
pub fn line_of_field(text: &str, field: &str) -> Option<usize> {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let sets_field = |code: &str| {
        code.match_indices(leaf).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            let after = code[at + leaf.len()..].trim_start();
            !before.is_some_and(is_ident) && after.starts_with(':')
        })
    };
    text.lines()
        .position(|line| sets_field(line.split("//").next().unwrap_or("")))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_field_skips_comments_and_prefixes() {
        let text = "(\n  // add_node_prob: 9\n  add_node_probability: 1,\n  add_node_prob: 2.0,\n)";
        assert_eq!(line_of_field(text, "neat.add_node_prob"), Some(4));
        let inline = "(\n  neat: (x_add_node_prob: 1, add_node_prob: 3),\n)";
        assert_eq!(line_of_field(inline, "neat.add_node_prob"), Some(2));
        assert_eq!(line_of_field(text, "missing"), None);
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn parse_errors_carry_the_line() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            a: u32,
        }
        let e = parse_ron::<S>("(\n  a: 1,\n  b: 2,\n)", Path::new("x.ron")).unwrap_err();
        let message = e.to_string();
        assert!(message.starts_with("x.ron:3:"), "{message}");
        assert!(message.contains('b'), "{message}");
    }
}
