//! Graphviz DOT export.

use std::fmt::Write;

use sprout_genome::{Genome, NodeKind};

/// Renders a genome as a Graphviz digraph: inputs on top, outputs at the bottom,
/// enabled links solid (red for negative weights, width by magnitude), disabled
/// links dashed grey.
pub fn to_dot(genome: &Genome) -> String {
    let mut out =
        String::from("digraph genome {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n");
    let mut sources = String::from("  { rank=source;");
    let mut sinks = String::from("  { rank=sink;");
    for node in &genome.nodes {
        let (shape, label) = match node.kind {
            NodeKind::Input => ("box", format!("in{}", node.id)),
            NodeKind::Bias => ("box", "bias".to_string()),
            NodeKind::Output => (
                "doublecircle",
                format!("out{}", node.id as usize - genome.inputs - 1),
            ),
            NodeKind::Hidden => ("circle", format!("h{}", node.id)),
        };
        let _ = writeln!(
            out,
            "  n{} [shape={shape}, label=\"{label}\\n{:?}\"];",
            node.id, node.activation
        );
        match node.kind {
            NodeKind::Input | NodeKind::Bias => {
                let _ = write!(sources, " n{};", node.id);
            }
            NodeKind::Output => {
                let _ = write!(sinks, " n{};", node.id);
            }
            NodeKind::Hidden => {}
        }
    }
    out.push_str(&sources);
    out.push_str(" }\n");
    out.push_str(&sinks);
    out.push_str(" }\n");
    for c in &genome.conns {
        let style = if c.enabled {
            let color = if c.weight < 0.0 { "red" } else { "blue" };
            format!(
                "color={color}, penwidth={:.2}",
                0.5 + c.weight.abs().min(4.0)
            )
        } else {
            "color=grey, style=dashed".to_string()
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{:.3}\", {style}];",
            c.source, c.target, c.weight
        );
    }
    out.push_str("}\n");
    out
}
