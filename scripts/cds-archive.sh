#!/bin/sh
# Writes target/jdarknet.jsa, the class-data archive (AppCDS) the launcher maps: every class that
# ./jdarknet classify loads, taken from one such run on seeded random tiny weights. The run also
# unpacks the native libraries into JavaCPP's cache, so that the first real run does not.
# The archive only saves start-up time: when it cannot be made, this says so and succeeds.
set -u
cd "$(dirname "$0")/.."
archive=target/jdarknet.jsa
work=target/cds
mkdir -p "$work"
rm -f "$archive" "$work/jdarknet.jsa"
give_up() {
    echo "cds-archive: $1; ./jdarknet works without it, only starts slower (see $work/log)" >&2
    rm -f "$work/jdarknet.jsa"
    exit 0
}
java -cp target/jdarknet.jar org.jdarknet.weights.WriteRandomWeights cfg/tiny.cfg "$work/tiny.weights" 1 \
    >"$work/log" 2>&1 || give_up "cannot write the weights for the sample run"
# Through the launcher, so that the archive records the class path exactly as it will be used.
JDARKNET_JAVA_OPTS="-XX:ArchiveClassesAtExit=$work/jdarknet.jsa" \
    ./jdarknet classify cfg/tiny.cfg "$work/tiny.weights" data/dog.jpg >>"$work/log" 2>&1 \
    || give_up "the sample run failed"
# A truncated archive crashes the JVM that maps it, so it must map cleanly before it is used.
java -XX:SharedArchiveFile="$work/jdarknet.jsa" -Xshare:on -jar target/jdarknet.jar --version >>"$work/log" 2>&1 \
    || give_up "the archive does not load"
mv "$work/jdarknet.jsa" "$archive"
