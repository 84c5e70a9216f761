use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use sprout_genome::mutation::mutate;
use sprout_genome::{Genome, InnovationTracker, NeatConfig};

use super::*;

/// Genomes grown by mutation from a minimal one: hidden nodes, disabled links,
/// plastic genes and module genes included.
fn grown(seed: u64, mutations: usize) -> Genome {
    let config: NeatConfig =
        ron::from_str("(add_node_prob: 0.5, add_connection_prob: 0.8, plasticity: Some(()))")
            .unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(3, 2));
    let mut genome = Genome::initial(7, 3, 2, &config, &mut tracker, &mut rng);
    for _ in 0..mutations {
        mutate(&mut genome, &config, &mut tracker, &mut rng);
    }
    genome.module_params = vec![0.5, -1.25];
    genome
}

fn encoded(g: &Genome) -> Vec<u8> {
    let mut w = Writer::default();
    w.genome(g);
    w.bytes
}

proptest! {
    #[test]
    fn genomes_come_back_bit_for_bit(seed in 0u64..1000, mutations in 0usize..40) {
        let genome = grown(seed, mutations);
        let back = Reader::new(&encoded(&genome)).genome().unwrap();
        prop_assert_eq!(&back, &genome);
        // Down to the bits of every float (== would let -0.0 pass for 0.0).
        prop_assert_eq!(ron::to_string(&back).unwrap(), ron::to_string(&genome).unwrap());
    }

    #[test]
    fn cut_or_corrupt_messages_are_errors_not_panics(
        seed in 0u64..200,
        cut in 0usize..4000,
        flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..8),
    ) {
        let mut bytes = encoded(&grown(seed, 20));
        for (at, byte) in flips {
            let n = bytes.len();
            bytes[at % n] ^= byte;
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = Reader::new(&bytes).genome();
    }
}

#[test]
fn a_truncated_genome_says_so() {
    let bytes = encoded(&grown(1, 10));
    let err = Reader::new(&bytes[..bytes.len() - 3]).genome().unwrap_err();
    assert!(err.contains("ends early"), "{err}");
}

#[test]
fn the_binary_form_is_a_fraction_of_the_ron() {
    let genome = grown(3, 30);
    let ron = ron::to_string(&genome).unwrap();
    assert!(
        encoded(&genome).len() * 3 < ron.len(),
        "{} vs {}",
        encoded(&genome).len(),
        ron.len()
    );
}

#[test]
fn input_nodes_out_of_the_ordinary_are_sent_in_full() {
    let mut genome = grown(5, 10);
    genome.nodes[1].bias = 0.25;
    let back = Reader::new(&encoded(&genome)).genome().unwrap();
    assert_eq!(back, genome);
    genome.nodes[1].bias = -0.0;
    let back = Reader::new(&encoded(&genome)).genome().unwrap();
    assert_eq!(back.nodes[1].bias.to_bits(), (-0.0f64).to_bits());
}

#[test]
fn a_genome_with_many_implied_inputs_comes_back() {
    let config = NeatConfig::default();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    let mut tracker = InnovationTracker::new(Genome::first_hidden_id(172, 6));
    let genome = Genome::initial(1, 172, 6, &config, &mut tracker, &mut rng);
    let bytes = encoded(&genome);
    assert_eq!(Reader::new(&bytes).genome().unwrap(), genome);
    // Spelled out, the 172 inputs take two bytes each (and one bias eight more).
    let mut unusual = genome.clone();
    unusual.nodes[0].bias = 0.5;
    assert!(encoded(&unusual).len() >= bytes.len() + 2 * 171);
}

#[test]
fn every_activation_has_a_code_that_reads_back() {
    for (code, activation) in Activation::ALL.into_iter().enumerate() {
        assert_eq!(usize::from(activation_code(activation)), code);
        assert_eq!(activation_of(code as u8).unwrap(), activation);
    }
    assert!(activation_of(Activation::ALL.len() as u8).is_err());
}
