#!/bin/sh
# Launcher for jdarknet, copied to ./jdarknet by `make`. Runs the jar built under target/, with
# jdarknet.home set so that cfg/ and data/ are found from any working directory.
# JDARKNET_JAVA_OPTS adds JVM options (e.g. -Xmx8g for training large networks); they come
# after the launcher's own, so they override them.
self=$(readlink -f "$0")
home=$(dirname "$self")
archive="$home/target/jdarknet.jsa"

# The command's words without its options: "classify", "classifier predict", "train", ...
words=""
for arg in "$@"; do
    case "$arg" in
        -*) ;;
        *) words="$words $arg" ;;
    esac
done

# A one-image classify spends more of its CPU compiling Java than computing (the network runs in
# oneDNN's native code): with the quick C1 compiler only and the serial collector it finishes
# sooner (docs/benchmarks.md). Commands that run long (train, benchmark, valid) keep the
# optimising compiler; so can a long list of images, with JDARKNET_JAVA_OPTS=-XX:TieredStopAtLevel=4.
# On two cores or fewer the JVM would start two C1 threads, which take the cores the run needs
# for loading oneDNN and building the network: one is sooner there (tiny 8-16 ms, darknet53 44 ms).
quick_start=""
case "$words" in
    " classify"* | " classifier predict"*)
        quick_start="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        if [ "$(nproc 2>/dev/null || echo 1)" -le 2 ]; then
            quick_start="$quick_start -XX:CICompilerCount=1"
        fi
        ;;
esac

set -- $quick_start ${JDARKNET_JAVA_OPTS:-} -Djdarknet.home="$home" -jar "$home/target/jdarknet.jar" "$@"
# The classes a classify run loads, parsed and verified by `make` (scripts/cds-archive.sh): the
# JVM maps them instead, and a one-image classify starts sooner. It ignores an archive
# that does not fit this jar or JDK; the -Xlog option keeps it from saying so on stdout.
# Debian's Java 17 maps archives at a random address and then rewrites every pointer in them
# (ArchiveRelocationMode=1); mode 0 maps this one where it was dumped, unless that address is
# taken, and spares each start the rewriting (docs/benchmarks.md).
if [ -f "$archive" ]; then
    set -- -XX:SharedArchiveFile="$archive" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 \
        -Xlog:cds=off,cds+dynamic=off "$@"
fi
exec java "$@"
