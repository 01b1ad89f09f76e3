#!/bin/sh
# Launcher for jdarknet, copied to ./jdarknet by `make`. Runs the jar built under target/, with
# jdarknet.home set so that cfg/ and data/ are found from any working directory.
# JDARKNET_JAVA_OPTS adds JVM options (e.g. -Xmx8g for training large networks).
self=$(readlink -f "$0")
home=$(dirname "$self")
archive="$home/target/jdarknet.jsa"
set -- ${JDARKNET_JAVA_OPTS:-} -Djdarknet.home="$home" -jar "$home/target/jdarknet.jar" "$@"
# The classes a classify run loads, parsed and verified by `make` (scripts/cds-archive.sh): the
# JVM maps them instead, and starts about 100 ms sooner. It ignores an archive that does not fit
# this jar or JDK; the -Xlog option keeps it from saying so on stdout.
if [ -f "$archive" ]; then
    set -- -XX:SharedArchiveFile="$archive" -Xlog:cds=off,cds+dynamic=off "$@"
fi
exec java "$@"
