//! PNG line charts: `fitness.png` (best and mean fitness over generations) and
//! any other plot, through [`LineChart`].

use std::path::Path;

use plotters::prelude::*;
// The colour and legend types of a `LineChart`, so callers need not depend on
// plotters themselves.
pub use plotters::chart::SeriesLabelPosition;
pub use plotters::style::RGBColor;

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

/// One line of a [`LineChart`].
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Line colour.
    pub color: RGBColor,
    /// (x, y) points, in x order.
    pub points: Vec<(f64, f64)>,
}

/// A titled line chart with a legend: what every PNG plot of Sprout's is.
pub struct LineChart<'a> {
    /// Caption.
    pub title: &'a str,
    /// x-axis label.
    pub x_label: &'a str,
    /// y-axis label.
    pub y_label: &'a str,
    /// The lines.
    pub series: Vec<Series>,
    /// Where the legend goes.
    pub legend: SeriesLabelPosition,
}

impl LineChart<'_> {
    /// Draws the chart into a 900×520 PNG at `path`, written atomically like
    /// every save. Axis ranges fit the data with a small margin.
    pub fn write_png(&self, path: &Path) -> Result<(), EvolveError> {
        register_font();
        crate::files::replace_atomically(path, |tmp| self.draw(tmp).map_err(std::io::Error::other))
    }

    fn draw(&self, path: &Path) -> Result<(), String> {
        let root = BitMapBackend::new(path, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let points = || self.series.iter().flat_map(|s| s.points.iter());
        let range = |values: Vec<f64>| {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi > lo {
                let pad = (hi - lo) * 0.05;
                (lo - pad)..(hi + pad)
            } else if lo.is_finite() {
                (lo - 1.0)..(lo + 1.0)
            } else {
                0.0..1.0
            }
        };
        let x = range(points().map(|p| p.0).collect());
        let y = range(points().map(|p| p.1).collect());
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(x, y)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .draw()
            .map_err(|e| e.to_string())?;
        for series in &self.series {
            let color = series.color;
            chart
                .draw_series(LineSeries::new(
                    series.points.clone(),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(series.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(self.legend.clone())
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    }
}

/// Draws best and mean fitness per generation into a PNG, written atomically
/// like every save.
pub fn plot_fitness(
    history: &[GenerationStats],
    title: &str,
    path: &Path,
) -> Result<(), EvolveError> {
    let line = |label: &str, color, value: fn(&GenerationStats) -> f64| Series {
        label: label.to_string(),
        color,
        points: history
            .iter()
            .map(|s| (s.generation as f64, value(s)))
            .collect(),
    };
    LineChart {
        title,
        x_label: "generation",
        y_label: "fitness",
        series: vec![
            line("best", RGBColor(200, 40, 40), |s| s.best_fitness),
            line("mean", RGBColor(40, 80, 200), |s| s.mean_fitness),
        ],
        legend: SeriesLabelPosition::LowerRight,
    }
    .write_png(path)
}
