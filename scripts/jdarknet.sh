#!/bin/sh
# Launcher for jdarknet, copied to ./jdarknet by `make`. Runs the jar built under target/, with
# jdarknet.home set so that cfg/ and data/ are found from any working directory.
# JDARKNET_JAVA_OPTS adds JVM options (e.g. -Xmx8g for training large networks).
self=$(readlink -f "$0")
home=$(dirname "$self")
exec java ${JDARKNET_JAVA_OPTS:-} -Djdarknet.home="$home" -jar "$home/target/jdarknet.jar" "$@"
