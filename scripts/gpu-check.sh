#!/usr/bin/env bash
# The CUDA backend's validation and measurements, in one command for a machine with a GPU and no
# Java (the GPU machine lent to some sessions: `run` with carry [".gpu"]), in at most 8 minutes.
#
#   scripts/gpu-check.sh --prepare   here: builds .gpu/ (a jlinked JRE, the jars without the CPU
#                                    natives, the checks' classes, cuda-env.sh), under 64 MiB
#   scripts/gpu-check.sh --dry-run   here: the same steps from .gpu/, on the reference backend at
#                                    small sizes (no GPU, no PyTorch needed): checks the plumbing
#   scripts/gpu-check.sh             on the GPU machine: everything below, results under $OUT
#
# Steps on the GPU: the device line and a probe (detection, the backend's description, NVRTC
# compiling the kernels' sources against the shipped PTX); the conformance kit's suites for the cuda
# backend, op by op (JUnit's console launcher; the zoo suite is left to GpuConformance, which is
# quicker); GpuConformance on the whole zoo (top-5,
# probabilities 1e-4, every layer 1e-4, one training step); `benchmark --backend cuda` for
# darknet53, resnet101, resnet152, densenet121 at 224 and 256, batch 1 and 64; training images/s
# for darknet19 and darknet53 at 256, batch 64; PyTorch eager fp32 on the same cfgs, TF32 off then on.
# Each step has its own time limit, so one that hangs cannot take the others' results with it.
set -uo pipefail
cd "$(dirname "$0")/.."

GPU=.gpu
MODELS="darknet53 resnet101 resnet152 densenet121"
TRAIN_MODELS="darknet19 darknet53"
CARRY_LIMIT=$((64 * 1024 * 1024))
JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.11.4
KIT_SUITES="Operations Convolution TrainingOperations TrainingStep TrainingMemory"
# Seconds for all steps together: the device run must end within 8 minutes, start-up included.
BUDGET=${GPU_CHECK_BUDGET:-440}

die() { echo "gpu-check: $*" >&2; exit 1; }

