#!/usr/bin/env python3
"""Side-by-side XOR speed comparison: Sprout against neat-python 2.0.

neat-python runs its own feed-forward XOR example: a population of 150, the
fitness 4 - sum((output - target)^2) over the four XOR cases, a threshold of
3.9 and at most 300 generations. The config values written below are those
of neat-python's shipped example, examples/xor/config-feedforward; the file
is generated into a temporary directory, not copied into this repository.
Each run is seeded (seeds S..S+N-1) and timed on its own, single-threaded.

Sprout runs `sprout bench xor` over the same number of seeds, once with one
worker thread (comparable to single-threaded Python) and once with all of
them. Its per-run time is the bench's wall time divided by the runs. Note
that the two are different NEAT variants with different success criteria:
neat-python stops at fitness >= 3.9; Sprout stops when all four outputs are
on the right side of 0.5, within its preset's 200 generations.

As in `sprout bench`, evaluation and generation figures count solved runs
only; wall times cover every run. A CPU-time column sits beside wall time
because wall time is unreliable on a busy machine; the header shows the load
average before and after.

Run from the repository root:

    pip install neat-python
    cargo build --release
    python3 scripts/compare_neat_python.py --runs 20
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import neat

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPROUT = REPO_ROOT / "target" / "release" / "sprout"
MAX_GENERATIONS = 300

XOR_INPUTS = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
XOR_OUTPUTS = [(0.0,), (1.0,), (1.0,), (0.0,)]

# The values of neat-python's examples/xor/config-feedforward as shipped with
# neat-python 2.0.0 (tag v2.0.0). Notes on 2.0:
# - Every [NEAT] key must be given, so the example lists
#   no_fitness_termination (default False).
# - The example says initial_connection = full_direct (older versions: full);
#   with num_hidden = 0 both connect every input straight to the output.
# - It also spells out keys that only take 2.0's defaults:
#   single_structural_mutation, structural_mutation_surer, *_init_type and
#   enabled_rate_to_*_add; min_species_size is 2 (2.0's default: 1).
# No key beyond the shipped example had to be added.
NEAT_PYTHON_XOR_CONFIG = """\
[NEAT]
fitness_criterion      = max
fitness_threshold      = 3.9
pop_size               = 150
reset_on_extinction    = False
no_fitness_termination = False

[DefaultGenome]
activation_default      = sigmoid
activation_mutate_rate  = 0.0
activation_options      = sigmoid
aggregation_default     = sum
aggregation_mutate_rate = 0.0
aggregation_options     = sum
bias_init_mean          = 0.0
bias_init_stdev         = 1.0
bias_max_value          = 30.0
bias_min_value          = -30.0
bias_mutate_power       = 0.5
bias_mutate_rate        = 0.7
bias_replace_rate       = 0.1
compatibility_disjoint_coefficient = 1.0
compatibility_weight_coefficient   = 0.5
conn_add_prob           = 0.5
conn_delete_prob        = 0.5
enabled_default         = True
enabled_mutate_rate     = 0.01
feed_forward            = True
initial_connection      = full_direct
node_add_prob           = 0.2
node_delete_prob        = 0.2
num_hidden              = 0
num_inputs              = 2
num_outputs             = 1
response_init_mean      = 1.0
response_init_stdev     = 0.0
response_max_value      = 30.0
response_min_value      = -30.0
response_mutate_power   = 0.0
response_mutate_rate    = 0.0
response_replace_rate   = 0.0
weight_init_mean        = 0.0
weight_init_stdev       = 1.0
weight_max_value        = 30
weight_min_value        = -30
weight_mutate_power     = 0.5
weight_mutate_rate      = 0.8
weight_replace_rate     = 0.1
single_structural_mutation = false
structural_mutation_surer  = default
bias_init_type             = gaussian
response_init_type         = gaussian
weight_init_type           = gaussian
enabled_rate_to_true_add   = 0.0
enabled_rate_to_false_add  = 0.0

[DefaultSpeciesSet]
compatibility_threshold = 3.0

[DefaultStagnation]
species_fitness_func = max
max_stagnation       = 20
species_elitism      = 2

