#!/bin/sh
# Fetches the data jdarknet uses but does not own: darknet's ImageNet label lists and its sample
# images. Taken from the Debian package `darknet` when installed (/usr/share/darknet/data), else
# downloaded from darknet's public repository. Files already present are left alone.
set -eu
cd "$(dirname "$0")/.."
mkdir -p data
files="imagenet.shortnames.list imagenet.labels.list dog.jpg eagle.jpg giraffe.jpg horses.jpg"
local_dir=/usr/share/darknet/data
remote=https://raw.githubusercontent.com/pjreddie/darknet/master/data
missing=""
for f in $files; do
    [ -s "data/$f" ] && continue
    if [ -s "$local_dir/$f" ]; then
        cp "$local_dir/$f" "data/$f.part" && mv "data/$f.part" "data/$f"
    elif command -v curl >/dev/null 2>&1 && curl -fsSL --connect-timeout 10 -o "data/$f.part" "$remote/$f"; then
        mv "data/$f.part" "data/$f"
    else
        rm -f "data/$f.part"
        missing="$missing $f"
    fi
done
if [ -n "$missing" ]; then
    echo "get-data: could not get:$missing" >&2
    echo "get-data: install darknet's data (apt-get install darknet) or allow access to $remote" >&2
    exit 1
fi
echo "get-data: data/ has the label lists and sample images" >&2
