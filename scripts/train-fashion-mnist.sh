#!/usr/bin/env bash
# The training acceptance run: cfg/fashion-mnist.cfg trained from scratch on Fashion-MNIST's
# 60,000 training images (class folders from scripts/fashion-mnist.sh), validated on the 10,000
# test images every 1000 batches, then measured once more with `classifier valid`. Prints the
# wall time of the training and the test accuracy; draws the loss curve to OUT/loss.png.
#
# Usage: scripts/train-fashion-mnist.sh [DATA_DIR [OUT]]   (defaults target/fashion-mnist, target/fashion-mnist-run)
# Environment: BACKEND (default auto), SEED (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${1:-target/fashion-mnist}
out=${2:-target/fashion-mnist-run}
backend=${BACKEND:-auto}
seed=${SEED:-1}

[ -f "$data_dir/fashion-mnist.data" ] || scripts/fashion-mnist.sh "$data_dir"
mkdir -p "$out"
start=$(date +%s)
./jdarknet train cfg/fashion-mnist.cfg --data "$data_dir/train" --valid "$data_dir/test" \
    --backup "$out/backup" --backend "$backend" --seed "$seed" --valid-every 1000 --top 2 \
    --chart "$out/loss.png" > "$out/progress.log" 2> "$out/train.err"
end=$(date +%s)
grep -h 'validation at batch' "$out/train.err" >&2 || true
./jdarknet classifier valid "$data_dir/fashion-mnist.data" cfg/fashion-mnist.cfg "$out/backup/fashion-mnist.weights" \
    --backend "$backend" > "$out/valid.log" 2> "$out/valid.err"
echo "training: $((end - start)) s wall ($(tail -1 "$out/progress.log"))"
grep -E '^[0-9]+ images: top-1' "$out/valid.log"
