#!/usr/bin/python3
"""Times OpenCV DNN on a darknet cfg + weights the way `jdarknet benchmark` times jdarknet: batch 1,
a fixed input, WARMUP untimed forward passes, then RUNS timed ones. Prints "MEDIAN_MS MIN_MS MAX_MS".

    opencv-bench.py CFG WEIGHTS RUNS WARMUP THREADS

Exits with status 3, saying why on stderr, when OpenCV cannot load the network (it does not know
some darknet layers, e.g. the shortcut of darknet's resnet cfgs).
"""
import statistics
import sys
import time

import cv2
import numpy as np


def net_input_shape(cfg_path):
    """(channels, height, width) from the cfg's [net] section."""
    values, in_net = {}, False
    with open(cfg_path) as cfg:
        for line in cfg:
            line = line.split("#", 1)[0].strip()
            if line.startswith("["):
                if in_net:
                    break
                in_net = line in ("[net]", "[network]")
            elif in_net and "=" in line:
                key, value = (part.strip() for part in line.split("=", 1))
                values[key] = value
    return int(values["channels"]), int(values["height"]), int(values["width"])


def main(cfg_path, weights_path, runs, warmup, threads):
    cv2.setNumThreads(threads)
    try:
        net = cv2.dnn.readNetFromDarknet(cfg_path, weights_path)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        channels, height, width = net_input_shape(cfg_path)
        # A smooth pattern in [0,1]: values do not change the work.
        blob = (np.arange(channels * height * width, dtype=np.float32) % 251 / 250).reshape(1, channels, height, width)
        net.setInput(blob)
        net.forward()
    except cv2.error as e:
        print(f"opencv-bench: OpenCV cannot run {cfg_path}: {str(e).strip().splitlines()[-1]}", file=sys.stderr)
        return 3
    for _ in range(warmup):
        net.forward()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        net.forward()
        times.append((time.perf_counter() - start) * 1e3)
    print(f"{statistics.median(times):.2f} {min(times):.2f} {max(times):.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
