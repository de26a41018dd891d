#!/usr/bin/env bash
# Measures reads through the NBD export of a multipath map against libiscsi's iscsi-perf reading the same tgt LUN
# directly, in the same run, and writes the ratios into docs/benchmarks.md (section "NBD export"). A private tgtd
# with a RAM-backed LUN and two portals (scripts/tgt-start.sh); the gateway side is
# io.mpathgw.gateway.nbd.NbdBenchServer (gateway test sources): one session per portal, a round-robin map over
# them, exported over NBD; fio's nbd engine (libnbd) reads through it. Workloads: 128 KiB sequential read QD 32 and
# 4 KiB random read QD 32, each for --seconds after a 1 s warm-up (fio ramp_time), each variant --rounds times, the
# best round kept. Variants: iscsi-perf direct to portal 1; NBD over a map of 1 path; NBD over a map of 2 paths
# (multibus); NBD over a device in memory (the export's own ceiling, no iSCSI). Not a test: `mvn verify` never runs
# it.
#
#   scripts/bench-nbd.sh [--seconds S] [--rounds N] [--size-mib M] [--out FILE]
#
# Only the section between the bench-nbd markers is replaced (appended at the end the first time); the rest of FILE
# is left as it is.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

seconds=5 rounds=2 size_mib=512 out=$ROOT/docs/benchmarks.md
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --size-mib) size_mib=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "bench-nbd: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "bench-nbd: --seconds $seconds (expected: whole seconds >= 1)" >&2; exit 2; }
[[ $rounds =~ ^[1-9]$ ]] || { echo "bench-nbd: --rounds $rounds (expected: 1..9)" >&2; exit 2; }
[[ $size_mib =~ ^[1-9][0-9]*$ ]] || { echo "bench-nbd: --size-mib $size_mib (expected: MiB >= 1)" >&2; exit 2; }
for t in tgtd tgtadm iscsi-perf fio java mvn; do
    command -v "$t" >/dev/null || { echo "bench-nbd: $t missing: run scripts/install-test-peers.sh" >&2; exit 1; }
done
fio --enghelp 2>/dev/null | grep -qx '[[:space:]]*nbd' || { echo "bench-nbd: this fio has no nbd engine" >&2; exit 1; }

echo "bench-nbd: building the gateway test classes" >&2
(cd "$ROOT" && mvn -B -ntp -q -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp)
cp="$ROOT/gateway/target/test-classes:$ROOT/gateway/target/classes:$ROOT/dm-bridge/target/classes"
cp="$cp:$ROOT/iscsi/target/classes:$(cat "$ROOT/gateway/target/bench.cp")"

eval "$("$ROOT/scripts/tgt-start.sh" --portals 2 --size "${size_mib}M" --iqn iqn.2026-11.io.mpathgw.bench:nbd)"
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && { exec 9>&-; kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; }
    "$ROOT/scripts/tgt-stop.sh" "$PID" "$CONTROL_PORT" "$BACKING" >/dev/null 2>&1 || true
    [[ -n ${work:-} ]] && rm -rf "$work"
}
trap cleanup EXIT
read -r port1 port2 <<<"$PORTS"

