#!/bin/sh
# Writes target/jdarknet.jsa, the class-data archive (AppCDS) the launcher maps: every class that
# ./jdarknet classify loads, listed by one such run on seeded random tiny weights. The run also
# unpacks the native libraries into JavaCPP's cache, so that the first real run does not.
# The archive only saves start-up time: when it cannot be made, this says so and succeeds.
#
# It is a static archive (-Xshare:dump from the run's class list), not a dynamic one
# (-XX:ArchiveClassesAtExit): Java 17 leaves classes older than Java 6's format out of a
# dynamic archive, and picocli's are (a third of the classes a classify loads from jars); a
# static dump keeps them, and also pre-generates the method-handle forms the run used.
set -u
cd "$(dirname "$0")/.."
archive=target/jdarknet.jsa
work=target/cds
mkdir -p "$work"
rm -f "$archive" "$work/jdarknet.jsa" "$work/classes.list" "$work/archived.list"
give_up() {
    echo "cds-archive: $1; ./jdarknet works without it, only starts slower (see $work/log)" >&2
    rm -f "$work/jdarknet.jsa"
    exit 0
}
java -cp target/jdarknet.jar org.jdarknet.weights.WriteRandomWeights cfg/tiny.cfg "$work/tiny.weights" 1 \
    >"$work/log" 2>&1 || give_up "cannot write the weights for the sample run"
# Through the launcher, so that the run loads its classes exactly as it will with the archive.
JDARKNET_JAVA_OPTS="-XX:DumpLoadedClassList=$work/classes.list" \
    ./jdarknet classify cfg/tiny.cfg "$work/tiny.weights" data/dog.jpg >>"$work/log" 2>&1 \
    || give_up "the sample run failed"
# Without the lambdas that implement picocli's interfaces: archiving one links the interface at dump
# time, and Java 17 then leaves that interface and picocli's CommandLine (classes older than Java 6's
# format, which it only archives unlinked) out of the archive. Those few lambdas are made at run time.
grep -v '^@lambda-proxy .*picocli/' "$work/classes.list" >"$work/archived.list"
# The class path as the launcher spells it (the jar's absolute path); the archive is used only with it.
java -Xshare:dump -XX:SharedClassListFile="$work/archived.list" -XX:SharedArchiveFile="$work/jdarknet.jsa" \
    -cp "$(pwd -P)/target/jdarknet.jar" >>"$work/log" 2>&1 || give_up "the dump failed"
# A truncated archive crashes the JVM that maps it, so it must map cleanly before it is used, with
# the options the launcher maps it with (a JDK without ArchiveRelocationMode gets no archive).
java -XX:SharedArchiveFile="$work/jdarknet.jsa" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -Xshare:on -jar "$(pwd -P)/target/jdarknet.jar" --version \
    >>"$work/log" 2>&1 || give_up "the archive does not load"
mv "$work/jdarknet.jsa" "$archive"
