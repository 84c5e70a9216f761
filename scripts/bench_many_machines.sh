#!/usr/bin/env bash
# Distributed evaluation against local evaluation, side by side on this machine:
# evaluations per second of `evolve` with 2 threads, and of a master with two
# `sprout worker --threads 1` processes on a local redis-server; then what each
# genome costs the master, the workers and Redis (CPU time, Redis commands and
# network bytes per genome), and redis-benchmark's XADD/XACK rates.
#
# Usage: scripts/bench_many_machines.sh [PLATFORMER_GENERATIONS] [XOR_GENERATIONS]
# Needs a release build (cargo build --release --no-default-features) and
# redis-server, redis-cli and redis-benchmark (Debian's redis-server package).
set -euo pipefail
cd "$(dirname "$0")/.."
platformer_generations="${1:-8}"
xor_generations="${2:-200}"
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

compare() {
    local label="$1" config="$2" generations="$3"
    evolve "$config" "$generations" "$work/$label-local" --threads 2
    "$bin" worker --redis "$url" --threads 1 --name w1 >/dev/null 2>&1 &
    local w1=$!
    "$bin" worker --redis "$url" --threads 1 --name w2 >/dev/null 2>&1 &
    local w2=$!
    sleep 0.5
    read -r commands0 bytes0 rcpu0 <<<"$(redis_totals)"
    "$bin" evolve --config "$config" --generations "$generations" --out "$work/$label-farm" \
        --quiet --redis "$url" --threads 1 >/dev/null &
    local master=$!
    local master_cpu=0
    while kill -0 "$master" 2>/dev/null; do
        master_cpu="$(cpu_of "$master" 2>/dev/null || echo "$master_cpu")"
        sleep 0.05
    done
    wait "$master"
    read -r commands1 bytes1 rcpu1 <<<"$(redis_totals)"
    local w1_cpu w2_cpu
    w1_cpu="$(cpu_of "$w1")"
    w2_cpu="$(cpu_of "$w2")"
    kill -TERM "$w1" "$w2"
    wait "$w1" "$w2" 2>/dev/null || true
    local genomes local_rate farm_rate
    genomes="$(awk -F, 'END { print $7 }' "$work/$label-farm/stats.csv")"
    local_rate="$(rate "$work/$label-local")"
    farm_rate="$(rate "$work/$label-farm")"
    if ! cmp -s "$work/$label-local/champion.ron" "$work/$label-farm/champion.ron"; then
        echo "$label: the farmed champion differs from the local one" >&2
        exit 1
    fi
    awk -v label="$label" -v g="$genomes" -v l="$local_rate" -v f="$farm_rate" \
        -v c="$((commands1 - commands0))" -v b="$((bytes1 - bytes0))" \
        -v rc="$rcpu0" -v rc1="$rcpu1" -v m="$master_cpu" -v w="$w1_cpu" -v w2="$w2_cpu" 'BEGIN {
        printf "%s: %d genomes; local (2 threads) %d evals/s, master + 2 workers x 1 thread %d evals/s: %.2f of local\n", label, g, l, f, f / l
        printf "  per genome: %.1f Redis commands, %.0f bytes on the wire, Redis CPU %.1f us, master CPU %.1f us, workers CPU %.1f us (evaluation included)\n", c / g, b / g, (rc1 - rc) * 1e6 / g, m * 1e6 / g, (w + w2) * 1e6 / g
    }'
}

echo "sprout: $("$bin" --version); $(redis-server --version | cut -d' ' -f1-3)"
compare platformer configs/platformer.ron "$platformer_generations"
# XOR to the end of its generations (not until solved): microsecond
# evaluations, so this measures the overhead per genome.
echo '(name: "xor-throughput", stop_when_solved: false, task: Xor)' >"$work/xor.ron"
compare xor "$work/xor.ron" "$xor_generations"
echo "redis-benchmark (1 client, pipeline 1 and 16):"
redis-benchmark -p "$port" -q -n 100000 -c 1 -t xadd 2>/dev/null | tr -d '\r' | grep -v '^$' | sed 's/^/  /'
redis-benchmark -p "$port" -q -n 200000 -c 1 -P 16 -t xadd 2>/dev/null | tr -d '\r' | grep -v '^$' | sed 's/^/  pipelined: /'
