#!/usr/bin/env python3
"""Where a NEAT generation's time goes, and how it grows with the population.

Runs `sprout bench generation --json` (XOR, one thread) at populations 150,
1,000, 10,000 and 100,000 with one Sprout binary, or two side by side (--before
an older build, --sprout the current one, alternating so both see the same
machine load; the fastest of --repeats runs counts), prints a Markdown table
of nanoseconds per genome per phase, and
writes a PNG of ns per genome against population on a log axis.

    pip install matplotlib
    cargo build --release -p sprout-cli --no-default-features
    python3 scripts/generation_scaling.py --sprout target/release/sprout --out docs/generation-scaling.png
"""
import argparse
import json
import subprocess
import sys

PHASES = ["compile", "evaluation", "speciation", "reproduction", "other"]


def measure(binary, population, generations, threads):
    cmd = [binary, "bench", "generation", "--population", str(population),
           "--generations", str(generations), "--threads", str(threads), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sprout", required=True, help="the sprout binary to measure")
    p.add_argument("--before", help="an older sprout binary to measure beside it")
    p.add_argument("--populations", default="150,1000,10000,100000")
    p.add_argument("--generations", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3,
                   help="runs per build and population; the fastest is kept (the "
                        "machine's noise only ever adds time)")
    p.add_argument("--out", default="generation-scaling.png")
    a = p.parse_args()
    populations = [int(x) for x in a.populations.split(",")]
    builds = [("before", a.before), ("after", a.sprout)] if a.before else [("sprout", a.sprout)]
    results = {name: [] for name, _ in builds}
    for n in populations:
        runs = {name: [] for name, _ in builds}
        for _ in range(a.repeats):
            for name, binary in builds:
                runs[name].append(measure(binary, n, a.generations, a.threads))
        for name, _ in builds:
            r = min(runs[name], key=lambda run: run["ns_per_genome"])
            results[name].append(r)
            print(f"{name} population {n}: {r['ns_per_genome']:.0f} ns/genome", file=sys.stderr)

    print("| population | build | " + " | ".join(PHASES) + " | generation | bytes/genome | species |")
    print("|---" * (len(PHASES) + 5) + "|")
    for i, n in enumerate(populations):
        for name, _ in builds:
            r = results[name][i]
            cells = " | ".join(f"{r[f'{ph}_ns_per_genome']:.0f}" for ph in PHASES)
            print(f"| {n:,} | {name} | {cells} | **{r['ns_per_genome']:.0f}** | "
                  f"{r['bytes_per_genome']:.0f} | {r['species_mean']:.0f} |")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, _ in builds:
        style = "--" if name == "before" else "-"
        total = [r["ns_per_genome"] for r in results[name]]
        ax.plot(populations, total, style, marker="o", color="black", label=f"whole generation ({name})")
        if name != "before":
            for ph in PHASES:
                ax.plot(populations, [r[f"{ph}_ns_per_genome"] for r in results[name]],
                        marker=".", label=ph)
    ax.set_xscale("log")
    ax.set_xlabel("population (genomes)")
    ax.set_ylabel("ns per genome per generation")
    ax.set_ylim(bottom=0)
    ax.set_title(f"XOR, {a.threads} thread(s), {a.generations} generations from generation 0 "
                 f"(sprout bench generation)", fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
