#!/bin/sh
# Regenerates the augmentation goldens in src/test/resources/data (augment.ppm, augment.golden)
# from the C darknet's own functions: needs `apt-get install darknet` and gcc.
set -eu
cd "$(dirname "$0")/../.."
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
gcc -O2 -Wall -I/usr/lib/darknet/include scripts/oracle/darknet-augment.c \
    -L/usr/lib/darknet -ldarknet -Wl,-rpath,/usr/lib/darknet -o "$build/darknet-augment"
mkdir -p src/test/resources/data
"$build/darknet-augment" src/test/resources/data/augment.ppm src/test/resources/data/augment.golden
echo "make-augment-goldens: wrote src/test/resources/data/augment.ppm and augment.golden" >&2