prepare() {
    local jdk=${JRE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
    [ -x "$jdk/bin/jlink" ] || die "no jlink under $jdk (set JRE_JDK to a JDK 17 or later)"
    local env_script=${CUDA_ENV:-../shared/gpu/cuda-env.sh}
    [ -f "$env_script" ] || die "no $env_script (set CUDA_ENV to the script that finds the CUDA libraries)"
    mvn -B -q -DskipTests package || die "mvn package failed"
    mvn -B -q test-compile || die "mvn test-compile failed"
    rm -rf "$GPU" && mkdir -p "$GPU/lib"
    cp target/jdarknet.jar "$GPU/"
    # The jar's manifest names its dependencies under lib/; the CPU backend's natives stay behind.
    mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeArtifactIds=dnnl,opencl \
        -DoutputDirectory="$GPU/lib" || die "copying the dependencies failed"
    # All the test classes (a few MB): the kit's suites need their helpers and resources.
    (cd target/test-classes && jar cf "../../$GPU/cuda-checks.jar" .) || die "packing the checks failed"
    mvn -B -q dependency:copy -Dartifact="$JUNIT_CONSOLE" -DoutputDirectory="$GPU" -Dmdep.stripVersion=true \
        || die "fetching JUnit's console launcher failed"
    cp "$env_script" "$GPU/cuda-env.sh"
    local image
    image=$(mktemp -d)
    # java.management: benchmark's warm-up asks the JIT whether it is quiet (bench/JitActivity).
    "$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
        --strip-debug --no-header-files --no-man-pages --output "$image/jre" || die "jlink failed"
    XZ_OPT=-9 tar -C "$image" -cJf "$GPU/jre.tar.xz" jre
    rm -rf "$image"
    local size
    size=$(du -sb "$GPU" | cut -f1)
    [ "$size" -lt "$CARRY_LIMIT" ] || die "$GPU is $size bytes, over the 64 MiB a device run carries"
    echo "gpu-check: $GPU prepared, $((size / 1024 / 1024)) MiB: $(ls "$GPU" "$GPU/lib" | tr '\n' ' ')"
}

# A copy of each cfg with another input size, in $1, for the benchmark at that size.
sized_cfgs() {
    local dir=$1 size=$2
    shift 2
    mkdir -p "$dir"
    for model in "$@"; do
        sed -e "0,/^width=/s/^width=.*/width=$size/" -e "0,/^height=/s/^height=.*/height=$size/" \
            "cfg/$model.cfg" > "$dir/$model.cfg"
    done
    for model in "$@"; do printf '%s ' "$dir/$model.cfg"; done
}

# Runs "$@" for at most $1 seconds (less when the budget is nearly spent), its output appended to
# $2, and notes a time-out, a failure or a skipped step there.
step() {
    local limit=$1 file=$2
    shift 2
    echo "\$ $*" >> "$file"
    local left=$((BUDGET - SECONDS))
    if [ "$left" -lt 15 ]; then
        echo "gpu-check: SKIPPED, the time budget of ${BUDGET}s is spent" >> "$file"
        return
    fi
    [ "$limit" -gt "$left" ] && limit=$left
    timeout "$limit" "$@" >> "$file" 2>> "$OUT/stderr.txt"
    local status=$?
    [ $status -eq 124 ] && echo "gpu-check: TIMED OUT after ${limit}s" >> "$file"
    [ $status -ne 0 ] && [ $status -ne 124 ] && echo "gpu-check: exit status $status" >> "$file"
    echo "gpu-check: $(date -u +%T) $file: step done (status $status)" >&2
}

check() {
    local dry=$1
    [ -f "$GPU/jre.tar.xz" ] || die "$GPU is not prepared: run scripts/gpu-check.sh --prepare first"
    OUT=${OUT:-target/gpu-check}
    mkdir -p "$OUT"
    local work
    work=$(mktemp -d)
    tar -C "$work" -xJf "$GPU/jre.tar.xz"
    export PATH="$work/jre/bin:$PATH"
    # shellcheck disable=SC1091
    . "$GPU/cuda-env.sh" 2>> "$OUT/stderr.txt"
    local java=(java --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir="$work/javacpp")
    local checks=(-cp "$GPU/jdarknet.jar:$GPU/cuda-checks.jar" org.jdarknet.backend.cuda)
    local jdarknet=("${java[@]}" -jar "$GPU/jdarknet.jar")
    local backend=cuda sizes="224 256" batches="1 64" train_size=256 train_batch=64 runs=(--runs 10 --warmup 3)
    # jdarknet's warm-up also lasts at least a time (the JVM compiles during its first seconds); torch-bench.py has no such option.
    local warm=(--warmup-time 1)
    local conformance=() models=$MODELS train_models=$TRAIN_MODELS
    if [ "$dry" = yes ]; then
        backend=reference sizes="32" batches="1 2" train_size=32 train_batch=2 runs=(--runs 1 --warmup 0) warm=(--warmup-time 0)
        conformance=(--models tiny --train tiny --train-size 32 --train-batch 2)
        models="darknet53 resnet101" train_models="darknet19"
    fi
    local device="$OUT/device.txt"
    : > "$device"
    { date -u; uname -a; } >> "$device"
    if command -v nvidia-smi > /dev/null; then
        step 30 "$device" nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
    else
        echo "nvidia-smi: not on this machine" >> "$device"
    fi
    step 60 "$device" "${java[@]}" "${checks[0]}" "${checks[1]}" "${checks[2]}.StandInProbe"
    local suites=()
    for suite in $KIT_SUITES; do suites+=(--select-class "org.jdarknet.backend.cuda.Cuda${suite}Test"); done
    step 90 "$OUT/kit.txt" "${java[@]}" -cp "$GPU/junit-platform-console-standalone.jar:${checks[1]}" \
        org.junit.platform.console.ConsoleLauncher execute --details=tree --disable-banner --disable-ansi-colors "${suites[@]}"
    step 180 "$OUT/conformance.txt" "${java[@]}" "${checks[0]}" "${checks[1]}" "${checks[2]}.GpuConformance" \
        --backend "$backend" "${conformance[@]}"
    for size in $sizes; do
        # shellcheck disable=SC2046
        set -- $(sized_cfgs "$work/cfg-$size" "$size" $models)
        for batch in $batches; do
            step 100 "$OUT/benchmark.txt" "${jdarknet[@]}" benchmark --backend "$backend" --batch "$batch" "${runs[@]}" "${warm[@]}" "$@"
        done
    done
    # shellcheck disable=SC2046
    set -- $(sized_cfgs "$work/cfg-train" "$train_size" $train_models)
    step 100 "$OUT/benchmark.txt" "${jdarknet[@]}" benchmark --backend "$backend" --train --batch "$train_batch" \
        --runs 5 --warmup 2 "${warm[@]}" "$@"
    if python3 -c 'import torch; assert torch.cuda.is_available()' 2>> "$OUT/stderr.txt"; then
        local batch_list
        batch_list=$(echo "$batches" | tr ' ' ',')
        local size_list
        size_list=$(echo "$sizes" | tr ' ' ',')
        # The original cfgs: torch-bench.py sets the input size itself.
        for tf32 in off on; do
            # shellcheck disable=SC2046
            step 90 "$OUT/pytorch.txt" python3 scripts/torch-bench.py --tf32 "$tf32" --size "$size_list" \
                --batch "$batch_list" "${runs[@]}" $(for model in $models; do printf 'cfg/%s.cfg ' "$model"; done)
            # shellcheck disable=SC2046
            step 60 "$OUT/pytorch.txt" python3 scripts/torch-bench.py --tf32 "$tf32" --size "$train_size" --train \
                --batch "$train_batch" --runs 5 --warmup 2 $(for model in $train_models; do printf 'cfg/%s.cfg ' "$model"; done)
        done
    else
        echo "PyTorch with a GPU is not available here: no comparison" >> "$OUT/pytorch.txt"
    fi
    rm -rf "$work"
    echo "gpu-check: results in $OUT: $(ls "$OUT" | tr '\n' ' ')" >&2
    grep -h "^conformance:" "$OUT/conformance.txt" >&2
}

case "${1:-}" in
    --prepare) prepare ;;
    --dry-run) check yes ;;
    "") check no ;;
    *) die "usage: scripts/gpu-check.sh [--prepare | --dry-run]" ;;
esac
