#!/usr/bin/env python3
"""An independent reference for jdarknet: a darknet classifier evaluated in float64 with numpy.

usage: numpy-reference.py CFG WEIGHTS INPUT.f32 OUTDIR

Reads the cfg with its own small parser, the weights file in darknet's format, and the exact
input tensor (little-endian float32, CHW). Writes OUTDIR/layer_NNN.f64 (each layer's output,
little-endian float64) and OUTDIR/output.f64. It exists for networks the C darknet cannot run
(pjreddie's darknet does not know mish), so it implements the layers straightforwardly rather
than as darknet's code does: convolution as a float64 matrix product, batch norm by the formula
the cfg's batchnorm_style names. Supported: convolutional, connected, maxpool, avgpool, route,
shortcut, softmax, dropout, cost, batchnorm.
"""
import struct
import sys

import numpy as np

ALIASES = {"conv": "convolutional", "conn": "connected", "max": "maxpool", "avg": "avgpool",
           "soft": "softmax", "network": "net"}


def read_cfg(path):
    sections = []
    for raw in open(path):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            name = line.strip("[] ")
            sections.append((ALIASES.get(name, name), {}))
        else:
            key, value = (part.strip() for part in line.split("=", 1))
            sections[-1][1].setdefault(key, value)
    return sections


def activate(x, name):
    if name == "linear":
        return x
    if name == "leaky":
        return np.where(x > 0, x, 0.1 * x)
    if name == "relu":
        return np.maximum(x, 0)
    if name == "logistic":
        return 1 / (1 + np.exp(-x))
    if name == "mish":
        return x * np.tanh(np.logaddexp(0, x))
    if name == "swish":
        return x / (1 + np.exp(-x))
    raise SystemExit("activation not implemented here: " + name)


def normalize(x, mean, variance, style):
    shape = (-1, 1, 1) if x.ndim == 3 else (-1,)
    mean, variance = mean.reshape(shape), variance.reshape(shape)
    if style == "alexeyab":
        return (x - mean) / np.sqrt(variance + 1e-5)
    return (x - mean) / (np.sqrt(variance) + 1e-6)


class Weights:
    def __init__(self, path):
        data = open(path, "rb").read()
        major, minor, _ = struct.unpack_from("<3i", data, 0)
        wide = major * 10 + minor >= 2 and major < 1000 and minor < 1000
        self.floats = np.frombuffer(data, dtype="<f4", offset=20 if wide else 16).astype(np.float64)
        self.position = 0

    def take(self, count):
        values = self.floats[self.position:self.position + count]
        if values.size != count:
            raise SystemExit("weights file too short")
        self.position += count
        return values


def convolution(x, weights, stride, padding):
    """x: (c, h, w); weights: (n, c, k, k); zero padding; float64 matrix product."""
    c, h, w = x.shape
    n, _, k, _ = weights.shape
    padded = np.zeros((c, h + 2 * padding, w + 2 * padding))
    padded[:, padding:padding + h, padding:padding + w] = x
    out_h = (h + 2 * padding - k) // stride + 1
    out_w = (w + 2 * padding - k) // stride + 1
    columns = np.empty((c, k, k, out_h, out_w))
    for ky in range(k):
        for kx in range(k):
            columns[:, ky, kx] = padded[:, ky:ky + stride * out_h:stride, kx:kx + stride * out_w:stride]
    return (weights.reshape(n, -1) @ columns.reshape(c * k * k, -1)).reshape(n, out_h, out_w)


