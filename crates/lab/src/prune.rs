//! `sprout prune`: how much of a saved genome can go before its fitness drops.
//!
//! For each requested fraction f, the least salient f of the genome's enabled
//! connections are disabled (never the last path from an input to an output, see
//! [`OutputPathGuard`]), and the pruned genome is evaluated once more on its task
//! with the champion's own evaluation seed. There is no retraining. The magnitude
//! and random baselines are always computed beside the chosen method, as
//! Blalock et al. (2020) ask.
//!
//! Saliencies, measured on one probe run of the unpruned genome on its task:
//! - `magnitude`: |w|;
//! - `obd`: Optimal Brain Damage, ½·h_kk·w², with h_kk the diagonal Gauss–Newton
//!   estimate over the network's outputs on the observations the probe run
//!   recorded. ∂output/∂w_k comes from a central finite difference: the recorded
//!   observations (episode by episode, with a reset between episodes) are fed
//!   open-loop to the network with w_k nudged up and down. The loss is taken as the
//!   squared error of the outputs against the unpruned network's, so ℓ'' = 1;
//! - `activity`: "use it or lose it", the mean |pre·w| over every step of the
//!   probe run, with pre the source node's value after the step (for recurrent
//!   links that is the value the link carries one step later) and w the genome's
//!   weight (plastic links move during the lifetime; their genome weight is used);
//! - `random`: uniform saliencies from `--seed`.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_evolve::plot::{LineChart, RGBColor, Series, SeriesLabelPosition};
use sprout_evolve::seed::evaluation_context;
use sprout_evolve::{Agent, NetworkAgent, Task, evaluate};
use sprout_genome::{Genome, NeatConfig, NodeKind};
use sprout_plasticity::pruning::{
    GaussNewtonDiagonal, OutputPathGuard, magnitude_saliency, obd_saliency, prune_to_sparsity,
    random_saliency,
};

use serde::Serialize;
use sprout_evolve::TaskDescription;

use crate::error::LabError;
use crate::{SavedGenome, load_saved_genome};

type Result<T, E = LabError> = std::result::Result<T, E>;

/// A way to rank connections for removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// |w|.
    Magnitude,
    /// Optimal Brain Damage, ½·h_kk·w², diagonal Gauss–Newton h_kk.
    Obd,
    /// Mean |pre·w| while the genome plays its task.
    Activity,
    /// Random order (seeded): the baseline.
    Random,
}

impl Method {
    /// Every method, in the order `--method` lists them.
    pub const ALL: [Method; 4] = [
        Method::Magnitude,
        Method::Obd,
        Method::Activity,
        Method::Random,
    ];

    /// The name used on the command line and in the outputs.
    pub fn name(self) -> &'static str {
        match self {
            Method::Magnitude => "magnitude",
            Method::Obd => "obd",
            Method::Activity => "activity",
            Method::Random => "random",
        }
    }
}

impl FromStr for Method {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| format!("no pruning method `{name}` (magnitude, obd, activity, random)"))
    }
}

/// What `sprout prune` was asked to do.
#[derive(Debug, Clone)]
pub struct PruneRequest {
    /// champion.ron or a checkpoint.
    pub genome: PathBuf,
    /// The method compared against the baselines.
    pub method: Method,
    /// Fractions of the enabled connections to remove, each in [0, 1).
    pub fractions: Vec<f64>,
    /// Output directory (default: the genome file's directory).
    pub out: Option<PathBuf>,
    /// Seed of the random baseline.
    pub seed: u64,
}

/// What pruning did; its fields are the `--json` keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PruneReport {
    /// The method compared against the baselines.
    pub method: &'static str,
    /// Fractions of the enabled connections removed.
    pub fractions: Vec<f64>,
    /// The unpruned genome's fitness.
    pub unpruned: f64,
    /// Per method, the fitness at each fraction.
    pub fitness: BTreeMap<&'static str, Vec<f64>>,
    /// Per method, the connections kept at each fraction.
    pub kept: BTreeMap<&'static str, Vec<usize>>,
    /// The first line of text: genome, file, task, connections.
    #[serde(skip)]
    pub header: String,
    /// The table of fitness and connections kept.
    #[serde(skip)]
    pub table: String,
    /// Where prune.csv went.
    #[serde(skip)]
    pub csv: PathBuf,
    /// Where prune.png went.
    #[serde(skip)]
    pub png: PathBuf,
}

