#!/usr/bin/env bash
# Runs the NEAT C++ reference (Stanley's NEAT 1.2.1) on double pole without
# velocities, one run per seed, and prints what `sprout bench dpnv` prints:
# runs solved, evaluations (mean with a 95% t interval, median) and the mean
# generalization score. docs/neat-fidelity.md compares Sprout with it.
#
#   scripts/neat_reference_dpnv.sh NEAT_SRC_DIR [FIRST_SEED] [LAST_SEED] [GENERATIONS]
#
# NEAT_SRC_DIR holds the unpacked NEAT.1.2.1.tar.gz (a public copy:
# github.com/qwfy/neat-cpp). The script copies it, seeds the C library's rand()
# from the seed instead of the clock, picks experiment 3 (DPNV) without asking,
# and builds it with g++ -O2. Evaluations are counted as Sprout counts them:
# whole generations of 1,000 up to the one whose champion won (the reference's
# own count stops at the winner's index, about 500 fewer).
set -euo pipefail
src=${1:?usage: $0 NEAT_SRC_DIR [FIRST_SEED] [LAST_SEED] [GENERATIONS]}
first=${2:-1}
last=${3:-50}
generations=${4:-100}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src"/. "$work"
cd "$work"
python3 - <<'EOF'
s = open("neatmain.cpp").read()
s = s.replace("#include <iostream>", "#include <iostream>\n#include <cstdlib>", 1)
s = s.replace("srand( (unsigned)time( NULL ) );", "srand( (unsigned)atoi(argv[2]) );")
s = s.replace("if (argc != 2) {", "if (argc != 4) {")
s = s.replace("  cin>>choice;", "  choice=3;")
s = s.replace("p = pole2_test(100,0);", "p = pole2_test(atoi(argv[3]),0);")
open("neatmain.cpp", "w").write(s)
EOF
for f in neat network nnode link trait gene genome innovation organism species population experiments neatmain; do
    g++ -O2 -w -fpermissive -DNO_SCREEN_OUT -c "$f.cpp" -o "$f.o"
done
g++ ./*.o -o neat

results=$work/results.tsv
for seed in $(seq "$first" "$last"); do
    ./neat p2nv.ne "$seed" "$generations" > log 2>&1 || true
    generation=$(grep -a '^Epoch' log | tail -1 | awk '{print $2}')
    score=$(grep -a 'champ wins' log | sed 's/.*generalization = \([0-9]*\).*/\1/' || true)
    if [ -z "$score" ]; then generation=0; score=0; fi
    printf '%s\t%s\t%s\n' "$seed" "$generation" "$score" | tee -a "$results"
done

python3 - "$results" <<'EOF'
import math, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
won = [(int(g), int(s)) for _, g, s in rows if int(s) > 0]
evals = [g * 1000 for g, _ in won]
scores = [s for _, s in won]
def t_interval(x):
    # The 97.5% t quantile with n - 1 degrees of freedom, by its
    # Cornish-Fisher expansion around z (within 0.002 from 10 samples on).
    z, v = 1.959964, len(x) - 1
    t = z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v * v)
    half = t * statistics.stdev(x) / math.sqrt(len(x))
    m = statistics.mean(x)
    return f"{m:.0f} (95% CI {m - half:.0f}–{m + half:.0f})"
print(f"NEAT 1.2.1 dpnv: {len(won)} of {len(rows)} runs solved")
if len(won) > 1:
    print(f"  evaluations  mean {t_interval(evals)}  median {statistics.median(evals):.0f}")
    print(f"  generalization mean {t_interval(scores)} of 625")
EOF