# iscsi-perf runs until interrupted; its last "iops average N (M MB/s)" is the whole run
perf() {   # blocks-per-request random(0|1) -> "iops MiB/s"
    local flag=() line
    [[ $2 == 1 ]] && flag=(-r)
    line=$(timeout -s INT "$((seconds + 1))" iscsi-perf -m 32 -b "$1" "${flag[@]}" "$URL" 2>&1 | tr '\r' '\n' |
        grep -o 'iops average [0-9]*' | tail -1)
    local iops=${line##* }
    awk -v i="$iops" -v b="$1" 'BEGIN { printf "%d %.1f\n", i, i * b * 512 / 1048576 }'
}

# fio through the export: terse v3 fields 7 and 8 are read KiB/s and read IOPS
nbdfio() {   # uri rw bs -> "iops MiB/s"
    fio --name=bench --ioengine=nbd --uri="$1" --rw="$2" --bs="$3" --iodepth=32 --time_based --ramp_time=1 \
        --runtime="$seconds" --output-format=terse --terse-version=3 2>/dev/null |
        awk -F';' '{ printf "%d %.1f\n", $8, $7 / 1024 }'
}

work=$(mktemp -d)
start_server() {   # NbdBenchServer's arguments; sets server_pid and uri. It runs until its stdin (a fifo) closes.
    local i
    rm -f "$work/in" && mkfifo "$work/in"
    : >"$work/out"
    java -cp "$cp" io.mpathgw.gateway.nbd.NbdBenchServer "$@" \
        <"$work/in" >"$work/out" 2>"$work/err" &
    server_pid=$!
    exec 9>"$work/in"
    for ((i = 0; i < 300; i++)); do
        uri=$(sed -n 's/^NBD_URI=//p' "$work/out" 2>/dev/null || true)
        [[ -n $uri ]] && return
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench-nbd: NbdBenchServer did not start:" >&2
    cat "$work/err" >&2
    exit 1
}

stop_server() {
    exec 9>&-
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

best() {   # keeps the line with the highest first number
    sort -n -r -k1,1 | head -1
}

declare -A result
run_variant() {   # name, then NbdBenchServer's arguments (none: iscsi-perf direct)
    local name=$1; shift
    local r seq rnd
    [[ $# -gt 0 ]] && start_server "$@"
    for ((r = 0; r < rounds; r++)); do
        if [[ $# -eq 0 ]]; then
            seq+=$(perf 256 0)$'\n'
            rnd+=$(perf 8 1)$'\n'
        else
            seq+=$(nbdfio "$uri" read 128k)$'\n'
            rnd+=$(nbdfio "$uri" randread 4k)$'\n'
        fi
    done
    [[ $# -gt 0 ]] && stop_server
    result[$name,seq]=$(printf '%s' "$seq" | best)
    result[$name,rnd]=$(printf '%s' "$rnd" | best)
    echo "bench-nbd: $name: seq ${result[$name,seq]}, rand ${result[$name,rnd]}" >&2
}

commit=$(cd "$ROOT" && git log -1 --format='%h %cs' 2>/dev/null || echo '?')
[[ -z $(cd "$ROOT" && git status --porcelain -- gateway/src scripts/bench-nbd.sh 2>/dev/null) ]] ||
    commit="$commit, with uncommitted changes in gateway or this script"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
run_variant direct
run_variant nbd1 --iqn "$IQN" --lun 1 --portal "127.0.0.1:$port1"
run_variant nbd2 --iqn "$IQN" --lun 1 --portal "127.0.0.1:$port1" --portal "127.0.0.1:$port2"
run_variant memory --memory-mib "$size_mib"
elapsed=$(( $(date +%s) - started ))

row() {   # label key workload
    local d=${result[direct,$3]} v=${result[$2,$3]}
    awk -v l="$1" -v d="$d" -v v="$v" 'BEGIN { split(d, a, " "); split(v, b, " ");
        printf "| %s | %d | %.1f | %.2f |\n", l, b[1], b[2], (a[1] > 0 ? b[1] / a[1] : 0) }'
}
table=$(cat <<TABLE
| workload, path | IOPS | MiB/s | vs iscsi-perf direct |
|---|---:|---:|---:|
$(row "128 KiB seq read QD 32, iscsi-perf direct" direct seq)
$(row "128 KiB seq read QD 32, NBD, map of 1 path" nbd1 seq)
$(row "128 KiB seq read QD 32, NBD, map of 2 paths" nbd2 seq)
$(row "128 KiB seq read QD 32, NBD, memory device (no iSCSI)" memory seq)
$(row "4 KiB random read QD 32, iscsi-perf direct" direct rnd)
$(row "4 KiB random read QD 32, NBD, map of 1 path" nbd1 rnd)
$(row "4 KiB random read QD 32, NBD, map of 2 paths" nbd2 rnd)
$(row "4 KiB random read QD 32, NBD, memory device (no iSCSI)" memory rnd)
TABLE
)

begin='<!-- bench-nbd: begin (written by scripts/bench-nbd.sh) -->'
end='<!-- bench-nbd: end -->'
section=$(cat <<SECTION
$begin
## NBD export: reads through the export of a map against iscsi-perf direct to the same LUN

Generated by \`scripts/bench-nbd.sh --seconds $seconds --rounds $rounds --size-mib $size_mib\` on $(date -u +%Y-%m-%d)
in ${elapsed} s (commit $commit). One private tgtd with a $size_mib MiB LUN in /dev/shm and two portals, over
loopback. Direct: \`iscsi-perf -m 32 -b 256\` (sequential) and \`iscsi-perf -m 32 -b 8 -r\` (random) through portal
1. NBD: \`io.mpathgw.gateway.nbd.NbdBenchServer\` logs in through portal 1 (and 2), builds the map
\`0 0 1 1 round-robin 0 N 1 p0 1 …\` on the first session's event loop and exports it on the same event loops; \`fio --ioengine=nbd
--iodepth=32 --rw=read --bs=128k\` / \`--rw=randread --bs=4k\`, 1 s ramp, $seconds s measured. Best of $rounds rounds.
The memory rows export a \`MemoryBlockDevice\` instead (\`NbdBenchServer --memory-mib\`): the export alone.
Everything (tgtd, the gateway JVM, fio) shares this machine's CPUs: the NBD rows pay for a second hop on the same
cores. The issue's aim: >= 1.0x sequential, >= 0.8x random.

$table

Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -sr), $(java -version 2>&1 | head -1),
tgt $(dpkg-query -W -f '${Version}' tgt 2>/dev/null || echo '?'), fio $(fio --version), libnbd $(dpkg-query -W -f '${Version}' libnbd0 2>/dev/null || echo '?'); load average before the run: $load_before.
$end
SECTION
)

printf '%s\n' "$table"
tmp=$(mktemp "$out.XXXXXX")
if [[ -f $out ]] && grep -qF "$begin" "$out"; then
    awk -v b="$begin" -v e="$end" -v s="$section" '
        $0 == b { print s; skip = 1; next }
        $0 == e { skip = 0; next }
        !skip { print }' "$out" >"$tmp"
else
    { [[ -f $out ]] && cat "$out" && echo; printf '%s\n' "$section"; } >"$tmp"
fi
mv "$tmp" "$out"
echo "bench-nbd: wrote the NBD export section of $out" >&2
