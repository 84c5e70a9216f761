//! `fitness.png`: best and mean fitness over generations.

use std::path::Path;

use plotters::prelude::*;

use crate::error::EvolveError;
use crate::stats::GenerationStats;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Registers the shipped DejaVu Sans as plotters' "sans-serif", once, so plots
/// need no system fonts. Every plot of Sprout's calls this before drawing text.
pub fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The shipped font is valid; a failure would only leave labels out.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// Draws best and mean fitness per generation into a PNG, written atomically
/// like every save.
pub fn plot_fitness(
    history: &[GenerationStats],
    title: &str,
    path: &Path,
) -> Result<(), EvolveError> {
    register_font();
    crate::files::replace_atomically(path, |tmp| {
        draw(history, title, tmp).map_err(std::io::Error::other)
    })
}

fn draw(history: &[GenerationStats], title: &str, path: &Path) -> Result<(), String> {
    let root = BitMapBackend::new(path, (900, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let last = history.last().map_or(1, |s| s.generation.max(1));
    let (lo, hi) = history
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
            (
                lo.min(s.mean_fitness).min(s.best_fitness),
                hi.max(s.best_fitness),
            )
        });
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let pad = (hi - lo) * 0.05;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0u64..last, (lo - pad)..(hi + pad))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("generation")
        .y_desc("fitness")
        .draw()
        .map_err(|e| e.to_string())?;
    let series = [
        (
            "best",
            RGBColor(200, 40, 40),
            history
                .iter()
                .map(|s| (s.generation, s.best_fitness))
                .collect::<Vec<_>>(),
        ),
        (
            "mean",
            RGBColor(40, 80, 200),
            history
                .iter()
                .map(|s| (s.generation, s.mean_fitness))
                .collect(),
        ),
    ];
    for (label, color, points) in series {
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
