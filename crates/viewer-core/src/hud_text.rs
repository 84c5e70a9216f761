//! The HUD's words: pure formatting, so it is tested without a window.

use crate::feed::{GenerationReport, SpeciesRow};
use crate::ghosts::{Ghosts, Pick};
use crate::show::Show;

/// Speeds the window can play at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speed {
    /// One tick per 60 Hz step: real time.
    #[default]
    One,
    /// Four ticks per step.
    Four,
    /// As many ticks as fit in a frame.
    Max,
}

impl Speed {
    /// The next faster speed (saturating).
    pub fn faster(self) -> Speed {
        match self {
            Speed::One => Speed::Four,
            Speed::Four | Speed::Max => Speed::Max,
        }
    }

    /// The next slower speed (saturating).
    pub fn slower(self) -> Speed {
        match self {
            Speed::Max => Speed::Four,
            Speed::Four | Speed::One => Speed::One,
        }
    }

    /// "1x", "4x" or "max" (the built-in font has no ×).
    pub fn label(self) -> &'static str {
        match self {
            Speed::One => "1x",
            Speed::Four => "4x",
            Speed::Max => "max",
        }
    }
}

/// The key help line.
pub fn help_line(keyboard_play: bool) -> &'static str {
    if keyboard_play {
        "Left/Right move | X or Up jump | Z run | Down crouch | R restart | Space pause | H overlay | Esc quit"
    } else {
        "Space pause | Right step | Up/Down speed (1x, 4x, max) | N next species | G ghosts | R restart | H overlay | Esc quit"
    }
}

/// `line` cut to at most `columns` characters: the middle gives way to `...`,
/// so its start and its end (a file name, the numbers) stay readable.
pub fn fit_line(line: &str, columns: usize) -> String {
    let n = line.chars().count();
    if n <= columns {
        return line.to_string();
    }
    if columns <= 3 {
        return ".".repeat(columns);
    }
    let keep = columns - 3;
    let head = keep / 2;
    let tail = keep - head;
    let start: String = line.chars().take(head).collect();
    let end: String = line.chars().skip(n - tail).collect();
    format!("{start}...{end}")
}

