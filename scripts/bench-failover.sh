#!/usr/bin/env bash
# Failover benchmark: the I/O stall of a loud (RST) and a silent (black-holed) portal fault with the gateway's DEFAULT
# settings, over --trials trials each (at least 20 for the record), and the time until the returned portal's path
# carries I/O again; on two topologies of the in-process simulated dual-controller ALUA array (2 portals per
# controller: the group keeps a path; 1 per controller: the fault forces a group switch). A client writes stamped
# 4 KiB blocks at QD 16 through the map's NBD export throughout, and every block is verified at the end through a
# fresh iSCSI session to the array. The gateway side is io.mpathgw.gateway.failover.FailoverBench (gateway test
# sources). Not a test: `mvn verify` never runs it. Takes about (trials x 1 s) per loud series and (trials x 15 s)
# for the silent ones (both topologies at once): ~6 min for 20 trials.
#
#   scripts/bench-failover.sh [--trials N] [--out FILE]
#
# Only the section between <!-- failover:begin --> and <!-- failover:end --> is replaced (appended at the end the
# first time); the rest of FILE (docs/benchmarks.md by default) is left as it is.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

trials=20 out=$ROOT/docs/benchmarks.md
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --trials) trials=${2:-}; shift 2 ;;
        --out) out=${2:-}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "bench-failover: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $trials =~ ^[1-9][0-9]*$ ]] || { echo "bench-failover: --trials $trials (expected: a whole number >= 1)" >&2; exit 2; }
for t in java mvn; do
    command -v "$t" >/dev/null || { echo "bench-failover: $t missing" >&2; exit 1; }
done

echo "bench-failover: building the gateway test classes" >&2
(cd "$ROOT" && mvn -B -ntp -q -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-failover.cp)
cp="$ROOT/gateway/target/test-classes:$ROOT/gateway/target/classes:$ROOT/dm-bridge/target/classes"
cp="$cp:$ROOT/iscsi/target/classes:$(cat "$ROOT/gateway/target/bench-failover.cp")"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n' >"$work/logging.properties"
echo "bench-failover: $trials trials per series" >&2
java -Djava.util.logging.config.file="$work/logging.properties" -cp "$cp" \
    io.mpathgw.gateway.failover.FailoverBench --trials "$trials" --section "$work/section.md" >/dev/null
{
    cat "$work/section.md"
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -sr)," \
        "$(java -version 2>&1 | head -1)."
    echo
} >"$work/body.md"

begin='<!-- failover:begin -->' end='<!-- failover:end -->'
if [[ -f $out ]] && grep -qF "$begin" "$out"; then
    awk -v b="$begin" -v e="$end" -v s="$work/body.md" '
        $0 == b { print; while ((getline l < s) > 0) print l; skip = 1; next }
        $0 == e { skip = 0 }
        !skip { print }' "$out" >"$work/out.md"
else
    { [[ -f $out ]] && cat "$out"; echo; echo "$begin"; cat "$work/body.md"; echo "$end"; } >"$work/out.md"
fi
cat "$work/out.md" >"$out"
echo "bench-failover: section written to $out" >&2
