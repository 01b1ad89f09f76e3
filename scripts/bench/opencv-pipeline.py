#!/usr/bin/python3
"""Times OpenCV's own per-image classification pipeline over many images, the work `jdarknet classify`
does for each path: decode (cv2.imread, libjpeg-turbo), letterbox into the network's input as
darknet does (aspect kept, resized bilinearly, centred on grey), cv2.dnn.blobFromImage, forward, top 5.
The clock starts after the network is loaded and one image has gone through it, as jdarknet's
summary line starts when its network is ready. Prints "IMAGES_PER_S SECONDS IMAGES".

    opencv-pipeline.py CFG WEIGHTS THREADS WIDTH HEIGHT IMAGE...

WIDTH and HEIGHT are the network's input, from its cfg's [net] section.

Exits with status 3, saying why on stderr, when OpenCV cannot load the network.
"""
import sys
import time

import cv2
import numpy as np


def letterbox(image, width, height):
    """darknet's letterbox_image: the whole image, aspect kept, centred on 0.5 grey."""
    rows, cols = image.shape[:2]
    if width / cols < height / rows:
        new_w, new_h = width, rows * width // cols
    else:
        new_w, new_h = cols * height // rows, height
    resized = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    canvas = np.full((height, width, 3), 128, dtype=np.uint8)
    top, left = (height - new_h) // 2, (width - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = resized
    return canvas


def classify(net, path, width, height):
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"opencv-pipeline: cannot read {path}")
    blob = cv2.dnn.blobFromImage(letterbox(image, width, height), 1 / 255.0, (width, height), swapRB=True)
    net.setInput(blob)
    scores = net.forward().ravel()
    return np.argsort(scores)[-5:][::-1]


def main(cfg_path, weights_path, threads, width, height, paths):
    cv2.setNumThreads(threads)
    try:
        net = cv2.dnn.readNetFromDarknet(cfg_path, weights_path)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        classify(net, paths[0], width, height)
    except cv2.error as e:
        print(f"opencv-pipeline: OpenCV cannot run {cfg_path}: {str(e).strip().splitlines()[-1]}", file=sys.stderr)
        return 3
    start = time.perf_counter()
    for path in paths:
        classify(net, path, width, height)
    seconds = time.perf_counter() - start
    print(f"{len(paths) / seconds:.1f} {seconds:.3f} {len(paths)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:]))
