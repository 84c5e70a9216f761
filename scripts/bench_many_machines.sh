#!/usr/bin/env bash
# Distributed evaluation against local evaluation, side by side on this machine:
# evaluations per second of `evolve` with 2 threads, and of a master (breeding on
# 2 threads, as the local run does) with two `sprout worker --threads 1` processes
# on a local redis-server, runs alternating; it prints the medians and the median
# of each farmed run's rate over the local run's just before it. The platformer
# row is the whole default experiment (100 generations, or fewer when 1-1 is
# cleared: the same in both). Then what each
# genome costs the master, the workers and Redis (CPU time, Redis commands and
# network bytes per genome), and redis-benchmark's XADD/XACK rates.
#
# Usage: scripts/bench_many_machines.sh [PLATFORMER_GENERATIONS] [XOR_GENERATIONS] [REPETITIONS]
# Needs a release build (cargo build --release --no-default-features) and
# redis-server, redis-cli and redis-benchmark (Debian's redis-server package).
set -euo pipefail
cd "$(dirname "$0")/.."
platformer_generations="${1:-100}"
xor_generations="${2:-200}"
repetitions="${3:-5}"
bin="$(realpath "${SPROUT_BIN:-${CARGO_TARGET_DIR:-target}/release/sprout}")"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="redis://127.0.0.1:$port"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" >/dev/null
trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null; rm -rf "$work"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
cli() { redis-cli -p "$port" "$@"; }

# Evaluations per second of a run directory: evaluations over the generations'
# wall time (stats.csv: evaluations is cumulative, seconds per generation).
rate() {
    awk -F, 'NR > 1 { s += $NF; e = $7 } END { printf "%.0f", e / s }' "$1/stats.csv"
}

# `sprout evolve` of config $1 for $2 generations into $3, the rest as options.
evolve() {
    local config="$1" generations="$2" out="$3"
    shift 3
    "$bin" evolve --config "$config" --generations "$generations" --out "$out" \
        --quiet "$@" >/dev/null
}

# CPU seconds (user + system) of a process, from /proc, before it exits.
cpu_of() {
    awk '{ print ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$1/stat"
}

redis_totals() {
    # commands processed, network bytes in + out, Redis CPU seconds
    local stats cpu
    stats="$(cli INFO stats | tr -d '\r')"
    cpu="$(cli INFO cpu | tr -d '\r')"
    echo "$(echo "$stats" | awk -F: '/^total_commands_processed/ { print $2 }')" \
        "$(echo "$stats" | awk -F: '/^total_net_(input|output)_bytes/ { s += $2 } END { print s }')" \
        "$(echo "$cpu" | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { print s }')"
}

