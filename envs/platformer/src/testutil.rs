//! Helpers shared by the unit tests.

use std::sync::Arc;

use crate::level::Level;

/// A level from literal rows.
pub(crate) fn level(rows: &[&str]) -> Arc<Level> {
    let rows: Vec<String> = rows.iter().map(|s| s.to_string()).collect();
    Arc::new(Level::from_rows("test", &rows).unwrap())
}

/// A flat level `width` columns wide, 15 rows high, ground in the bottom two rows,
/// start at column 2, goal in the last column.
pub(crate) fn flat(width: usize) -> Arc<Level> {
    let mut rows = vec![".".repeat(width); 15];
    rows[12] = format!("..M{}G", ".".repeat(width - 4));
    rows[13] = "X".repeat(width);
    rows[14] = "X".repeat(width);
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    level(&rows)
}
