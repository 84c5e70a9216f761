#!/usr/bin/env bash
# Records README's clips (docs/clips/*.gif) from the embedded default
# experiment: its solving champion clearing 1-1, and the ghosts of its fifth
# generation. Deterministic: the same build records the same bytes.
#
#   scripts/record_clips.sh            # with `cargo run` (the window build)
#   SPROUT=path/to/sprout scripts/record_clips.sh
#
# Needs a display; on a server, xvfb-run with Mesa's software Vulkan:
#   xvfb-run -a -s "-screen 0 1280x720x24" env WGPU_BACKEND=vulkan scripts/record_clips.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sprout=${SPROUT:-"cargo run -q --manifest-path $root/Cargo.toml --"}
out=$root/docs/clips
mkdir -p "$out"
# Runs live in a scratch directory; the clips' HUD names them by the short
# relative paths used here.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The main job as README runs it (seed 0): solved in generation 29.
$sprout evolve --out solved >/dev/null
$sprout replay solved/champion.ron --record "$out/champion-1-1.gif" \
    --episode --stride 4 --window 640x360 >/dev/null

# Five generations in: the whole population, ghosts coloured by species.
$sprout evolve --generations 5 --out early >/dev/null
$sprout replay early --ghosts --record "$out/ghosts-generation-5.gif" \
    --frames 150 --stride 4 --window 640x360 >/dev/null
ls -l "$out"