[DefaultReproduction]
elitism            = 2
survival_threshold = 0.2
min_species_size   = 2
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description="Compare Sprout's XOR speed with neat-python's "
                    "XOR example.")
    parser.add_argument("--runs", type=int, default=20,
                        help="seeded runs per tool (default: 20)")
    parser.add_argument("--seed", type=int, default=0,
                        help="first seed; runs use S..S+N-1 (default: 0)")
    parser.add_argument("--sprout", type=Path, default=DEFAULT_SPROUT,
                        help="path to the sprout binary "
                             "(default: target/release/sprout in the repo)")
    parser.add_argument("--json", action="store_true",
                        help="end with one line holding a JSON object")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def load_neat_config(path):
    """A fresh config; it holds per-run state (the node indexer)."""
    return neat.Config(neat.DefaultGenome, neat.DefaultReproduction,
                       neat.DefaultSpeciesSet, neat.DefaultStagnation,
                       str(path))


def neat_python_run(config_path, seed):
    """One seeded neat-python XOR run; returns its outcome as a dict."""
    counts = {"evaluations": 0, "generations": 0}

    def eval_genomes(genomes, config):
        # The example's fitness function, plus counters.
        counts["generations"] += 1
        for _, genome in genomes:
            counts["evaluations"] += 1
            genome.fitness = 4.0
            net = neat.nn.FeedForwardNetwork.create(genome, config)
            for xi, xo in zip(XOR_INPUTS, XOR_OUTPUTS):
                output = net.activate(xi)
                genome.fitness -= (output[0] - xo[0]) ** 2

    config = load_neat_config(config_path)
    # neat-python draws all its randomness from the `random` module;
    # Population(seed=...) reseeds it, before creating the first population.
    random.seed(seed)
    population = neat.Population(config, seed=seed)
    started = time.perf_counter()
    cpu_started = time.process_time()
    try:
        best = population.run(eval_genomes, MAX_GENERATIONS)
    except neat.CompleteExtinctionException:
        best = population.best_genome
    cpu_seconds = time.process_time() - cpu_started
    seconds = time.perf_counter() - started
    solved = best is not None and best.fitness >= config.fitness_threshold
    return {"seed": seed, "solved": solved, "seconds": seconds,
            "cpu_seconds": cpu_seconds, **counts}


def neat_python_bench(runs, first_seed):
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "config-feedforward"
        config_path.write_text(NEAT_PYTHON_XOR_CONFIG)
        return [neat_python_run(config_path, seed)
                for seed in range(first_seed, first_seed + runs)]


def mean_or_none(values):
    return statistics.mean(values) if values else None


def median_or_none(values):
    return statistics.median(values) if values else None


def summarize_neat_python(outcomes):
    solved = [o for o in outcomes if o["solved"]]
    ms = [o["seconds"] * 1000.0 for o in outcomes]
    total_seconds = sum(o["seconds"] for o in outcomes)
    total_evaluations = sum(o["evaluations"] for o in outcomes)
    return {
        "runs": len(outcomes),
        "success": len(solved),
        "evaluations_mean": mean_or_none([o["evaluations"] for o in solved]),
        "evaluations_median": median_or_none(
            [o["evaluations"] for o in solved]),
        "generations_mean": mean_or_none([o["generations"] for o in solved]),
        "ms_per_run_median": statistics.median(ms),
        "ms_per_run_mean": statistics.mean(ms),
        "cpu_ms_per_run_mean": statistics.mean(
            [o["cpu_seconds"] * 1000.0 for o in outcomes]),
        "evaluations_per_second": total_evaluations / total_seconds,
        "unsolved_seeds": [o["seed"] for o in outcomes if not o["solved"]],
    }


