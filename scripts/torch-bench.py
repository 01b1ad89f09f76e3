#!/usr/bin/env python3
"""PyTorch eager fp32 timings of darknet cfgs, for side-by-side comparison with `jdarknet benchmark`.

The networks are built from the same .cfg files (torchvision is not needed and may be absent):
[convolutional], [maxpool] (darknet's asymmetric padding), [avgpool] (global), [shortcut],
[route], [softmax], [cost] (no-op in forward). Each timed run does what jdarknet's benchmark does:
inference uploads the batch, runs every layer and downloads the probabilities; a training step
uploads the batch, runs forward, cross-entropy against fixed labels, backward and an SGD update
(momentum 0.9, decay 5e-4). cuDNN autotuning is on (jdarknet also times cuDNN's algorithms once
per shape). TF32 is off unless --tf32 on: both torch.backends.cuda.matmul.allow_tf32 and
torch.backends.cudnn.allow_tf32 (the latter defaults to True in PyTorch).

Usage: torch-bench.py [--size 224,256] [--batch 1,64] [--train] [--tf32 off|on] [--runs 10] [--warmup 3] CFG...
Prints one line per model and batch: model, size, batch, mode, tf32, median/min ms, images/s.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def parse_cfg(path):
    sections = []
    with open(path) as f:
        for raw in f:
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            if line.startswith('['):
                sections.append({'type': line[1:-1].strip()})
            elif '=' in line and sections:
                key, value = line.split('=', 1)
                sections[-1][key.strip()] = value.strip()
    return sections[0], sections[1:]


def activation(name):
    return {
        'leaky': lambda x: F.leaky_relu(x, 0.1),
        'linear': lambda x: x,
        'relu': F.relu,
        'logistic': torch.sigmoid,
        'tanh': torch.tanh,
        'mish': F.mish,
        'swish': F.silu,
        'gelu': F.gelu,
    }[name]


class Darknet(nn.Module):
    """The layers of a darknet classifier cfg, run in order as darknet does."""

    def __init__(self, net, layers):
        super().__init__()
        self.specs = layers
        self.modules_by_index = nn.ModuleList()
        channels = int(net.get('channels', 3))
        outputs = []
        for i, spec in enumerate(layers):
            kind = spec['type']
            module = nn.Identity()
            if kind in ('convolutional', 'conv'):
                filters = int(spec['filters'])
                size = int(spec.get('size', 1))
                stride = int(spec.get('stride', 1))
                padding = size // 2 if int(spec.get('pad', 0)) else int(spec.get('padding', 0))
                groups = int(spec.get('groups', 1))
                bn = int(spec.get('batch_normalize', 0))
                layers_here = [nn.Conv2d(channels, filters, size, stride, padding, groups=groups, bias=not bn)]
                if bn:
                    layers_here.append(nn.BatchNorm2d(filters))
                module = nn.Sequential(*layers_here)
                channels = filters
            elif kind == 'route':
                channels = sum(outputs[self.resolve(i, int(v))] for v in spec['layers'].split(','))
            elif kind == 'connected':
                raise ValueError('connected layers are not needed for these models')
            self.modules_by_index.append(module)
            outputs.append(channels)

    @staticmethod
    def resolve(i, index):
        return i + index if index < 0 else index

    def forward(self, x):
        outputs = []
        for i, (spec, module) in enumerate(zip(self.specs, self.modules_by_index)):
            kind = spec['type']
            if kind in ('convolutional', 'conv'):
                x = activation(spec.get('activation', 'logistic'))(module(x))
            elif kind == 'maxpool':
                size = int(spec.get('size', 1))
                stride = int(spec.get('stride', size))
                padding = int(spec.get('padding', size - 1))
                x = F.pad(x, (padding // 2, padding - padding // 2, padding // 2, padding - padding // 2), value=float('-inf'))
                x = F.max_pool2d(x, size, stride)
            elif kind == 'avgpool':
                x = F.adaptive_avg_pool2d(x, 1)
            elif kind == 'shortcut':
                x = activation(spec.get('activation', 'linear'))(x + outputs[self.resolve(i, int(spec['from']))])
            elif kind == 'route':
                x = torch.cat([outputs[self.resolve(i, int(v))] for v in spec['layers'].split(',')], 1)
            elif kind == 'softmax':
                x = x.flatten(1)
                if not self.training:
                    x = F.softmax(x, 1)
            elif kind in ('cost', 'dropout'):
                pass
            else:
                raise ValueError('layer type not handled: ' + kind)
            outputs.append(x)
        return x.flatten(1)


def timed(step, runs, warmup):
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('cfgs', nargs='+')
    parser.add_argument('--size', default='0', help='input sizes, e.g. 224,256 (0: the cfg\'s)')
    parser.add_argument('--batch', default='1')
    parser.add_argument('--train', action='store_true')
    parser.add_argument('--tf32', choices=['off', 'on'], default='off')
    parser.add_argument('--runs', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    args = parser.parse_args()
    tf32 = args.tf32 == 'on'
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    torch.backends.cudnn.benchmark = True
    device = torch.device('cuda')
    print('pytorch %s, cuDNN %s, %s, tf32 %s' % (torch.__version__, torch.backends.cudnn.version(),
                                                  torch.cuda.get_device_name(0), args.tf32), flush=True)
    for size in [int(s) for s in args.size.split(',')]:
        for cfg in args.cfgs:
            try:
                run(cfg, size, args, device)
            except Exception as e:  # one model failing (out of memory, an unhandled layer) must not hide the others
                print('%s: error: %s' % (cfg, e), flush=True)
            torch.cuda.empty_cache()


def run(cfg, size, args, device):
    net, layers = parse_cfg(cfg)
    size = size or int(net.get('width', 224))
    model = Darknet(net, layers).to(device)
    name = cfg.rsplit('/', 1)[-1].removesuffix('.cfg')
    for batch in [int(b) for b in args.batch.split(',')]:
        images = torch.rand(batch, int(net.get('channels', 3)), size, size).pin_memory()
        if args.train:
            model.train()
            optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
            classes = model(images.to(device)).shape[1]
            labels = torch.randint(0, classes, (batch,), device=device)

            def step():
                optimizer.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(images.to(device, non_blocking=True)), labels)
                loss.backward()
                optimizer.step()
        else:
            model.eval()

            def step():
                with torch.no_grad():
                    model(images.to(device, non_blocking=True)).cpu()
        median, fastest = timed(step, args.runs, args.warmup)
        print('%-12s %4d %4d %-9s tf32=%-3s median %8.2f ms  min %8.2f ms  %9.1f images/s' % (
            name, size, batch, 'training' if args.train else 'inference', args.tf32, median, fastest,
            batch * 1000 / median), flush=True)


if __name__ == '__main__':
    main()