def main():
    cfg, weights_path, input_path, out_dir = sys.argv[1:5]
    sections = read_cfg(cfg)
    net = sections[0][1]
    style = net.get("batchnorm_style", "pjreddie")
    shape = (int(net["channels"]), int(net["height"]), int(net["width"]))
    x = np.fromfile(input_path, dtype="<f4").astype(np.float64).reshape(shape)
    weights = Weights(weights_path)
    outputs = []
    for index, (kind, o) in enumerate(sections[1:]):
        if kind == "convolutional":
            n, size, stride = int(o.get("filters", 1)), int(o.get("size", 1)), int(o.get("stride", 1))
            padding = size // 2 if int(o.get("pad", 0)) else int(o.get("padding", 0))
            groups = int(o.get("groups", 1))
            biases = weights.take(n)
            bn = int(o.get("batch_normalize", 0))
            if bn:
                scales, mean, variance = weights.take(n), weights.take(n), weights.take(n)
            kernel = weights.take(n * x.shape[0] // groups * size * size).reshape(n, x.shape[0] // groups, size, size)
            parts = [convolution(xg, kg, stride, padding)
                     for xg, kg in zip(np.split(x, groups), np.split(kernel, groups))]
            y = np.concatenate(parts)
            if bn:
                y = normalize(y, mean, variance, style) * scales.reshape(-1, 1, 1)
            y = activate(y + biases.reshape(-1, 1, 1), o.get("activation", "logistic"))
        elif kind == "connected":
            n = int(o.get("output", 1))
            biases = weights.take(n)
            matrix = weights.take(n * x.size).reshape(n, x.size)
            y = matrix @ x.ravel()
            if int(o.get("batch_normalize", 0)):
                scales, mean, variance = weights.take(n), weights.take(n), weights.take(n)
                y = normalize(y, mean, variance, style) * scales
            y = activate(y + biases, o.get("activation", "logistic")).reshape(n, 1, 1)
        elif kind == "batchnorm":
            c = x.shape[0]
            scales, mean, variance = weights.take(c), weights.take(c), weights.take(c)
            y = normalize(x, mean, variance, style) * scales.reshape(-1, 1, 1)
        elif kind == "maxpool":
            stride = int(o.get("stride", 1))
            size = int(o.get("size", stride))
            padding = int(o.get("padding", size - 1))
            c, h, w = x.shape
            out_h, out_w = (h + padding - size) // stride + 1, (w + padding - size) // stride + 1
            offset = padding // 2
            padded = np.full((c, h + size + stride * out_h, w + size + stride * out_w), -np.inf)
            padded[:, offset:offset + h, offset:offset + w] = x
            y = np.full((c, out_h, out_w), -np.inf)
            for dy in range(size):
                for dx in range(size):
                    y = np.maximum(y, padded[:, dy:dy + stride * out_h:stride, dx:dx + stride * out_w:stride])
        elif kind == "avgpool":
            y = x.mean(axis=(1, 2)).reshape(-1, 1, 1)
        elif kind == "route":
            layers = [int(v) for v in o["layers"].split(",")]
            y = np.concatenate([outputs[l if l >= 0 else index + l] for l in layers])
        elif kind == "shortcut":
            source = int(o["from"])
            other = outputs[source if source >= 0 else index + source]
            if other.shape != x.shape:
                raise SystemExit("shape-changing shortcut not implemented here")
            y = activate(float(o.get("alpha", 1)) * x + float(o.get("beta", 1)) * other, o.get("activation", "linear"))
        elif kind == "softmax":
            groups = int(o.get("groups", 1))
            flat = x.ravel().reshape(groups, -1) / float(o.get("temperature", 1))
            e = np.exp(flat - flat.max(axis=1, keepdims=True))
            y = (e / e.sum(axis=1, keepdims=True)).reshape(x.shape)
        elif kind in ("dropout", "cost"):
            y = x
        else:
            raise SystemExit("layer not implemented here: " + kind)
        outputs.append(y)
        y.astype("<f8").tofile("%s/layer_%03d.f64" % (out_dir, index))
        x = y
    if weights.position != weights.floats.size:
        raise SystemExit("weights file has %d floats left over" % (weights.floats.size - weights.position))
    last = next(o for (kind, _), o in zip(reversed(sections[1:]), reversed(outputs)) if kind != "cost")
    last.astype("<f8").tofile(out_dir + "/output.f64")


if __name__ == "__main__":
    main()
