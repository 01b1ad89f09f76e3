#!/bin/bash
# bench-peers: times the same cfgs with the same seeded random weights in jdarknet, OpenCV DNN, the
# C darknet and ONNX Runtime (fp32, on the model `jdarknet export` writes), one after the other in
# this run, and prints the medians side by side with their ratios. Then the lower precisions:
# jdarknet's `benchmark --precision bf16` and `int8` beside ONNX Runtime on the int8 (QDQ) model
# `jdarknet export --precision int8` writes, calibrated on the same sample images with the same
# weights: int8 inputs and per-channel int8 weights as jdarknet quantises them, and each quantised
# convolution's output before its activation quantised too, so that ORT fuses every one into an
# integer QLinearConv (and leaky into QLinearLeakyRelu) instead of running float convolutions on
# dequantised values (docs/precision.md). ORT runs with its default kernels, which on x86 CPUs
# without VNNI may saturate 16-bit sums (its exact ones, session.x64quantprecision, are slower).
# Then many images: `jdarknet classify` of many paths on stdin (decode, letterbox, forward each)
# in images/s, beside OpenCV's own per-image pipeline on the same paths (imread, letterbox,
# blobFromImage, forward). Then the whole process, `classify` of one image (wall time and peak
# memory), jdarknet against darknet. Peers that are not installed, and precisions this build
# lacks, show n/a.
#
# Usage: scripts/bench-peers.sh [CFG...]          (default: every cfg/*.cfg; `make bench` builds first)
# Environment:
#   RUNS, WARMUP     timed and untimed forward passes per model and implementation (default 5, 2)
#   THREADS          threads for jdarknet, OpenCV and ONNX Runtime (default: one per core; darknet has one)
#   BACKEND          jdarknet's --backend (default auto)
#   CLASSIFY_MODELS  models for the whole-process comparison, if benchmarked (default "tiny darknet53")
#   CLASSIFY_RUNS    runs of each classify process (default 5)
#   MANY_MODELS      models for the many-images comparison, if benchmarked (default "tiny darknet19")
#   MANY_IMAGES      paths classified there: data/*.jpg over and over (default 200)
#   WORK             scratch directory: weights, harness, peers' logs (default target/bench-peers)
#   OPENCV_PYTHON, DARKNET_LIB  where the peers are (default /usr/bin/python3, /usr/lib/darknet)
set -euo pipefail

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-2}
THREADS=${THREADS:-$(nproc)}
BACKEND=${BACKEND:-auto}
CLASSIFY_MODELS=${CLASSIFY_MODELS:-tiny darknet53}
CLASSIFY_RUNS=${CLASSIFY_RUNS:-5}
MANY_MODELS=${MANY_MODELS:-tiny darknet19}
MANY_IMAGES=${MANY_IMAGES:-200}
IMAGE=data/dog.jpg
OPENCV_PYTHON=${OPENCV_PYTHON:-/usr/bin/python3} # Debian's python3-opencv is there, whatever python3 is on PATH
DARKNET_LIB=${DARKNET_LIB:-/usr/lib/darknet}

# Paths given on the command line are relative to where we were called from.
cfgs=()
for cfg in "$@"; do
    cfgs+=("$(readlink -f "$cfg")")
