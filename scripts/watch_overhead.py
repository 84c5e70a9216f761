#!/usr/bin/env python3
"""Evaluations per second of the default experiment with and without the window.

Runs `sprout evolve` and `sprout watch --close-when-done` (under xvfb-run with
Mesa's software Vulkan) alternately, ROUNDS times each, on the same seed and
generation count, reads each run's stats.csv (seconds per generation), and
writes a PNG of evaluations per second per generation plus a summary line.

    python3 scripts/watch_overhead.py --bin target/debug/sprout --generations 20 --rounds 3 --out /tmp/overhead
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys


def run(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def evals_per_second(run_dir, population):
    with open(os.path.join(run_dir, "stats.csv")) as f:
        return [population / float(row["seconds"]) for row in csv.DictReader(f)]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", required=True)
    p.add_argument("--generations", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--population", type=int, default=300, help="of the default experiment")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--skip", type=int, default=5,
                   help="generations left out of the medians: the window's start-up (shader compilation) overlaps them")
    p.add_argument("--fps", type=int, nargs="+", default=[30], help="window frame caps to compare")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    common = ["--seed", "0", "--generations", str(a.generations)]
    if a.threads:
        common += ["--threads", str(a.threads)]
    env = dict(os.environ, WGPU_BACKEND="vulkan")
    base = "without window"
    series = {base: []}
    fps = {}
    for cap in a.fps:
        series[f"window, {cap} fps cap"] = []
        fps[cap] = []
    for r in range(a.rounds):
        d = os.path.join(a.out, f"evolve-{r}")
        run([a.bin, "evolve", *common, "--out", d])
        series[base].append(evals_per_second(d, a.population))
        for cap in a.fps:
            d = os.path.join(a.out, f"watch-{cap}-{r}")
            out = run(["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", a.bin, "watch", *common,
                       "--out", d, "--close-when-done", "--fps", str(cap)], env=env)
            series[f"window, {cap} fps cap"].append(evals_per_second(d, a.population))
            line = next(l for l in out.splitlines() if l.startswith("window:"))
            fps[cap].append(float(line.split("(")[1].split()[0]))
    summary = {}
    for name, runs in series.items():
        summary[name] = statistics.median([v for run in runs for v in run[a.skip:]])
        series[name] = [statistics.mean(g) for g in zip(*runs)]
    for cap in a.fps:
        name = f"window, {cap} fps cap"
        summary[f"ratio at {cap} fps cap"] = summary[name] / summary[base]
        summary[f"frames per second drawn at {cap} fps cap"] = statistics.mean(fps[cap])

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    for name, per_gen in series.items():
        ax.plot(range(len(per_gen)), per_gen, marker="o", ms=3,
                label=f"{name} (median {summary[name]:.0f}/s)")
    ax.set_xlabel("generation")
    ax.set_ylabel("evaluations per second")
    ax.set_ylim(bottom=0)
    drawn = ", ".join(f"{c} cap: {summary[f'frames per second drawn at {c} fps cap']:.0f} fps drawn, "
                      f"ratio {summary[f'ratio at {c} fps cap']:.2f}" for c in a.fps)
    ax.set_title(f"sprout evolve vs sprout watch (default experiment, {a.rounds} runs each)\n{drawn}",
                 fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    png = os.path.join(a.out, "watch-overhead.png")
    fig.savefig(png)
    print(f"wrote {png}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
