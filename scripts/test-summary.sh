#!/bin/sh
# Sums up a test run from Maven Surefire's reports (default target/surefire-reports), for
# `make test`: how many tests ran, passed, failed and were skipped, why they were skipped, and
# which failed. The last line is "N passed, N failed, N skipped" alone (errors count as failed).
# Exits 1 when a test failed or no report was found. Plain sh and awk: CI machines may lack python.
set -eu
reports=${1:-target/surefire-reports}
set -- "$reports"/TEST-*.xml
if [ ! -f "$1" ]; then
    echo "tests: no reports in $reports (the build failed before the tests ran?)"
    exit 1
fi
awk '
function attribute(line, name,    start, rest) {
    start = index(line, " " name "=\"")
    if (start == 0) return ""
    rest = substr(line, start + length(name) + 3)
    return substr(rest, 1, index(rest, "\"") - 1)
}
function unescape(text) {
    gsub(/&quot;/, "\"", text); gsub(/&apos;/, "\047", text); gsub(/&lt;/, "<", text)
    gsub(/&gt;/, ">", text); gsub(/&#10;/, " ", text); gsub(/&amp;/, "\\&", text)
    return text
}
/<testsuite[ >]/ {
    tests += attribute($0, "tests"); failures += attribute($0, "failures")
    errors += attribute($0, "errors"); skipped += attribute($0, "skipped")
}
/<testcase[ >]/ { testcase = attribute($0, "classname") "." attribute($0, "name") }
/<skipped[ \/>]/ {
    reason = unescape(attribute($0, "message"))
    if (reason == "" && index($0, "<![CDATA[") > 0) reason = substr($0, index($0, "<![CDATA[") + 9)
    sub(/\]\]>.*/, "", reason); sub(/^[A-Za-z0-9_.$]*(Exception|Error): /, "", reason)
    sub(/^Assumption failed: /, "", reason)
    if (reason == "") reason = "(no reason given)"
    if (!(reason in reasons)) order[++distinct] = reason
    reasons[reason]++
}
/<(failure|error)[ \/>]/ { failed[++failedCount] = unescape(testcase) }
END {
    bad = failures + errors
    printf "tests: %d run, %d passed, %d failed, %d errors, %d skipped\n", tests, tests - bad - skipped, failures, errors, skipped
    for (i = 1; i <= distinct; i++) printf "  skipped %d: %s\n", reasons[order[i]], order[i]
    for (i = 1; i <= failedCount; i++) printf "  FAILED: %s\n", failed[i]
    printf "%d passed, %d failed, %d skipped\n", tests - bad - skipped, bad, skipped
    exit (bad > 0 ? 1 : 0)
}
' "$@"
