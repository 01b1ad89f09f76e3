#!/usr/bin/env bash
# Training throughput of jdarknet and the C darknet on the same cfg and data, side by side in one
# run: both train cfg/fashion-mnist.cfg (or CFG) on Fashion-MNIST (scripts/fashion-mnist.sh)
# through darknet's own `classifier train DATA CFG`. The rate is steady-state and end to end
# (data loading included): images between the first and the last progress line over the wall
# time between them, each line timestamped as it arrives.
#
# Usage: scripts/train-peers.sh [DATA_DIR]   (default target/fashion-mnist; made if missing)
# Environment: CFG, BACKEND (default auto), DARKNET_BATCHES (default 25), JDARKNET_BATCHES (default 250)
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${1:-target/fashion-mnist}
cfg=${CFG:-cfg/fashion-mnist.cfg}
backend=${BACKEND:-auto}
darknet_batches=${DARKNET_BATCHES:-25}
jdarknet_batches=${JDARKNET_BATCHES:-250}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$data_dir/fashion-mnist.data" ] || scripts/fashion-mnist.sh "$data_dir"
# Checkpoints of these short runs go to the scratch directory, not the dataset's backup/.
sed "s|^backup=.*|backup=$work/backup|" "$data_dir/fashion-mnist.data" > "$work/fashion-mnist.data"
mkdir -p "$work/backup"

# Prefixes every line with the time it arrived, in seconds.
timestamped() {
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done
}

# images/s between the first and the last progress line of a timestamped log.
rate() {
    grep -E '^[0-9.]+ [0-9]+, [0-9.]+: ' "$1" | awk '
        { t = $1; images = $(NF - 1) }
        NR == 1 { t0 = t; i0 = images }
        END { if (NR < 2 || t == t0) print "n/a"; else printf "%.0f\n", (images - i0) / (t - t0) }'
}

echo "train-peers: $cfg on $data_dir" >&2
if command -v darknet >/dev/null 2>&1; then
    sed "s/^max_batches=.*/max_batches=$darknet_batches/" "$cfg" > "$work/darknet.cfg"
    echo "train-peers: C darknet, $darknet_batches batches..." >&2
    # stdbuf: darknet block-buffers stdout into a pipe, which would bunch the timestamps.
    stdbuf -oL darknet classifier train "$work/fashion-mnist.data" "$work/darknet.cfg" 2>"$work/darknet.err" | timestamped > "$work/darknet.log"
    darknet_rate=$(rate "$work/darknet.log")
else
    echo "train-peers: the C darknet is not installed (apt-get install darknet); skipped" >&2
    darknet_rate=n/a
fi

echo "train-peers: jdarknet ($backend), $jdarknet_batches batches..." >&2
./jdarknet classifier train "$work/fashion-mnist.data" "$cfg" --backend "$backend" \
    --max-batches "$jdarknet_batches" 2>"$work/jdarknet.err" | timestamped > "$work/jdarknet.log"
jdarknet_rate=$(rate "$work/jdarknet.log")
backend_line=$(grep -m1 -o 'backend .*' "$work/jdarknet.err" || true)

printf '%-10s %12s\n' "trainer" "images/s"
printf '%-10s %12s\n' "darknet" "$darknet_rate"
printf '%-10s %12s   %s\n' "jdarknet" "$jdarknet_rate" "$backend_line"
if [ "$darknet_rate" != n/a ] && [ "$jdarknet_rate" != n/a ]; then
    awk -v j="$jdarknet_rate" -v d="$darknet_rate" 'BEGIN { printf "jdarknet/darknet: %.1fx\n", j / d }'
fi
