//! `sprout inspect`: a saved genome described in text, node by node and link by
//! link, with what its compiled network keeps.

use std::fmt;
use std::path::Path;

use sprout_network::{Network, Structure};

use crate::SavedGenome;

/// A saved genome and the file it came from, displayed as `sprout inspect`
/// prints it.
pub struct Inspection<'a> {
    /// The champion or checkpoint genome.
    pub saved: &'a SavedGenome,
    /// Where it was read from.
    pub path: &'a Path,
}

impl fmt::Display for Inspection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (saved, genome) = (self.saved, &self.saved.champion.genome);
        let enabled = genome.enabled_count();
        let mut structure = Structure::new(genome);
        let network = Network::compile(genome);
        writeln!(
            f,
            "genome {} (generation {}, fitness {}) from {}",
            genome.id,
            saved.champion.generation,
            saved.champion.evaluation.fitness,
            self.path.display()
        )?;
        writeln!(
            f,
            "nodes        {} ({} inputs, 1 bias, {} outputs, {} hidden)",
            genome.nodes.len(),
            genome.inputs,
            genome.outputs,
            genome.hidden_count()
        )?;
        let ratio = if genome.conns.is_empty() {
            0.0
        } else {
            enabled as f64 / genome.conns.len() as f64
        };
        writeln!(
            f,
            "connections  {} ({} enabled, enabled ratio {:.2})",
            genome.conns.len(),
            enabled,
            ratio
        )?;
        let kind = if structure.has_cycle() {
            "recurrent"
        } else {
            "feed-forward"
        };
        writeln!(
            f,
            "network      {} computed nodes, {} live links, {kind}, dead hidden nodes {:?}",
            network.computed_nodes(),
            network.connections(),
            structure.dead_nodes()
        )?;
        let neat = &saved.experiment.neat;
        if !genome.module_params.is_empty() {
            let genes: Vec<String> = neat
                .module_gene_layout()
                .zip(&genome.module_params)
                .map(|((module, gene), value)| {
                    let name = neat.lifetime[module].name();
                    format!("{name}[{module}].{} {value:.4}", gene.name)
                })
                .collect();
            writeln!(f, "module genes {}", genes.join(", "))?;
        }
        writeln!(f, "\n  node  kind     activation     bias")?;
        for n in &genome.nodes {
            writeln!(
                f,
                "  {:>4}  {:<8} {:<14} {:.4}",
                n.id,
                format!("{:?}", n.kind),
                format!("{:?}", n.activation),
                n.bias
            )?;
        }
        writeln!(f, "\n  innov  source → target    weight  enabled")?;
        for c in &genome.conns {
            writeln!(
                f,
                "  {:>5}  {:>6} → {:<6} {:>9.4}  {}",
                c.innovation, c.source, c.target, c.weight, c.enabled
            )?;
        }
        Ok(())
    }
}
