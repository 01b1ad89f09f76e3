#!/usr/bin/env bash
# What bf16 and int8 cost in accuracy (issue 12), in two parts:
#
# 1. Trained weights: cfg/fashion-mnist.cfg trained on Fashion-MNIST (scripts/fashion-mnist.sh),
#    once by jdarknet and once by the C darknet's own `classifier train`, each with its schedule
#    shortened (max_batches); each is calibrated on a few hundred TRAINING images, then
#    `classifier valid` measures top-1 on the 10,000 test images in fp32, bf16 and int8.
#    Trained weights are kept in OUT and reused by later runs (or give your own: JDARKNET_WEIGHTS,
#    DARKNET_WEIGHTS, e.g. the weights of `make fashion-mnist`).
# 2. The zoo with seeded random weights (their classes mean nothing, but their agreement does):
#    top-1 and top-5 agreement of bf16 and int8 with fp32 on the sample images data/*.jpg.
#
# Prints two tables on stdout; progress on stderr. docs/precision.md says what its run time is made of.
#
# Usage: scripts/precision-accuracy.sh [DATA_DIR [OUT]]   (defaults target/fashion-mnist, target/precision-accuracy)
# Environment: BACKEND (default cpu: bf16 and int8 need it), JDARKNET_BATCHES (default 600),
#   DARKNET_BATCHES (default 600: 150 left the C darknet's weights at 57%, too little trained to
#   judge by), CALIBRATION_IMAGES (default 300), ZOO (cfgs, default cfg/*.cfg but fashion-mnist;
#   "none" skips part 2), JDARKNET_WEIGHTS, DARKNET_WEIGHTS
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=${1:-target/fashion-mnist}
out=${2:-target/precision-accuracy}
backend=${BACKEND:-cpu}
jdarknet_batches=${JDARKNET_BATCHES:-600}
darknet_batches=${DARKNET_BATCHES:-600}
calibration_images=${CALIBRATION_IMAGES:-300}
precisions="fp32 bf16 int8"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "precision-accuracy: $*" >&2; }

[ -x ./jdarknet ] || { say "./jdarknet is missing; run make first"; exit 1; }

# A cfg with its schedule shortened to $1 batches, under $2.
shortened_cfg() {
    mkdir -p "$2"
    sed "s/^max_batches=.*/max_batches=$1/" cfg/fashion-mnist.cfg > "$2/fashion-mnist.cfg"
    echo "$2/fashion-mnist.cfg"
}

# The .data file with its checkpoints going to $1.
data_with_backup() {
    mkdir -p "$1"
    sed "s|^backup=.*|backup=$1|" "$data_dir/fashion-mnist.data" > "$1/fashion-mnist.data"
    echo "$1/fashion-mnist.data"
}

# Weights of cfg/fashion-mnist.cfg trained for $2 batches by $1 (jdarknet or darknet), kept in OUT.
trained() {
    local trainer=$1 batches=$2 kept="$out/$1-$2.weights" cfg data
    if [ ! -f "$kept" ]; then
        say "training with $trainer, $batches batches of 128..."
        cfg=$(shortened_cfg "$batches" "$work/$trainer")
        data=$(data_with_backup "$work/$trainer/backup")
        if [ "$trainer" = jdarknet ]; then
            set -- ./jdarknet classifier train "$data" "$cfg" --backend "$backend" --seed 1
        else
            set -- darknet classifier train "$data" "$cfg"
        fi
        "$@" > "$work/$trainer/train.log" 2> "$work/$trainer/train.err" \
            || { tail -5 "$work/$trainer/train.err" >&2; exit 1; }
        cp "$work/$trainer/backup/fashion-mnist.weights" "$kept"
    fi
    echo "$kept"
}

# Top-1 (a fraction) of `classifier valid` with weights $1 in precision $2 (int8 with calibration $3).
top1() {
    local calibration=()
    [ "$2" = int8 ] && calibration=(--calibration "$3")
    ./jdarknet classifier valid "$data_dir/fashion-mnist.data" cfg/fashion-mnist.cfg "$1" --backend "$backend" \
        --precision "$2" "${calibration[@]}" > "$work/valid.log" 2> "$work/valid.err" \
        || { tail -3 "$work/valid.err" >&2; exit 1; }
    grep -E '^[0-9]+ images: top-1' "$work/valid.log" | awk '{ print $4 }' | tr -d ,
}

# One row of part 1: weights $2 named $1.
accuracy_row() {
    local calibration="$work/$1.calibration" fp32 bf16 int8
    ./jdarknet calibrate cfg/fashion-mnist.cfg "$2" "$work/calibration.list" --preprocess center-crop \
        --backend "$backend" --out "$calibration" 2> "$work/calibrate.err" || { tail -3 "$work/calibrate.err" >&2; exit 1; }
    say "$1: top-1 in fp32, bf16 and int8 on the test images..."
    fp32=$(top1 "$2" fp32 "$calibration")
    bf16=$(top1 "$2" bf16 "$calibration")
    int8=$(top1 "$2" int8 "$calibration")
    awk -v name="$1" -v a="$fp32" -v b="$bf16" -v c="$int8" 'BEGIN {
        printf "%-28s %7.2f%% %7.2f%% %7.2f%% %10.2f %10.2f\n", name, 100 * a, 100 * b, 100 * c,
            100 * (b - a), 100 * (c - a) }'
}

