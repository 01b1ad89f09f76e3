#!/bin/sh
# Converts Fashion-MNIST (Debian's dataset-fashion-mnist) into ImageNet-style class folders for
# `jdarknet train --data OUTDIR/train --valid OUTDIR/test`, plus darknet's list, labels and .data
# files for `darknet classifier train OUTDIR/fashion-mnist.data CFG`:
#   OUTDIR/train/<class>/NNNNN.png   60,000 28x28 grey PNGs
#   OUTDIR/test/<class>/NNNNN.png    10,000
#   OUTDIR/train.list, test.list     absolute image paths, one per line
#   OUTDIR/labels.txt                the class names sorted by name: the folder datasets' class
#                                    order, so both routes give networks with the same outputs
#   OUTDIR/fashion-mnist.data        classes, train, valid, labels, names, backup (OUTDIR/backup/)
# Idempotent: a finished OUTDIR is left alone; the work happens in a temporary folder renamed at
# the end. Needs python3 with numpy; installs the dataset with apt-get when it can.
# Usage: scripts/fashion-mnist.sh OUTDIR   (FASHION_MNIST_DIR overrides where the .gz files are)
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$(realpath -m "$1")
marker="$out/.fashion-mnist-complete"
if [ -e "$marker" ]; then
    echo "fashion-mnist: $out is already converted" >&2
    exit 0
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
    echo "fashion-mnist: $out exists and is not a finished conversion; remove it or choose another folder" >&2
    exit 1
fi

source_dir=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -e "$source_dir/train-images-idx3-ubyte.gz" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo "fashion-mnist: installing dataset-fashion-mnist" >&2
        apt-get install -y dataset-fashion-mnist >&2 || { apt-get update >&2 && apt-get install -y dataset-fashion-mnist >&2; }
    else
        echo "fashion-mnist: no dataset in $source_dir; run: sudo apt-get install dataset-fashion-mnist" >&2
        exit 1
    fi
fi

work="$out.partial.$$"
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work"
python3 - "$source_dir" "$work" "$out" <<'PY'
import gzip, os, struct, sys, zlib
import numpy as np

source, work, final = sys.argv[1:4]
# Fashion-MNIST's label indexes 0..9; "/" in "T-shirt/top" and spaces become "_" for folder names.
NAMES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]
SORTED = sorted(NAMES)

def read_idx(name, magic, header):
    with gzip.open(os.path.join(source, name), "rb") as f:
        data = f.read()
    fields = struct.unpack(">" + "I" * header, data[:4 * header])
    if fields[0] != magic:
        sys.exit(f"fashion-mnist: {name} is not an idx file (magic {fields[0]})")
    return fields, np.frombuffer(data, dtype=np.uint8, offset=4 * header)

def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

def png(grey):
    """An 8-bit greyscale PNG: each row after filter byte 0 (none), one zlib stream."""
    height, width = grey.shape
    rows = np.concatenate([np.zeros((height, 1), np.uint8), grey], axis=1).tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))

def convert(split, prefix):
    (_, count, rows, cols), pixels = read_idx(f"{prefix}-images-idx3-ubyte.gz", 2051, 4)
    (_, labels_count), labels = read_idx(f"{prefix}-labels-idx1-ubyte.gz", 2049, 2)
    if labels_count != count or pixels.size != count * rows * cols:
        sys.exit(f"fashion-mnist: {prefix} images and labels do not match")
    images = pixels.reshape(count, rows, cols)
    for name in NAMES:
        os.makedirs(os.path.join(work, split, name))
    paths = []
    for i in range(count):
        relative = os.path.join(split, NAMES[labels[i]], f"{i:05d}.png")
        with open(os.path.join(work, relative), "wb") as f:
            f.write(png(images[i]))
        paths.append(os.path.join(final, relative))
    with open(os.path.join(work, split + ".list"), "w") as f:
        f.write("\n".join(paths) + "\n")
    print(f"fashion-mnist: {count} {split} images", file=sys.stderr)

for name in NAMES:
    if name in final:
        print(f"fashion-mnist: warning: {final} contains the label '{name}'; darknet's substring rule would give it"
              " to every image of the .list files (the class folders are unaffected)", file=sys.stderr)
convert("train", "train")
convert("test", "t10k")
with open(os.path.join(work, "labels.txt"), "w") as f:
    f.write("\n".join(SORTED) + "\n")
with open(os.path.join(work, "fashion-mnist.data"), "w") as f:
    f.write(f"classes={len(SORTED)}\ntrain={final}/train.list\nvalid={final}/test.list\n"
            f"labels={final}/labels.txt\nnames={final}/labels.txt\nbackup={final}/backup/\ntop=2\n")
os.makedirs(os.path.join(work, "backup"))
PY
touch "$work/.fashion-mnist-complete"
[ -e "$out" ] && rmdir "$out"
mkdir -p "$(dirname "$out")"
mv "$work" "$out"
trap - EXIT
echo "fashion-mnist: wrote $out (train/, test/, train.list, test.list, labels.txt, fashion-mnist.data)" >&2
