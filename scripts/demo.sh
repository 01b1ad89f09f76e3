#!/bin/sh
# `make demo`: classifies the sample images with Darknet Tiny (cfg/tiny.cfg). With pretrained
# weights (weights/tiny.weights, downloaded by scripts/get-weights.sh when the network allows) the
# answers are real; without them the demo runs on seeded random weights and says so loudly.
set -eu
cd "$(dirname "$0")/.."
weights=weights/tiny.weights

if [ ! -s "$weights" ]; then
    scripts/get-weights.sh tiny || true
fi
if [ -s "$weights" ]; then
    echo "demo: pretrained weights $weights" >&2
else
    weights=target/demo/tiny-random.weights
    if [ ! -s "$weights" ]; then
        mkdir -p target/demo
        java -cp target/jdarknet.jar org.jdarknet.weights.WriteRandomWeights cfg/tiny.cfg "$weights" 2024
    fi
    cat >&2 <<END
demo: ======================================================================
demo: NO PRETRAINED WEIGHTS: classifying with seeded RANDOM weights
demo: ($weights). The classes below are MEANINGLESS:
demo: they only show the pipeline working. For real answers, run
demo: scripts/get-weights.sh tiny where the network allows it.
demo: ======================================================================
END
fi
./jdarknet classify cfg/tiny.cfg "$weights" data/dog.jpg data/eagle.jpg data/giraffe.jpg data/horses.jpg
case $weights in
    weights/*) ;;
    *) echo "demo: REMINDER: random weights, the classes above mean nothing." >&2 ;;
esac
