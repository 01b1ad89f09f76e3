#!/bin/sh
# `make demo`. Where Fashion-MNIST is installed (Debian's dataset-fashion-mnist), it trains
# cfg/fashion-mnist.cfg from scratch for about a minute (its schedule shortened to DEMO_BATCHES
# batches, default 600), classifies ten test images the network never saw and measures its accuracy
# on 1,000 of them: real predictions, offline. Elsewhere it classifies the sample images with
# Darknet Tiny (cfg/tiny.cfg): with pretrained weights (weights/tiny.weights, downloaded by
# scripts/get-weights.sh when the network allows) the answers are real; without them it runs on
# seeded random weights and says so loudly.
set -eu
cd "$(dirname "$0")/.."
fashion_mnist=target/fashion-mnist

fashion_mnist_installed() {
    [ -e "${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}/train-images-idx3-ubyte.gz" ]
}

fashion_mnist_demo() {
    data=$fashion_mnist
    out=target/demo/fashion-mnist
    # About a minute on a quiet 2-core machine at the training rate docs/training.md reports.
    batches=${DEMO_BATCHES:-600}
    rm -rf "$out"
    mkdir -p "$out"
    # The cfg's own schedule decays the learning rate over 7000 batches; a short run must reach its end too.
    sed "s/^max_batches=.*/max_batches=$batches/" cfg/fashion-mnist.cfg > "$out/fashion-mnist.cfg"
    subset=$out/test-subset
    for folder in "$data"/test/*/; do
        class=$(basename "$folder")
        mkdir -p "$subset/$class"
        ls "$folder" | head -n 100 | sed "s|^|$(realpath "$folder")/|" | xargs ln -s -t "$subset/$class"
    done

    echo "demo: training cfg/fashion-mnist.cfg, shortened to $batches batches of 128, on Fashion-MNIST's 60,000" \
        "training images (the default 600 take about a minute on a quiet 2-core machine); every 100th progress line:" >&2
    ./jdarknet train "$out/fashion-mnist.cfg" --data "$data/train" --valid "$subset" --backup "$out" \
        --seed 1 --top 2 --chart "$out/loss.png" | awk 'NR % 100 == 0 { print; fflush() }'
    if [ ! -s "$out/fashion-mnist.weights" ]; then
        echo "demo: training did not finish" >&2
        exit 1
    fi

    echo "demo: ten test images it never saw (true class -> predicted, probability):" >&2
    # Its stderr (a timing line per image) is shown only if it fails.
    predictions=$(./jdarknet classifier predict "$out/fashion-mnist.data" "$out/fashion-mnist.cfg" \
        "$out/fashion-mnist.weights" -t 1 --format csv $(for folder in "$subset"/*/; do ls -d "$folder"* | head -n 1; done) \
        2> "$out/predict.err") || { cat "$out/predict.err" >&2; exit 1; }
    echo "$predictions" \
        | awk -F, 'NR > 1 { n = split($1, part, "/"); printf "  %-12s -> %-12s %5.1f%%\n", part[n - 1], $4, 100 * $5 }'

    echo "demo: accuracy on 1,000 test images (100 per class):" >&2
    ./jdarknet valid "$out/fashion-mnist.cfg" "$out/fashion-mnist.weights" --data "$subset" --top 2
    cat >&2 <<END
demo: the loss chart: $out/loss.png
demo: the whole test set: ./jdarknet valid $out/fashion-mnist.cfg $out/fashion-mnist.weights --data $data/test
demo: or darknet's way: ./jdarknet classifier valid $out/fashion-mnist.data $out/fashion-mnist.cfg $out/fashion-mnist.weights
END
}

tiny_demo() {
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
demo: scripts/get-weights.sh tiny where the network allows it, or install
demo: Fashion-MNIST (apt-get install dataset-fashion-mnist) for a trained demo.
demo: ======================================================================
END
    fi
    ./jdarknet classify cfg/tiny.cfg "$weights" data/dog.jpg data/eagle.jpg data/giraffe.jpg data/horses.jpg
    case $weights in
        weights/*) ;;
        *) echo "demo: REMINDER: random weights, the classes above mean nothing." >&2 ;;
    esac
}

if fashion_mnist_installed; then
    if scripts/fashion-mnist.sh "$fashion_mnist"; then
        fashion_mnist_demo
        exit 0
    fi
    echo "demo: Fashion-MNIST could not be converted (scripts/fashion-mnist.sh needs python3 with numpy);" \
        "classifying the sample images instead" >&2
fi
tiny_demo