impl fmt::Display for PruneReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.header)?;
        write!(f, "{}", self.table)?;
        write!(f, "wrote {} and {}", self.csv.display(), self.png.display())
    }
}

/// One method's curve: per fraction, the connections kept and the fitness.
struct Curve {
    method: Method,
    kept: Vec<usize>,
    fitness: Vec<f64>,
}

/// `sprout prune`: prunes at every fraction, writes prune.csv and prune.png, and
/// reports.
pub fn prune(request: &PruneRequest) -> Result<PruneReport> {
    check_fractions(&request.fractions)?;
    let saved = load_saved_genome(&request.genome)?;
    let task = saved
        .experiment
        .task
        .build()
        .map_err(|e| LabError::Task(e.to_string()))?;
    let genome = &saved.champion.genome;
    saved.check_shape(task.as_ref())?;
    let enabled = enabled_connections(genome);
    if enabled.is_empty() {
        return Err(LabError::Request(format!(
            "{}: the genome has no enabled connection to prune",
            request.genome.display()
        )));
    }
    let unpruned = evaluate_genome(task.as_ref(), &saved, genome);
    let probe = probe(task.as_ref(), &saved, &enabled);
    let mut guard = output_guard(genome, &enabled);
    let curves = methods(request.method)
        .into_iter()
        .map(|method| {
            let saliency = saliency(
                method,
                genome,
                &saved.experiment.neat,
                &enabled,
                &probe,
                request.seed,
            )?;
            let (kept, fitness) = request
                .fractions
                .iter()
                .map(|&f| {
                    let alive = prune_mask(&saliency, f, &mut guard)?;
                    let pruned = with_pruned(genome, &enabled, &alive);
                    Ok((
                        alive.iter().filter(|a| **a).count(),
                        evaluate_genome(task.as_ref(), &saved, &pruned),
                    ))
                })
                .collect::<Result<(Vec<_>, Vec<_>)>>()?;
            Ok(Curve {
                method,
                kept,
                fitness,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let out = match &request.out {
        Some(dir) => dir.clone(),
        None => request
            .genome
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned(),
    };
    let csv = out.join("prune.csv");
    sprout_evolve::files::write_atomic(&csv, csv_text(&request.fractions, &curves).as_bytes())?;
    let png = out.join("prune.png");
    plot(&request.fractions, &curves, unpruned, task.name(), &png)?;
    Ok(PruneReport {
        method: request.method.name(),
        fractions: request.fractions.clone(),
        unpruned,
        fitness: curves
            .iter()
            .map(|c| (c.method.name(), c.fitness.clone()))
            .collect(),
        kept: curves
            .iter()
            .map(|c| (c.method.name(), c.kept.clone()))
            .collect(),
        header: format!(
            "pruning genome {} of {} (task {}, {} enabled connections, unpruned fitness {})",
            genome.id,
            request.genome.display(),
            task.name(),
            enabled.len(),
            unpruned
        ),
        table: table(&request.fractions, &curves),
        csv,
        png,
    })
}

/// Rejects fractions outside [0, 1) and an empty list, naming `--fractions`.
fn check_fractions(fractions: &[f64]) -> Result<()> {
    if fractions.is_empty() {
        return Err(LabError::Request(
            "--fractions: give at least one fraction, such as 0.1,0.5".into(),
        ));
    }
    if let Some(f) = fractions.iter().find(|f| !(0.0..1.0).contains(*f)) {
        return Err(LabError::Request(format!(
            "--fractions: {f} is outside [0, 1)"
        )));
    }
    Ok(())
}

/// The baselines, then the chosen method if it is not one of them.
fn methods(chosen: Method) -> Vec<Method> {
    let mut all = vec![Method::Magnitude, Method::Random];
    if !all.contains(&chosen) {
        all.push(chosen);
    }
    all
}

/// Indices into `genome.conns` of the enabled connections: the prunable list.
fn enabled_connections(genome: &Genome) -> Vec<usize> {
    (0..genome.conns.len())
        .filter(|&i| genome.conns[i].enabled)
        .collect()
}

/// The guard over the enabled connections, from the sensor inputs (not the bias)
/// to the outputs.
fn output_guard(genome: &Genome, enabled: &[usize]) -> OutputPathGuard {
    let edges: Vec<(usize, usize)> = enabled
        .iter()
        .map(|&i| {
            let c = &genome.conns[i];
            (c.source as usize, c.target as usize)
        })
        .collect();
    let of_kind = |kind| -> Vec<usize> {
        genome
            .nodes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| n.id as usize)
            .collect()
    };
    OutputPathGuard::new(
        &edges,
        &of_kind(NodeKind::Input),
        &of_kind(NodeKind::Output),
    )
}

/// The alive mask after removing a fraction `fraction` of the connections,
/// least salient first, under the guard's veto.
fn prune_mask(saliency: &[f64], fraction: f64, guard: &mut OutputPathGuard) -> Result<Vec<bool>> {
    let mut alive = vec![true; saliency.len()];
    prune_to_sparsity(saliency, &mut alive, fraction, |k, alive| {
        guard.allows_removal(k, alive)
    })?;
    Ok(alive)
}

/// A copy of `genome` with the dead entries of `alive` disabled.
fn with_pruned(genome: &Genome, enabled: &[usize], alive: &[bool]) -> Genome {
    let mut pruned = genome.clone();
    for (&i, &a) in enabled.iter().zip(alive) {
        pruned.conns[i].enabled = a;
    }
    pruned
}

/// The genome's fitness on the task with the champion's evaluation seed.
fn evaluate_genome(task: &dyn Task, saved: &SavedGenome, genome: &Genome) -> f64 {
    evaluate(
        task,
        genome,
        &saved.experiment.neat,
        saved.seed,
        saved.champion.generation,
    )
    .fitness
}

/// What one run of the unpruned genome on its task showed.
struct Probe {
    /// Mean |pre·w| per enabled connection.
    activity: Vec<f64>,
    /// The observations, episode by episode.
    episodes: Vec<Vec<Vec<f64>>>,
}

/// An agent that records its observations and the connections' activity.
struct ProbeAgent {
    agent: NetworkAgent,
    /// Per enabled connection: (source slot, weight), if both ends are computed.
    links: Vec<Option<(usize, f64)>>,
    /// The last step's actions.
    actions: Vec<f64>,
    activity_sum: Vec<f64>,
    steps: usize,
    episodes: Vec<Vec<Vec<f64>>>,
}

impl Agent for ProbeAgent {
    fn reset(&mut self) {
        self.agent.reset();
        self.episodes.push(Vec::new());
    }

    fn act(&mut self, observation: &[f64]) -> &[f64] {
        if self.episodes.is_empty() {
            self.episodes.push(Vec::new());
        }
        if let Some(episode) = self.episodes.last_mut() {
            episode.push(observation.to_vec());
        }
        self.actions.clear();
        self.actions.extend_from_slice(self.agent.act(observation));
        let values = self.agent.network().values();
        for (sum, link) in self.activity_sum.iter_mut().zip(&self.links) {
            if let Some((source, weight)) = *link {
                *sum += (values[source] * weight).abs();
            }
        }
        self.steps += 1;
        &self.actions
    }
}

/// Runs the unpruned genome once on its task, recording observations and activity.
fn probe(task: &dyn Task, saved: &SavedGenome, enabled: &[usize]) -> Probe {
    let genome = &saved.champion.genome;
    let agent = NetworkAgent::new(genome, &saved.experiment.neat);
    let slots = agent.network().slot_ids();
    let slot = |id| slots.iter().position(|&s| s == id);
    let links = enabled
        .iter()
        .map(|&i| {
            let c = &genome.conns[i];
            slot(c.target).and(slot(c.source)).map(|s| (s, c.weight))
        })
        .collect();
    let mut probe = ProbeAgent {
        agent,
        links,
        actions: Vec::new(),
        activity_sum: vec![0.0; enabled.len()],
        steps: 0,
        episodes: Vec::new(),
    };
    let mut ctx = evaluation_context(saved.seed, saved.champion.generation, genome.id);
    task.evaluate(&mut probe, &mut ctx);
    let steps = probe.steps.max(1) as f64;
    Probe {
        activity: probe.activity_sum.iter().map(|s| s / steps).collect(),
        episodes: probe.episodes,
    }
}

/// Each enabled connection's saliency under `method`.
fn saliency(
    method: Method,
    genome: &Genome,
    neat: &NeatConfig,
    enabled: &[usize],
    probe: &Probe,
    seed: u64,
) -> Result<Vec<f64>> {
    let weights: Vec<f64> = enabled.iter().map(|&i| genome.conns[i].weight).collect();
    Ok(match method {
        Method::Magnitude => magnitude_saliency(&weights),
        Method::Random => {
            random_saliency(weights.len(), &mut Xoshiro256PlusPlus::seed_from_u64(seed))
        }
        Method::Activity => probe.activity.clone(),
        Method::Obd => {
            let hessian = gauss_newton_diagonal(genome, neat, enabled, &probe.episodes)
                .map_err(|e| LabError::Request(format!("OBD saliency: {e}")))?;
            obd_saliency(&weights, &hessian)?
        }
    })
}

/// The network's outputs over the recorded episodes, fed open-loop, concatenated.
fn replay_outputs(genome: &Genome, neat: &NeatConfig, episodes: &[Vec<Vec<f64>>]) -> Vec<f64> {
    let mut agent = NetworkAgent::new(genome, neat);
    let mut outputs = Vec::new();
    for episode in episodes {
        agent.reset();
        for observation in episode {
            outputs.extend_from_slice(agent.act(observation));
        }
    }
    outputs
}

/// The diagonal Gauss–Newton Hessian estimate h_kk = mean over (step, output) of
/// (∂output/∂w_k)², the derivative by central finite differences.
fn gauss_newton_diagonal(
    genome: &Genome,
    neat: &NeatConfig,
    enabled: &[usize],
    episodes: &[Vec<Vec<f64>>],
) -> Result<Vec<f64>> {
    let derivatives: Vec<Vec<f64>> = enabled
        .iter()
        .map(|&i| {
            let weight = genome.conns[i].weight;
            let h = 1e-4 * weight.abs().max(1.0);
            let nudged = |w| {
                let mut g = genome.clone();
                g.conns[i].weight = w;
                replay_outputs(&g, neat, episodes)
            };
            let (up, down) = (nudged(weight + h), nudged(weight - h));
            up.iter()
                .zip(&down)
                .map(|(u, d)| (u - d) / (2.0 * h))
                .collect()
        })
        .collect();
    let samples = derivatives.first().map_or(0, Vec::len);
    let mut diagonal = GaussNewtonDiagonal::new(enabled.len());
    let mut gradient = vec![0.0; enabled.len()];
    for s in 0..samples {
        for (g, d) in gradient.iter_mut().zip(&derivatives) {
            *g = d[s];
        }
        diagonal.add_sample(&gradient, 1.0)?;
    }
    Ok(diagonal.diagonal()?)
}

/// The stdout table: per fraction, each method's fitness and connections kept.
fn table(fractions: &[f64], curves: &[Curve]) -> String {
    let mut text = format!("{:>8}", "fraction");
    for c in curves {
        let _ = write!(text, "  {:>18}", format!("{} (kept)", c.method.name()));
    }
    text.push('\n');
    for (row, f) in fractions.iter().enumerate() {
        let _ = write!(text, "{f:>8.2}");
        for c in curves {
            let cell = format!("{:.4} ({})", c.fitness[row], c.kept[row]);
            let _ = write!(text, "  {cell:>18}");
        }
        text.push('\n');
    }
    text
}

/// prune.csv: fraction, then `<method>_kept,<method>_fitness` per method.
fn csv_text(fractions: &[f64], curves: &[Curve]) -> String {
    let mut text = String::from("fraction");
    for c in curves {
        let _ = write!(text, ",{0}_kept,{0}_fitness", c.method.name());
    }
    text.push('\n');
    for (row, f) in fractions.iter().enumerate() {
        let _ = write!(text, "{f}");
        for c in curves {
            let _ = write!(text, ",{},{}", c.kept[row], c.fitness[row]);
        }
        text.push('\n');
    }
    text
}

/// prune.png: fitness against the fraction removed, one line per method, each
/// starting at the unpruned genome; written atomically.
fn plot(fractions: &[f64], curves: &[Curve], unpruned: f64, task: &str, path: &Path) -> Result<()> {
    let colors = [
        RGBColor(40, 80, 200),
        RGBColor(120, 120, 120),
        RGBColor(200, 40, 40),
    ];
    let series = curves
        .iter()
        .zip(colors)
        .map(|(c, color)| {
            let mut points = vec![(0.0, unpruned)];
            points.extend(fractions.iter().copied().zip(c.fitness.iter().copied()));
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            Series {
                label: c.method.name().to_string(),
                color,
                points,
            }
        })
        .collect();
    LineChart {
        title: &format!("{task}: pruning without retraining"),
        x_label: "fraction of connections removed",
        y_label: "fitness",
        series,
        legend: SeriesLabelPosition::LowerLeft,
    }
    .write_png(path)?;
    Ok(())
}

#[cfg(test)]
mod tests;
