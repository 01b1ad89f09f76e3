#!/bin/sh
# Downloads published pretrained weights for the zoo models into weights/ (git-ignored):
#   scripts/get-weights.sh tiny darknet19 ...     or     scripts/get-weights.sh all
# Each file is fetched with curl to weights/NAME.weights.part and renamed only when complete and
# not an HTML page (pjreddie.com has been seen answering with its home page). Files already there
# are kept. When the network does not let us reach a host, one line says so; the exit code is 1
# whenever a file could not be had. JDARKNET_WEIGHTS_MIRROR=URL takes every NAME.weights from URL instead.
set -u
cd "$(dirname "$0")/.."

models="tiny darknet darknet19 darknet53 resnet50 resnet101 resnet152 densenet201 cspdarknet53"

url_of() {
    if [ -n "${JDARKNET_WEIGHTS_MIRROR:-}" ]; then
        echo "$JDARKNET_WEIGHTS_MIRROR/$1.weights"
        return
    fi
    case "$1" in
        # AlexeyAB's csdarknet53-omega_final.weights is published only on Google Drive (AlexeyAB/darknet
        # wiki, "Train Detector on MS COCO"), a link reported dead in AlexeyAB/darknet#8698 and
        # WongKinYiu/CrossStagePartialNetworks#55. GitHub's release darknet_yolo_v4_pre has only
        # its first 105 layers (csdarknet53-omega.conv.105), a partial file that cannot classify.
        cspdarknet53) echo 'https://drive.google.com/uc?export=download&id=18jCwaL4SJ-jOvXrZNGHJ5yz44g9zi8Hm' ;;
        *) echo "https://pjreddie.com/media/files/$1.weights" ;;
    esac
}

usage() {
    echo "usage: scripts/get-weights.sh NAME... | all   (NAME: $models)" >&2
    exit 2
}

[ $# -gt 0 ] || usage
[ "$1" = all ] && set -- $models
for name in "$@"; do
    case " $models " in
        *" $name "*) ;;
        *) echo "get-weights: unknown model '$name'" >&2; usage ;;
    esac
done
command -v curl >/dev/null 2>&1 || { echo "get-weights: curl is not installed" >&2; exit 1; }

# Sets $failed and remembers hosts that cannot be reached, so the other models on them are not tried.
fetch() {
    name=$1
    target="weights/$name.weights"
    if [ -s "$target" ]; then
        echo "get-weights: $target already present" >&2
        return 0
    fi
    url=$(url_of "$name")
    host=$(echo "$url" | sed 's|^[a-z]*://\([^/]*\).*|\1|')
    case " $unreachable_hosts " in
        *" $host "*) unreached_models="$unreached_models $name"; return 1 ;;
    esac
    part="$target.part"
    error=$(curl -fsSL --connect-timeout 15 -o "$part" "$url" 2>&1)
    status=$?
    error=$(echo "$error" | tail -n 1)
    case $status in
        0) ;;
        5 | 6 | 7 | 28 | 35 | 56)
            # Name resolution, connection, TLS or timeout: the network, not the file.
            rm -f "$part"
            unreachable_hosts="$unreachable_hosts $host"
            unreached_models="$unreached_models $name"
            [ -n "$first_network_error" ] || first_network_error=$error
            return 1 ;;
        *)
            rm -f "$part"
            echo "get-weights: cannot download $name from $url: $error" >&2
            return 1 ;;
    esac
    if [ "$(head -c 1 "$part")" = "<" ]; then
        rm -f "$part"
        echo "get-weights: $url answered with a web page, not weights: the link is dead (see scripts/get-weights.sh)" >&2
        return 1
    fi
    mv "$part" "$target"
    echo "get-weights: $target ($(wc -c <"$target") bytes)" >&2
}

mkdir -p weights
failed=0
unreachable_hosts=""
unreached_models=""
first_network_error=""
for name in "$@"; do
    fetch "$name" || failed=1
done
if [ -n "$unreached_models" ]; then
    echo "get-weights: this machine cannot reach${unreachable_hosts} ($first_network_error); not downloaded:$unreached_models" >&2
fi
exit $failed
