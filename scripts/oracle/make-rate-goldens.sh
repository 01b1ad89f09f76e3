#!/bin/sh
# Regenerates src/test/resources/goldens/learning-rates.txt: the C darknet's learning rate
# (libdarknet's get_current_rate, through scripts/oracle/darknet-rates.c) for every cfg in
# src/test/resources/learning-rates at the batch numbers below, rand() seeded with SEED for the
# random policy. Needs apt-get install darknet and gcc. DarknetLearningRateTest reads the golden
# where darknet is absent and compares it with a live run where darknet is installed.
set -eu
cd "$(dirname "$0")/../.."
SEED=7
BATCHES="0 1 2 4 5 6 9 10 11 19 20 21 29 30 31 39 40 41 49 50 51 59 60 79 80 81 99 100"
LIB=/usr/lib/darknet
mkdir -p target/oracle
gcc -O2 -I"$LIB/include" scripts/oracle/darknet-rates.c -L"$LIB" -ldarknet -Wl,-rpath,"$LIB" \
    -o target/oracle/darknet-rates
golden=src/test/resources/goldens/learning-rates.txt
{
    echo "# libdarknet's get_current_rate: CFG SEED BATCH RATE (the float's bits in hex)."
    echo "# Made by scripts/oracle/make-rate-goldens.sh; the cfgs are in src/test/resources/learning-rates."
    for cfg in src/test/resources/learning-rates/*.cfg; do
        # shellcheck disable=SC2086 # BATCHES is a list of words
        target/oracle/darknet-rates "$cfg" "$SEED" $BATCHES 2>/dev/null | sed "s|^|$(basename "$cfg") $SEED |"
    done
} > "$golden.tmp"
mv "$golden.tmp" "$golden"
echo "wrote $golden"