trained_weights() {
    if [ ! -e "${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}/train-images-idx3-ubyte.gz" ] \
        && [ ! -f "$data_dir/fashion-mnist.data" ]; then
        say "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): part 1 skipped"
        return
    fi
    [ -f "$data_dir/fashion-mnist.data" ] || scripts/fashion-mnist.sh "$data_dir"
    # Every n-th training image: a few hundred, spread over the whole (class-sorted) list.
    local every=$(( $(wc -l < "$data_dir/train.list") / calibration_images ))
    awk -v n="$(( every > 0 ? every : 1 ))" 'NR % n == 1 || n == 1' "$data_dir/train.list" \
        | head -n "$calibration_images" > "$work/calibration.list"
    local test_list
    test_list=$(sed -n 's/^valid *= *//p' "$data_dir/fashion-mnist.data")
    echo "Fashion-MNIST top-1 on the $(wc -l < "$test_list") test images; int8 calibrated on" \
        "$(wc -l < "$work/calibration.list") training images"
    printf '%-28s %8s %8s %8s %10s %10s\n' "weights" fp32 bf16 int8 "bf16-fp32" "int8-fp32"
    accuracy_row "jdarknet, $jdarknet_batches batches" "${JDARKNET_WEIGHTS:-$(trained jdarknet "$jdarknet_batches")}"
    if command -v darknet >/dev/null 2>&1 || [ -n "${DARKNET_WEIGHTS:-}" ]; then
        accuracy_row "C darknet, $darknet_batches batches" "${DARKNET_WEIGHTS:-$(trained darknet "$darknet_batches")}"
    else
        say "the C darknet is not installed (apt-get install darknet): its row skipped"
    fi
}

# CSV of classify: image,rank,index,... -> "image index1 index2 ..." per image.
top_indexes() {
    awk -F, 'NR > 1 { row[$1] = row[$1] " " $3 } END { for (image in row) print image row[image] }' "$1" | sort
}

# Part 2's columns for precision $1: agreement of its top lists with fp32's.
agreement() {
    join "$work/fp32.top" "$work/$1.top" | awk '{
        top1 += ($2 == $7); n++
        for (i = 2; i <= 6; i++) { mine[$i] = 1 }
        for (i = 7; i <= 11; i++) { shared += ($i in mine) }
        delete mine
    } END { printf "%12s %7.1f%%", top1 "/" n, 100 * shared / (5 * n) }'
}

zoo_agreement() {
    local cfgs images
    if [ "${ZOO:-}" = none ]; then
        return
    fi
    cfgs=${ZOO:-$(ls cfg/*.cfg | grep -v fashion-mnist)}
    images=$(ls data/*.jpg 2>/dev/null || true)
    if [ -z "$images" ]; then
        say "no sample images in data/ (make data): part 2 skipped"
        return
    fi
    echo
    echo "The zoo with seeded random weights: agreement with fp32 on $(echo "$images" | wc -w) sample images"
    echo "(top-1: same first class; top-5: share of fp32's five classes among the precision's five)"
    printf '%-14s %12s %8s %12s %8s\n' model "bf16 top-1" top-5 "int8 top-1" top-5
    for cfg in $cfgs; do
        local model weights
        model=$(basename "$cfg" .cfg)
        weights="$work/$model.weights"
        say "$model: random weights, calibration, classify in $precisions..."
        java -cp target/jdarknet.jar org.jdarknet.weights.WriteRandomWeights "$cfg" "$weights" 2024 >&2
        # shellcheck disable=SC2086
        ./jdarknet calibrate "$cfg" "$weights" $images --backend "$backend" --out "$work/$model.calibration" \
            2> "$work/calibrate.err" || { tail -3 "$work/calibrate.err" >&2; exit 1; }
        for precision in $precisions; do
            local calibration=()
            [ "$precision" = int8 ] && calibration=(--calibration "$work/$model.calibration")
            # shellcheck disable=SC2086
            ./jdarknet classify "$cfg" "$weights" $images --format csv --backend "$backend" --precision "$precision" \
                "${calibration[@]}" > "$work/$precision.csv" 2> "$work/classify.err" \
                || { tail -3 "$work/classify.err" >&2; exit 1; }
            top_indexes "$work/$precision.csv" > "$work/$precision.top"
        done
        printf '%-14s %s %s\n' "$model" "$(agreement bf16)" "$(agreement int8)"
    done
}

trained_weights
zoo_agreement