done
cd "$(dirname "$0")/.."
if [ ${#cfgs[@]} -eq 0 ]; then
    mapfile -t cfgs < <(ls cfg/*.cfg | sort -V)
fi
[ -x ./jdarknet ] || { echo "bench-peers: ./jdarknet is not built; run make (or make bench)" >&2; exit 1; }
work=${WORK:-target/bench-peers}
mkdir -p "$work/weights" "$work/onnx"
log="$work/peers.log" # what the peers print while loading (layer tables, OpenCV warnings)
: >"$log"

say() { echo "bench-peers: $*" >&2; }

model_of() { basename "$1" .cfg; }

# "2.31x": how many times longer the peer took than jdarknet; n/a when either is missing.
ratio() {
    case "$1$2" in
        *n/a*) echo n/a ;;
        *) awk -v peer="$1" -v ours="$2" 'BEGIN { printf "%.2fx\n", peer / ours }' ;;
    esac
}

# --- The peers, when installed -----------------------------------------------------------------

have_opencv=false
opencv_about="OpenCV DNN: not installed"
if [ -x "$OPENCV_PYTHON" ] && "$OPENCV_PYTHON" -c 'import cv2' 2>/dev/null; then
    have_opencv=true
    opencv_about="OpenCV DNN $("$OPENCV_PYTHON" -c 'import cv2; print(cv2.__version__)'): $THREADS threads"
else
    say "OpenCV DNN not found ($OPENCV_PYTHON with cv2; apt-get install python3-opencv): skipped"
fi

have_darknet=false
darknet_about="darknet: not installed"
harness="$work/darknet-bench"
if [ -f "$DARKNET_LIB/libdarknet.so" ] && [ -f "$DARKNET_LIB/include/darknet.h" ] && command -v gcc >/dev/null; then
    gcc -O2 -I"$DARKNET_LIB/include" scripts/bench/darknet-bench.c -L"$DARKNET_LIB" -ldarknet \
        -Wl,-rpath,"$DARKNET_LIB" -o "$harness"
    have_darknet=true
    darknet_about="darknet (pjreddie's libdarknet): 1 thread"
else
    say "the C darknet (libdarknet.so, darknet.h) or gcc not found (apt-get install darknet gcc): skipped"
fi

# Median ms of OpenCV DNN on CFG WEIGHTS, or n/a when it cannot load the network.
opencv_ms() {
    "$have_opencv" || { echo n/a; return; }
    "$OPENCV_PYTHON" scripts/bench/opencv-bench.py "$1" "$2" "$RUNS" "$WARMUP" "$THREADS" 2>>"$log" \
        | cut -d' ' -f1 | grep . || echo n/a
}

# Median ms of the C darknet on CFG WEIGHTS; marked * when darknet replaced an activation it does
# not know (pjreddie's darknet runs mish as relu), so the work differs.
darknet_ms() {
    "$have_darknet" || { echo n/a; return; }
    local errors="$work/darknet-bench.err" median
    median=$("$harness" "$1" "$2" "$RUNS" "$WARMUP" 2>"$errors" | cut -d' ' -f1) || median=n/a
    cat "$errors" >>"$log"
    if grep -q "Couldn't find activation" "$errors"; then
        median="$median*"
    fi
    echo "${median:-n/a}"
}

have_ort=false
ort_about="ONNX Runtime: not available"
ort_int8_about="ONNX Runtime: not available"
ort_classpath="$work/test-classpath.txt"
# ORT is a test-scope dependency: its harness (OrtBenchmark) runs from the test classpath.
if mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ort_classpath" >>"$log" 2>&1; then
    have_ort=true
    ort_version=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml)
    ort_about="ONNX Runtime $ort_version (CPU, fp32, the model jdarknet export writes): $THREADS threads"
    ort_int8_about="ONNX Runtime $ort_version: the QDQ model of jdarknet export --precision int8 --calibrate (the sample images), run as QLinearConv"
else
    say "ONNX Runtime: the test classes do not build (mvn test-compile; see $log): skipped"
fi

SAMPLE_IMAGES=(data/*.jpg) # what `benchmark --precision int8` calibrates on, so the QDQ model is calibrated on them too
calibration_list="$work/calibration.list"
printf '%s\n' "${SAMPLE_IMAGES[@]}" >"$calibration_list"

# Median ms of ONNX Runtime on the model `jdarknet export [EXPORT_OPTION...] CFG WEIGHTS` writes,
# or n/a (no ORT, or an export this build cannot write). The harness's whole line (median, min,
# max, p75/p25) stays in $ort_line for ort_spread.
ort_line="$work/ort-line.txt"
ort_ms() {
    : >"$ort_line"
    "$have_ort" || { echo n/a; return; }
    local cfg=$1 weights=$2 model
    shift 2
    model="$work/onnx/$(model_of "$cfg").onnx"
    ./jdarknet export "$@" "$cfg" "$weights" "$model" 2>>"$log" || { echo n/a; return; }
    java -cp "target/test-classes:target/classes:$(cat "$ort_classpath")" org.jdarknet.onnx.OrtBenchmark \
        "$model" "$RUNS" "$WARMUP" "$THREADS" 2>>"$log" >"$ort_line"
    cut -d' ' -f1 "$ort_line" | grep . || echo n/a
    rm -f "$model"
}

# The 75th over the 25th percentile of the last ort_ms's runs, or n/a.
ort_spread() {
    awk '{ print $4 } END { if (NR == 0) print "n/a" }' "$ort_line"
}

# --- Forward passes: each model through jdarknet, then straight away through ONNX Runtime in the
# same precision (this VM's speed moves by a fifth over minutes: a runtime timed minutes after the
# other would measure the machine as much as the runtime), then through OpenCV and darknet. ----

for precision in fp32 bf16 int8; do
    : >"$work/jdarknet-$precision.csv"
done

# Appends the row of `jdarknet benchmark --csv --precision PRECISION [OPTION...] CFG` to that
# precision's CSV (with the header, the first time); says so and leaves no row when it fails.
jdarknet_csv() {
    local precision=$1 cfg=$2 csv="$work/jdarknet-$1.csv" rows
    shift 2
    if ! rows=$(./jdarknet benchmark --csv --precision "$precision" --runs "$RUNS" --warmup "$WARMUP" \
        --threads "$THREADS" --backend "$BACKEND" "$@" "$cfg" 2>>"$log"); then
        say "jdarknet benchmark --precision $precision $(model_of "$cfg") failed (see $log): n/a"
        return
    fi
    if [ -s "$csv" ]; then
        tail -n +2 <<<"$rows" >>"$csv"
    else
        echo "$rows" >>"$csv"
    fi
}

# Column NAME of model MODEL's row in jdarknet's CSV of PRECISION (default fp32), numbers with
# PLACES decimals if given; n/a when that run has no such row.
jdarknet_value() {
    awk -F, -v model="$1" -v name="$2" -v places="${3:-}" '
        NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
        $1 == model { found = 1; if (places == "") print $column[name]; else printf "%.*f\n", places, $column[name] }
        END { if (!found) print "n/a" }' "$work/jdarknet-${4:-fp32}.csv"
}

table="$work/forward.txt"
forward_row() { printf '%-14s %8s %12s %12s %12s %12s %16s %17s %13s\n' "$@"; }

precision_table="$work/precision.txt"
precision_row() { printf '%-14s %12s %12s %12s %13s %11s %11s %18s\n' "$@"; }
precision_row model "fp32 ms" "bf16 ms" "int8 ms" "ORT int8 ms" fp32/bf16 fp32/int8 "ORT int8/int8" \
    >"$precision_table"

forward_row model BFLOPs "jdarknet ms" "OpenCV ms" "darknet ms" "ORT ms" OpenCV/jdarknet darknet/jdarknet \
    ORT/jdarknet >"$table"

steadiness_table="$work/steadiness.txt"
steadiness_row() { printf '%-14s %15s %10s %15s %10s\n' "$@"; }
steadiness_row model "jdarknet fp32" "ORT fp32" "jdarknet int8" "ORT int8" >"$steadiness_table"
for i in "${!cfgs[@]}"; do
    cfg=${cfgs[$i]}
    model=$(model_of "$cfg")
    weights="$work/weights/$model.weights"
    say "[$((i + 1))/${#cfgs[@]}] $model: jdarknet and ONNX Runtime in turn (fp32, bf16, int8), OpenCV DNN, darknet"
    jdarknet_csv fp32 "$cfg" --save-weights "$work/weights"
    ort=$(ort_ms "$cfg" "$weights")
    ort_fp32_spread=$(ort_spread)
    jdarknet_csv bf16 "$cfg"
    jdarknet_csv int8 "$cfg"
    ort_int8=$(ort_ms "$cfg" "$weights" --precision int8 --calibrate "$calibration_list")
    ours=$(jdarknet_value "$model" median_ms 2)
    opencv=$(opencv_ms "$cfg" "$weights")
    darknet=$(darknet_ms "$cfg" "$weights")
    forward_row "$model" "$(jdarknet_value "$model" bflops 3)" "$ours" "$opencv" "$darknet" "$ort" \
        "$(ratio "$opencv" "$ours")" "$(ratio "${darknet%\*}" "$ours")" "$(ratio "$ort" "$ours")" >>"$table"
    bf16=$(jdarknet_value "$model" median_ms 2 bf16)
    int8=$(jdarknet_value "$model" median_ms 2 int8)
    precision_row "$model" "$ours" "$bf16" "$int8" "$ort_int8" "$(ratio "$ours" "$bf16")" "$(ratio "$ours" "$int8")" \
        "$(ratio "$ort_int8" "$int8")" >>"$precision_table"
    steadiness_row "$model" "$(jdarknet_value "$model" p75_p25 2)" "$ort_fp32_spread" \
        "$(jdarknet_value "$model" p75_p25 2 int8)" "$(ort_spread)" >>"$steadiness_table"
done

# --- Many images: images/s of classify over many paths -----------------------------------------

many_row() { printf '%-14s %8s %17s %17s %16s\n' "$@"; }

many_table="$work/many.txt"
many_paths="$work/many.list"
: >"$many_table"
for ((i = 0; i < MANY_IMAGES; i++)); do
    echo "${SAMPLE_IMAGES[i % ${#SAMPLE_IMAGES[@]}]}"
done >"$many_paths"

# jdarknet's images/s over the paths on stdin, from its closing line (counted from the network being ready).
jdarknet_images_per_s() {
    ./jdarknet classify --backend "$BACKEND" --threads "$THREADS" "$1" "$2" <"$many_paths" 2>&1 >/dev/null |
        sed -n 's/^classified .*: \([0-9.]*\) images\/s.*/\1/p' | grep . || echo n/a
}

# OpenCV's images/s over the same paths, or n/a.
opencv_images_per_s() {
    "$have_opencv" || { echo n/a; return; }
    local model=$1 cfg=$2 weights=$3
    "$OPENCV_PYTHON" scripts/bench/opencv-pipeline.py "$cfg" "$weights" "$THREADS" \
        "$(jdarknet_value "$model" width)" "$(jdarknet_value "$model" height)" $(cat "$many_paths") 2>>"$log" |
        cut -d' ' -f1 | grep . || echo n/a
}

for cfg in "${cfgs[@]}"; do
    model=$(model_of "$cfg")
    case " $MANY_MODELS " in *" $model "*) ;; *) continue ;; esac
    weights="$work/weights/$model.weights"
    say "classify $MANY_IMAGES paths with $model: jdarknet, then OpenCV's per-image pipeline"
    ours=$(jdarknet_images_per_s "$cfg" "$weights")
    theirs=$(opencv_images_per_s "$model" "$cfg" "$weights")
    many_row "$model" "$MANY_IMAGES" "$ours" "$theirs" "$(ratio "$ours" "$theirs")" >>"$many_table"