/// Every line of `text` fitted to `columns` ([`fit_line`]).
pub fn fit_lines(text: &str, columns: usize) -> String {
    text.split('\n')
        .map(|l| fit_line(l, columns))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the ghost view is playing: which generation and how many, who leads,
/// and the playback state.
pub fn ghost_lines(ghosts: &Ghosts, speed: Speed, paused: bool) -> String {
    let pick = match ghosts.pick() {
        Pick::All => "all".to_string(),
        Pick::Top(k) => format!("top {k}"),
        Pick::Species(id) => format!("species {id}"),
    };
    let champion = ghosts.champion();
    let show = &champion.show;
    let state = if paused {
        format!("{} (paused)", speed.label())
    } else {
        speed.label().to_string()
    };
    format!(
        "ghosts of generation {} ({pick}): {} playing, {} alive\nfittest genome {} ({:.1}), leader {}\nlevel {}  tick {}  speed {state}",
        ghosts.generation(),
        ghosts.ghosts().len(),
        ghosts.alive(),
        champion.id,
        champion.fitness,
        ghosts.leader().id,
        show.level().name(),
        ghosts.tick(),
    )
}

/// Evolution's lines: generation, species, fitness, speed of evaluation.
pub fn evolution_lines(report: Option<&GenerationReport>, ended: Option<&str>) -> String {
    // Always three short lines, so nothing below or beside them moves.
    let Some(r) = report else {
        let state = ended.map_or("evaluating generation 0...".to_string(), |why| {
            format!("evolution {why}")
        });
        return format!("{state}\n\n");
    };
    let last = match ended {
        None => format!(
            "{:.0} evals/s   {} evaluations",
            r.evals_per_second, r.evaluations
        ),
        Some(why) => format!("evolution {why}; {} evaluations", r.evaluations),
    };
    format!(
        "generation {}   species {}\nbest {:.1}   mean {:.1}\n{last}",
        r.generation,
        r.species.len(),
        r.best_fitness,
        r.mean_fitness,
    )
}

/// What is playing: pilot, level, tick, fitness so far, playback state.
pub fn show_lines(label: &str, show: Option<&Show>, speed: Speed, paused: bool) -> String {
    let state = if paused {
        format!("{} (paused)", speed.label())
    } else {
        speed.label().to_string()
    };
    match show {
        None => format!("{label}\nspeed {state}"),
        Some(show) => {
            let episode = show.episode();
            let end = match show.end() {
                Some(cause) => format!("  {cause:?}"),
                None => String::new(),
            };
            let learning = show
                .weight_drift()
                .map_or_else(String::new, |d| format!("   plastic: mean |w - w0| {d:.3}"));
            let variant = match (show.mirrored(), show.hidden_cells().len()) {
                (true, 0) => "  [left/right swapped]".to_string(),
                (true, n) => format!("  [left/right swapped, {n} cells hidden]"),
                (false, 0) => String::new(),
                (false, n) => format!("  [{n} cells hidden]"),
            };
            format!(
                "{label}\nlevel {}  tick {}  fitness {:.1}{end}{variant}\nspeed {state}{learning}",
                show.level().name(),
                show.world().tick(),
                episode.fitness()
            )
        }
    }
}

/// The species panel: one row per species, best first, the shown one marked.
pub fn species_panel(species: &[SpeciesRow], shown: Option<u64>, rows: usize) -> String {
    let mut sorted: Vec<&SpeciesRow> = species.iter().collect();
    sorted.sort_by(|a, b| {
        b.best_fitness
            .total_cmp(&a.best_fitness)
            .then(a.id.cmp(&b.id))
    });
    let mut text = String::from("  species  size      best  age\n");
    for s in sorted.iter().take(rows) {
        let mark = if Some(s.id) == shown { '>' } else { ' ' };
        text.push_str(&format!(
            "{mark} {:>7}  {:>4}  {:>8.1}  {:>3}\n",
            s.id, s.size, s.best_fitness, s.age
        ));
    }
    if sorted.len() > rows {
        text.push_str(&format!("  ... {} more\n", sorted.len() - rows));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprout_genome::Population;

    fn row(id: u64, best: f64) -> SpeciesRow {
        SpeciesRow {
            id,
            size: 10,
            best_fitness: best,
            age: id,
            champion: Population::new(&Default::default(), 1, 1, 0).genomes[0].clone(),
        }
    }

    #[test]
    fn long_lines_lose_their_middle_and_keep_both_ends() {
        let label = "saves/platformer-0/champion.ron: genome 15171 (generation 50, fitness 2750.0)";
        let fitted = fit_line(label, 40);
        assert_eq!(fitted.chars().count(), 40);
        assert!(fitted.starts_with("saves/platform"), "{fitted}");
        assert!(fitted.ends_with("fitness 2750.0)"), "{fitted}");
        assert!(fitted.contains("..."));
        assert_eq!(fit_line("short", 40), "short");
        assert_eq!(fit_line("abcdef", 2), "..");
        let text = fit_lines("a\nbcdefghijkl", 5);
        assert_eq!(text, "a\nb...l");
    }

    #[test]
    fn speeds_step_up_and_down_and_saturate() {
        assert_eq!(Speed::One.faster(), Speed::Four);
        assert_eq!(Speed::Four.faster().faster(), Speed::Max);
        assert_eq!(Speed::Max.slower().slower().slower(), Speed::One);
    }

    #[test]
    fn species_panel_lists_the_best_first_and_marks_the_shown_one() {
        let panel = species_panel(&[row(1, 5.0), row(2, 9.0), row(3, 7.0)], Some(3), 2);
        let lines: Vec<&str> = panel.lines().collect();
        assert!(lines[1].contains(" 2 ") && lines[1].starts_with(' '));
        assert!(lines[2].starts_with('>') && lines[2].contains(" 3 "));
        assert_eq!(lines[3].trim(), "... 1 more");
    }

    #[test]
    fn evolution_lines_wait_for_the_first_generation() {
        assert!(evolution_lines(None, None).contains("generation 0"));
        let stopped = evolution_lines(None, Some("solved"));
        assert_eq!(stopped.lines().next(), Some("evolution solved"));
        assert_eq!(stopped.matches('\n').count(), 2, "three lines");
    }

    #[test]
    fn the_show_lines_say_when_controls_are_swapped_and_cells_hidden() {
        use sprout_platformer::{Level, Occlusion, PlaySettings, Variations};
        use std::sync::Arc;
        let play = PlaySettings::default();
        let level = Arc::new(Level::builtin("1-1").expect("built in"));
        let neat = sprout_genome::NeatConfig::default();
        let genome = Population::new(&neat, play.sensors.len(), 5, 0).genomes[0].clone();
        let line = |variations| {
            let mut show = Show::of_genome(play, variations, vec![level.clone()], &genome, &neat);
            show.restart(); // the second episode: mirrored when controls swap
            show.step(sprout_platformer::Buttons::NONE);
            show_lines("x", Some(&show), Speed::One, false)
        };
        let mirrored = Variations {
            mirror_controls: true,
            ..Variations::default()
        };
        assert!(line(mirrored).contains("[left/right swapped]"));
        let occluded = Variations {
            mirror_controls: false,
            occlusion: Some(Occlusion {
                probability: 1.0,
                fraction: 0.5,
                ..Occlusion::default()
            }),
            ..Variations::default()
        };
        let side = play.sensors.side();
        let hidden = ((side * side) as f64 * 0.5).round();
        assert!(line(occluded).contains(&format!("[{hidden} cells hidden]")));
        assert!(!line(Variations::default()).contains('['));
    }
}
