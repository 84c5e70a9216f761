//! Choices between Sprout's rules and the NEAT reference code's (Stanley's C++
//! release, NEAT 1.2.1). Each is a `neat` field whose default keeps Sprout's rule;
//! `docs/neat-fidelity.md` lists every mechanism, the reference's file and line,
//! and what each choice did to the double-pole benchmark.

use serde::{Deserialize, Serialize};

/// How a genome's weights change when they mutate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WeightMutation {
    /// Each gene (with chance `weight_gene_prob`) is perturbed by a Gaussian of sd
    /// `weight_perturb_power` (chance `weight_perturb_prob`) or replaced by a
    /// uniform draw from ±`weight_replace_range`.
    #[default]
    Gaussian,
    /// The reference's `mutate_link_weights(power, 1.0, GAUSSIAN)`: steps and
    /// replacements are uniform in ±`weight_perturb_power`. Half of the calls are
    /// severe: each gene is perturbed (70%), replaced (20%) or kept (10%).
    /// Otherwise every gene is perturbed, except, in genomes of 10 or more
    /// genes, the newest 20%, which go 50% / 20% / 30%.
    Reference,
}

/// How the toggle and re-enable mutations pick their connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EnableMutation {
    /// Toggle flips a random connection; re-enable picks a random disabled one.
    #[default]
    Random,
    /// The reference: toggle disables a connection only when its source keeps
    /// another enabled outgoing link; re-enable picks the first disabled one.
    Reference,
}

/// Where a crossover of two equally fit parents takes its unmatched genes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TieGenes {
    /// From both parents.
    #[default]
    Both,
    /// From the parent with fewer connection genes (the second parent when
    /// both have as many), as the reference's `mate_multipoint` does.
    Smaller,
}

/// How many members of a species (best first) may become parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SurvivalRule {
    /// ⌈`survival_threshold`·n⌉, at least 2 (when the species has 2).
    #[default]
    Ceil,
    /// ⌊`survival_threshold`·n + 1⌋, the reference's count.
    FloorPlusOne,
}

/// Which species copy their champion unchanged into the next generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Elitism {
    /// Species with more than `elitism_min_size` members.
    #[default]
    SpeciesSize,
    /// Species allotted more than `elitism_min_size` children (the reference).
    Offspring,
}

/// What happens to a species that has not improved for `stagnation_limit`
/// generations (unless it is among the `protected_species` best).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum StagnationPenalty {
    /// It gets no children.
    #[default]
    Remove,
    /// Its share of the children is multiplied by this factor (the reference:
    /// 0.01), so it shrinks but can come back.
    Scale(f64),
}

/// The reference's "obliterate": every `every` generations, the worst species at
/// least `min_age` generations old (the best species when none is) keeps only
/// 1% of its share of the children for the rest of its life (the reference:
/// every 30, from age 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obliterate {
    /// Generations between two obliterations.
    pub every: u64,
    /// Youngest age a species can be obliterated at.
    pub min_age: u64,
}

/// What `population_stagnation` does when the population's best fitness stalls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PopulationRestart {
    /// Only the two species with the best fitness ever reproduce, in proportion
    /// to their shares, and breed as usual.
    #[default]
    Refocus,
    /// The reference's delta coding: the two species whose champions are the
    /// fittest of this generation get half the population each, all of it
    /// copies of their champion (80% with weight mutation only, the rest with
    /// an add-connection mutation; the last copy unchanged), and their
    /// stagnation clocks restart.
    DeltaCoding,
}

/// Which member of a species new genomes are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Representative {
    /// A random member of the previous generation (the NEAT paper).
    #[default]
    Random,
    /// The previous generation's fittest member (the reference code compares
    /// with the species' first organism, its champion after sorting).
    Champion,
}

/// Which genome of a generation the task's success check runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SuccessCheck {
    /// The fittest genome that claims success, or the fittest genome when none
    /// does.
    #[default]
    Fittest,
    /// The reference's double-pole protocol: species are ranked by this
    /// generation's best fitness; the champion of the first species not yet
    /// checked is tested, and a species counts as unchecked again when its best
    /// fitness beats its record. When every species is checked, the best
    /// species' champion is tested. A stalled leader therefore does not use up
    /// every check: other species' champions get theirs.
    SpeciesRotation,
}
