#!/usr/bin/env bash
# Builds the PTX that jdarknet ships for its CUDA kernels, from the sources beside it:
#   src/main/resources/org/jdarknet/backend/cuda/kernels/kernels.cu (+ ops.cuh)
#   -> src/main/resources/org/jdarknet/backend/cuda/kernels.ptx
# The CUDA backend loads the PTX with cuModuleLoadData and the driver compiles it for whatever GPU
# is there (compute_75, Turing, and everything newer), so a user's machine needs no nvcc.
# -fmad=false: without it nvcc contracts a*b + c into FMAs and the kernels no longer match the
# reference backend bit for bit. The output is deterministic for a given nvcc release (the PTX's
# header names it); KernelCompileTest checks that the committed file is what this script makes now.
#
# Usage: scripts/build-kernels.sh [OUTPUT]   (default: the committed kernels.ptx)
set -euo pipefail
output=${1:+$(realpath -m "$1")}
cd "$(dirname "$0")/.."
resources=src/main/resources/org/jdarknet/backend/cuda
output=${output:-$resources/kernels.ptx}
command -v nvcc >/dev/null || { echo "build-kernels.sh: nvcc is not on the PATH" >&2; exit 1; }
temporary="$output.tmp.$$"
trap 'rm -f "$temporary"' EXIT
nvcc -ptx -arch=compute_75 -fmad=false -o "$temporary" "$resources/kernels/kernels.cu"
mv "$temporary" "$output"