done

# --- Whole process: classify one image --------------------------------------------------------

# Median wall seconds of the command "$@" over CLASSIFY_RUNS runs after an untimed one.
wall_median_s() {
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --style none --warmup 1 --runs "$CLASSIFY_RUNS" \
            --export-csv "$work/hyperfine.csv" -- "$(printf '%q ' "$@")" >/dev/null 2>>"$log" || { echo n/a; return; }
        awk -F, 'NR == 2 { printf "%.3f\n", $4 }' "$work/hyperfine.csv"
    else
        "$@" >/dev/null 2>>"$log" || { echo n/a; return; }
        for _ in $(seq "$CLASSIFY_RUNS"); do
            local start end
            start=$(date +%s%N)
            "$@" >/dev/null 2>&1
            end=$(date +%s%N)
            echo $(((end - start) / 1000))
        done | sort -n | awk '{ us[NR] = $1 } END {
            printf "%.3f\n", (NR % 2 ? us[(NR + 1) / 2] : (us[NR / 2] + us[NR / 2 + 1]) / 2) / 1e6 }'
    fi
}

# Peak resident memory in MB of one run of "$@" (GNU time's %M), or n/a.
peak_rss_mb() {
    if /usr/bin/time --version 2>&1 | grep -q GNU; then
        /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>>"$log" || { echo n/a; return; }
        awk '{ printf "%.0f\n", $1 / 1024 }' "$work/rss"
    else
        echo n/a
    fi
}

