#!/bin/sh
# Regenerates the conformance goldens in src/test/resources/goldens from the oracles: the C darknet
# (apt-get install darknet; gcc builds scripts/oracle/darknet-layers.c) and, for models darknet
# cannot run, scripts/oracle/numpy-reference.py (python3 with numpy). Needs data/ (make data).
# Usage: scripts/oracle/make-goldens.sh [MODEL...]
set -eu
cd "$(dirname "$0")/../.."
mvn -B -q test-compile
exec java -cp "target/classes:target/test-classes:target/lib/*" org.jdarknet.conformance.GoldenWriter "$@"