def children_cpu_seconds():
    """User + system CPU time of finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sprout_bench(binary, runs, first_seed, threads):
    """Runs `sprout bench xor` and summarizes its JSON line."""
    command = [str(binary), "bench", "xor", "--runs", str(runs),
               "--seed", str(first_seed), "--json"]
    if threads is not None:
        command += ["--threads", str(threads)]
    cpu_before = children_cpu_seconds()
    result = subprocess.run(command, capture_output=True, text=True,
                            check=True)
    cpu_seconds = children_cpu_seconds() - cpu_before
    report = json.loads(result.stdout.strip().splitlines()[-1])
    wall = report["wall_seconds"]
    success = report["success"]
    evaluations_mean = report["evaluations_mean"]
    # The bench reports evaluations of solved runs only, so with unsolved
    # runs this rate is a lower bound.
    solved_evaluations = (evaluations_mean or 0.0) * success
    return {
        "runs": report["runs"],
        "success": success,
        "evaluations_mean": evaluations_mean,
        "evaluations_median": report["evaluations_median"],
        "generations_mean": report["generations_mean"],
        "hidden_nodes_mean": report["hidden_nodes_mean"],
        "ms_per_run_median": None,
        "ms_per_run_mean": wall * 1000.0 / report["runs"],
        "cpu_ms_per_run_mean": cpu_seconds * 1000.0 / report["runs"],
        "evaluations_per_second": solved_evaluations / wall,
        "evaluations_per_second_is_lower_bound": success < report["runs"],
        "wall_seconds": wall,
    }


def fmt(value, digits=1):
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def print_table(rows):
    headers = ["tool", "solved", "evals mean", "evals median", "gens mean",
               "ms/run median", "ms/run mean", "cpu ms/run", "evals/s"]
    lines = []
    for name, s in rows:
        rate = fmt(s["evaluations_per_second"], 0)
        if s.get("evaluations_per_second_is_lower_bound"):
            rate = ">=" + rate
        lines.append([
            name,
            f"{s['success']}/{s['runs']}",
            fmt(s["evaluations_mean"]),
            fmt(s["evaluations_median"]),
            fmt(s["generations_mean"]),
            fmt(s["ms_per_run_median"], 2),
            fmt(s["ms_per_run_mean"], 2),
            fmt(s["cpu_ms_per_run_mean"], 2),
            rate,
        ])
    widths = [max(len(str(cell)) for cell in column)
              for column in zip(headers, *lines)]
    for i, line in enumerate([headers] + lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width)
                  for cell, width in zip(line[1:], widths[1:])]
        print("  ".join(cells))
        if i == 0:
            print("  ".join("-" * width for width in widths))


def main():
    args = parse_args()
    if not args.sprout.is_file():
        sys.exit(f"error: no sprout binary at {args.sprout}; "
                 "run `cargo build --release` first or pass --sprout")

    load_before = os.getloadavg()[0]
    python_outcomes = neat_python_bench(args.runs, args.seed)
    python = summarize_neat_python(python_outcomes)
    sprout_single = sprout_bench(args.sprout, args.runs, args.seed, threads=1)
    sprout_all = sprout_bench(args.sprout, args.runs, args.seed, threads=None)
    load_after = os.getloadavg()[0]

    python_ms = python["ms_per_run_median"]
    ratio_single = python_ms / sprout_single["ms_per_run_mean"]
    ratio_all = python_ms / sprout_all["ms_per_run_mean"]
    cpu_ratio = (python["cpu_ms_per_run_mean"]
                 / sprout_single["cpu_ms_per_run_mean"])

    print(f"XOR, {args.runs} seeded runs per tool (seeds {args.seed}.."
          f"{args.seed + args.runs - 1}); neat-python {neat.__version__}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"1-min load {load_before:.2f} before / {load_after:.2f} after")
    print("evals and gens: solved runs only; Sprout ms/run = bench wall time "
          "/ runs (no per-run median);")
    print("cpu ms/run: mean CPU time per run (Sprout: whole process, summed "
          "over threads)")
    print()
    print_table([
        ("neat-python (1 thread)", python),
        ("Sprout (1 thread)", sprout_single),
        ("Sprout (all threads)", sprout_all),
    ])
    if python["unsolved_seeds"]:
        print(f"\nneat-python unsolved seeds: {python['unsolved_seeds']}")
    print()
    print("neat-python median ms/run / Sprout ms/run: "
          f"{ratio_single:,.1f}x (1 thread), {ratio_all:,.1f}x (all threads)")
    print("neat-python mean cpu ms/run / Sprout cpu ms/run (1 thread): "
          f"{cpu_ratio:,.1f}x")

    if args.json:
        print(json.dumps({
            "runs": args.runs,
            "first_seed": args.seed,
            "neat_python_version": neat.__version__,
            "load_average": [load_before, load_after],
            "neat_python": python,
            "sprout_single_thread": sprout_single,
            "sprout_all_threads": sprout_all,
            "ratio_single_thread": ratio_single,
            "ratio_all_threads": ratio_all,
            "cpu_ratio_single_thread": cpu_ratio,
        }))


if __name__ == "__main__":
    main()