classify_row() { printf '%-14s %12s %12s %17s %16s %15s\n' "$@"; }

classify_table="$work/classify.txt"
: >"$classify_table"
if ! command -v darknet >/dev/null; then
    say "the darknet command not found (apt-get install darknet): whole-process comparison skipped"
elif [ ! -f "$IMAGE" ]; then
    say "$IMAGE not found (make data): whole-process comparison skipped"
else
    for cfg in "${cfgs[@]}"; do
        model=$(model_of "$cfg")
        case " $CLASSIFY_MODELS " in *" $model "*) ;; *) continue ;; esac
        weights="$work/weights/$model.weights"
        ours=(./jdarknet classify --backend "$BACKEND" --threads "$THREADS" "$cfg" "$weights" "$IMAGE")
        theirs=(darknet classify "$cfg" "$weights" "$IMAGE")
        say "classify $IMAGE with $model: jdarknet and darknet, $CLASSIFY_RUNS runs each"
        ours_s=$(wall_median_s "${ours[@]}")
        theirs_s=$(wall_median_s "${theirs[@]}")
        classify_row "$model" "$ours_s" "$theirs_s" "$(ratio "$theirs_s" "$ours_s")" \
            "$(peak_rss_mb "${ours[@]}")" "$(peak_rss_mb "${theirs[@]}")" >>"$classify_table"
    done