# Median of the numbers given.
median() {
    printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

compare() {
    local label="$1" config="$2" generations="$3"
    "$bin" worker --redis "$url" --threads 1 --name w1 >/dev/null 2>&1 &
    local w1=$!
    "$bin" worker --redis "$url" --threads 1 --name w2 >/dev/null 2>&1 &
    local w2=$!
    sleep 0.5
    local local_rates=() farm_rates=() ratios=() master_cpu=0 commands0 bytes0 rcpu0 commands1 bytes1 rcpu1
    read -r commands0 bytes0 rcpu0 <<<"$(redis_totals)"
    local w1_cpu0 w2_cpu0
    w1_cpu0="$(cpu_of "$w1")"
    w2_cpu0="$(cpu_of "$w2")"
    # Alternate local and farmed runs, so that the machine's drift hits both.
    for rep in $(seq "$repetitions"); do
        evolve "$config" "$generations" "$work/$label-local-$rep" --threads 2
        local_rates+=("$(rate "$work/$label-local-$rep")")
        "$bin" evolve --config "$config" --generations "$generations" \
            --out "$work/$label-farm-$rep" --quiet --redis "$url" --threads 2 >/dev/null &
        local master=$! cpu=0
        while kill -0 "$master" 2>/dev/null; do
            cpu="$(cpu_of "$master" 2>/dev/null || echo "$cpu")"
            sleep 0.02
        done
        wait "$master"
        master_cpu="$(echo "$master_cpu + $cpu" | bc -l)"
        farm_rates+=("$(rate "$work/$label-farm-$rep")")
        # Each farmed run against the local run just before it: the machine's
        # speed drifts by half over minutes, a pair shares the same moment.
        ratios+=("$(awk -v f="${farm_rates[-1]}" -v l="${local_rates[-1]}" 'BEGIN { printf "%.3f", f / l }')")
        if ! cmp -s "$work/$label-local-$rep/champion.ron" "$work/$label-farm-$rep/champion.ron"; then
            echo "$label: the farmed champion differs from the local one" >&2
            exit 1
        fi
    done
    read -r commands1 bytes1 rcpu1 <<<"$(redis_totals)"
    local w1_cpu w2_cpu
    w1_cpu="$(echo "$(cpu_of "$w1") - $w1_cpu0" | bc -l)"
    w2_cpu="$(echo "$(cpu_of "$w2") - $w2_cpu0" | bc -l)"
    kill -TERM "$w1" "$w2"
    wait "$w1" "$w2" 2>/dev/null || true
    local genomes local_rate farm_rate
    genomes="$(awk -F, 'END { print $7 }' "$work/$label-farm-1/stats.csv")"
    genomes=$((genomes * repetitions))
    local_rate="$(median "${local_rates[@]}")"
    farm_rate="$(median "${farm_rates[@]}")"
    local ratio
    ratio="$(median "${ratios[@]}")"
    awk -v label="$label" -v g="$genomes" -v l="$local_rate" -v f="$farm_rate" \
        -v ls="${local_rates[*]}" -v fs="${farm_rates[*]}" -v r="$repetitions" \
        -v ratio="$ratio" -v ratios="${ratios[*]}" \
        -v c="$((commands1 - commands0))" -v b="$((bytes1 - bytes0))" \
        -v rc="$rcpu0" -v rc1="$rcpu1" -v m="$master_cpu" -v w="$w1_cpu" -v w2="$w2_cpu" 'BEGIN {
        printf "%s: %d runs each, alternating; evaluations per second, median (all runs):\n", label, r
        printf "  local, 2 threads:               %6d  (%s)\n", l, ls
        printf "  master + 2 workers x 1 thread:  %6d  (%s)  = %.2f of local\n", f, fs, f / l
        printf "  farmed over local, run by run:  median %.2f  (%s)\n", ratio, ratios
        printf "  per genome: %.2f Redis commands, %.0f bytes on the wire; CPU: Redis %.1f us, master %.1f us (breeding included), workers %.1f us (evaluation included)\n", c / g, b / g, (rc1 - rc) * 1e6 / g, m * 1e6 / g, (w + w2) * 1e6 / g
    }'
}

echo "sprout: $("$bin" --version); $(redis-server --version | cut -d' ' -f1-3)"
# The default experiment, checkpointing only at the end (checkpoints cost the
# same with or without Redis, and would blur the master's own cost).
sed 's/^    checkpoint_every: [0-9]*,/    checkpoint_every: 0,/' configs/platformer.ron >"$work/platformer.ron"
grep -q 'checkpoint_every: 0' "$work/platformer.ron"
compare platformer "$work/platformer.ron" "$platformer_generations"
# XOR to the end of its generations (not until solved): microsecond
# evaluations, so this measures the overhead per genome.
echo '(name: "xor-throughput", stop_when_solved: false, checkpoint_every: 0, task: Xor)' >"$work/xor.ron"
compare xor "$work/xor.ron" "$xor_generations"
# Long evaluations (every genome plays long episodes, milliseconds each): where
# spreading work out pays.
cat >"$work/long.ron" <<'RON'
(
    name: "long-episodes",
    stop_when_solved: false,
    checkpoint_every: 0,
    neat: (population_size: 60),
    task: Platformer(levels: Builtin(["1-1"]), stall_frames: 100000, max_ticks: 20000, episodes: 2),
)
RON
compare long-episodes "$work/long.ron" 3

echo "redis-benchmark, XADD of a small entry (what a master's post and a worker's result are, in count):"
for options in "-c 1" "-c 1 -P 16" "-c 50 -P 16"; do
    # shellcheck disable=SC2086
    printf '  %-12s %s\n' "$options" "$(redis-benchmark -p "$port" -q -n 200000 $options XADD bench:stream MAXLEN '~' 1000 '*' f v 2>&1 | tr '\r' '\n' | grep 'requests per second' | tail -1 | sed 's/.*: //')"
done
