//! Memory, estimated before it is allocated: a population that cannot fit is
//! refused with the field that asks for it, instead of growing until the
//! machine kills the process.

use std::path::Path;

use sprout_genome::{ConnGene, Genome, NeatConfig, NodeGene};

use crate::error::EvolveError;

/// Copies of each genome alive at once during a generation: the population, the
/// offspring being bred, and the network compiled from it for evaluation.
const COPIES_PER_GENOME: u64 = 3;

/// Bytes one genome of generation 0 takes, with every input (and the bias)
/// linked to every output: the most a minimal genome can hold.
pub fn genome_bytes(inputs: usize, outputs: usize) -> u64 {
    let (inputs, outputs) = (inputs as u128, outputs as u128);
    let nodes = inputs + 1 + outputs;
    let conns = (inputs + 1).saturating_mul(outputs);
    let bytes = (std::mem::size_of::<Genome>() as u128)
        .saturating_add(nodes.saturating_mul(std::mem::size_of::<NodeGene>() as u128))
        .saturating_add(conns.saturating_mul(std::mem::size_of::<ConnGene>() as u128));
    u64::try_from(bytes).unwrap_or(u64::MAX)
}

/// Bytes a population of `neat.population_size` genomes with these (genome)
/// input and output counts needs during a generation.
pub fn population_bytes(neat: &NeatConfig, inputs: usize, outputs: usize) -> u64 {
    genome_bytes(inputs, outputs)
        .saturating_mul(COPIES_PER_GENOME)
        .saturating_mul(neat.population_size as u64)
}

/// Bytes of memory this process can still use: the kernel's `MemAvailable`,
/// lowered to the room left under a cgroup limit. `None` where neither can be
/// read (the guard then lets the run start).
pub fn available_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let available = meminfo.as_deref().and_then(|text| {
        text.lines()
            .find_map(|l| l.strip_prefix("MemAvailable:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kb| kb.saturating_mul(1024))
    });
    let read_u64 = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok())
    };
    // cgroup v2: "max" (no limit) does not parse and is skipped.
    let cgroup_room = read_u64("/sys/fs/cgroup/memory.max")
        .map(|max| max.saturating_sub(read_u64("/sys/fs/cgroup/memory.current").unwrap_or(0)));
    match (available, cgroup_room) {
        (Some(a), Some(c)) => Some(a.min(c)),
        (a, c) => a.or(c),
    }
}

/// The most bytes of text a saved file may decompress to: half the available
/// memory (a parsed checkpoint takes more room than its text), at least 64 MiB;
/// 4 GiB when the available memory is unknown.
pub fn load_limit() -> u64 {
    available_bytes().map_or(4 << 30, |a| (a / 2).max(64 << 20))
}

/// Refuses a population that would not fit in the available memory; returns a
/// warning when it would take more than half of it. `path` and `text` name the
/// experiment file and point at the `population_size` line.
pub fn check_population(
    neat: &NeatConfig,
    inputs: usize,
    outputs: usize,
    path: &Path,
    text: Option<&str>,
) -> Result<Option<String>, EvolveError> {
    let Some(available) = available_bytes() else {
        return Ok(None);
    };
    check_population_against(neat, inputs, outputs, path, text, available)
}

/// [`check_population`] against a given amount of available memory.
pub fn check_population_against(
    neat: &NeatConfig,
    inputs: usize,
    outputs: usize,
    path: &Path,
    text: Option<&str>,
    available: u64,
) -> Result<Option<String>, EvolveError> {
    let estimate = population_bytes(neat, inputs, outputs);
    let field = "neat.population_size";
    let what = format!(
        "a population of {} genomes ({} inputs, {} outputs)",
        neat.population_size, inputs, outputs
    );
    if estimate > available {
        return Err(EvolveError::OutOfMemory {
            path: path.to_owned(),
            line: text.and_then(|t| crate::files::line_of_field(t, field)),
            field: field.into(),
            what,
            estimate,
            available,
        });
    }
    Ok((estimate > available / 2).then(|| {
        format!(
            "warning: {}: {field}: {what} needs about {} of memory, more than half of the {} available",
            path.display(),
            human_bytes(estimate),
            human_bytes(available)
        )
    }))
}

/// `1.5 GB`, `320 kB`: bytes for people.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neat(population_size: usize) -> NeatConfig {
        NeatConfig {
            population_size,
            ..NeatConfig::default()
        }
    }

    #[test]
    fn two_billion_genomes_are_refused_by_field_and_line() {
        let text = "(\n  name: \"x\",\n  neat: (\n    population_size: 2000000000,\n  ),\n)";
        let e = check_population_against(
            &neat(2_000_000_000),
            2,
            1,
            Path::new("big.ron"),
            Some(text),
            24 << 30,
        )
        .unwrap_err();
        let message = e.to_string();
        assert!(
            message
                .starts_with("big.ron:4: neat.population_size: a population of 2000000000 genomes"),
            "{message}"
        );
        assert!(
            message.contains("TB of memory, but 25.8 GB is available"),
            "{message}"
        );
    }

    #[test]
    fn more_than_half_warns_and_less_passes_quietly() {
        let one = population_bytes(&neat(1000), 10, 2);
        let warn =
            check_population_against(&neat(1000), 10, 2, Path::new("e.ron"), None, one + one / 2)
                .unwrap()
                .unwrap();
        assert!(warn.contains("more than half"), "{warn}");
        let quiet = check_population_against(&neat(1000), 10, 2, Path::new("e.ron"), None, one * 3)
            .unwrap();
        assert_eq!(quiet, None);
    }

    #[test]
    fn estimates_saturate_instead_of_overflowing() {
        assert_eq!(
            population_bytes(&neat(usize::MAX), usize::MAX / 2, usize::MAX / 2),
            u64::MAX
        );
    }

    #[test]
    fn this_machine_reports_its_memory() {
        if cfg!(target_os = "linux") {
            assert!(available_bytes().is_some_and(|a| a > 0));
        }
        assert!(load_limit() >= 64 << 20);
    }

    #[test]
    fn bytes_read_as_people_write_them() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        assert_eq!(human_bytes(2_400_000_000_000), "2.4 TB");
    }
}