fi

# --- Report ------------------------------------------------------------------------------------

echo "Forward pass, batch 1, median of $RUNS runs after $WARMUP warm-up, same cfgs and random weights"
echo "jdarknet: backend $(jdarknet_value "$(model_of "${cfgs[0]}")" backend), $THREADS threads; $opencv_about; $darknet_about;"
echo "$ort_about."
echo "Ratios are the peer's median over jdarknet's: above 1, jdarknet is faster."
echo
cat "$table"
if grep -q '\*' "$table"; then
    echo "* darknet does not know mish and ran relu in its place: less work than the cfg asks for."
fi
echo
echo "Lower precisions, same runs and weights: jdarknet benchmark --precision bf16 and int8 (int8 calibrated on"
echo "${SAMPLE_IMAGES[*]}); $ort_int8_about, $THREADS threads."
echo "Ratios: fp32 over bf16 or int8 (jdarknet's speed-up), ORT int8 over jdarknet int8 (above 1, jdarknet is faster)."
echo
cat "$precision_table"
echo
echo "Steadiness: the 75th over the 25th percentile of the same timed runs (1.00: the middle half took"
echo "the same time), jdarknet's from benchmark, ORT's computed the same way by its harness."
echo
cat "$steadiness_table"
if [ -s "$many_table" ]; then
    echo
    echo "Many images: images/s of jdarknet classify ($THREADS threads, paths on stdin, data/*.jpg over and over),"
    echo "from the network being ready to the last result, and of OpenCV's per-image pipeline over the same paths"
    echo "(imread, letterbox, blobFromImage, forward: scripts/bench/opencv-pipeline.py). Ratio: jdarknet over OpenCV."
    echo
    many_row model images "jdarknet img/s" "OpenCV img/s" jdarknet/OpenCV
    cat "$many_table"
fi
if [ -s "$classify_table" ]; then
    echo
    echo "Whole process: classify $IMAGE, median wall time of $CLASSIFY_RUNS runs after 1 warm-up" \
        "($(command -v hyperfine >/dev/null && echo hyperfine || echo date)), peak RSS of one run (GNU time)"
    echo
    classify_row model "jdarknet s" "darknet s" darknet/jdarknet "jdarknet RSS MB" "darknet RSS MB"
    cat "$classify_table"
fi
echo
echo "Peers' own output: $log"
