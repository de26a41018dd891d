#!/usr/bin/env bash
# Benchmarks `mpathgw iscsi perf` against libiscsi-based peers on the same private tgtd, in the same run, and writes
# docs/benchmarks.md (the table, the exact commands, the machine). Not a test: `mvn verify` never runs it.
#
#   scripts/bench.sh [--seconds S] [--rounds N] [--size BYTES|1G] [--out FILE] [--classpath CP]
#
# Ours runs through the root launcher (./mpathgw iscsi perf), or with --classpath through
# `java -cp CP io.mpathgw.iscsi.cli.IscsiCli` (an already built tree, without the launcher's build).
# Workloads: 128 KiB sequential read and write at QD 32, 4 KiB random read at QD 1 and QD 32.
# Peers: libiscsi's iscsi-perf for reads (it only reads); for writes, which iscsi-perf cannot do, `qemu-img bench -w`
# through QEMU's libiscsi block driver (Debian qemu-utils + qemu-block-extra), when installed.
# Each pair runs --rounds times (default 3), peer and ours alternating; the table keeps each side's best round and
# the raw figures of every round are listed below it. Default: 4 s per run, about 2.5 minutes in all.
# The text after the "analysis" marker of an existing --out file is kept: it is written by hand after a run.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

seconds=4 rounds=3 size=1G out=$ROOT/docs/benchmarks.md classpath=""
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --classpath) classpath=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "bench: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "bench: --seconds $seconds (expected: whole seconds >= 1)" >&2; exit 2; }
[[ $rounds =~ ^[1-9]$ ]] || { echo "bench: --rounds $rounds (expected: 1..9)" >&2; exit 2; }
for t in tgtd tgtadm iscsi-perf java; do
    command -v "$t" >/dev/null || { echo "bench: $t missing: run scripts/install-test-peers.sh (tgt, libiscsi-bin)" >&2; exit 1; }
done
have_qemu=0
if command -v qemu-img >/dev/null && ls /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so >/dev/null 2>&1; then have_qemu=1; fi

# /dev/shm must hold the LUN: take --size, or 40 % of what is free there, whichever is smaller
want=$(numfmt --from=iec "${size%B}")
free=$(( $(df --output=avail -B1 /dev/shm | tail -1) * 4 / 10 ))
bytes=$(( (want < free ? want : free) / 1048576 * 1048576 ))
(( bytes >= 64 << 20 )) || { echo "bench: /dev/shm has room for $((free >> 20)) MiB (expected: >= 64 MiB)" >&2; exit 1; }

# ---------------------------------------------------------------- our side: the launcher, or the module's jar
ours=()
if [[ -n $classpath ]]; then
    ours=(java -cp "$classpath" io.mpathgw.iscsi.cli.IscsiCli)
    ours_shown="java -cp CLASSPATH io.mpathgw.iscsi.cli.IscsiCli"
    ours_note="CLASSPATH was given with \`--classpath\`: $(tr ':' '\n' <<<"$classpath" | sed 's#.*/##' | head -1) and its runtime dependencies."
elif [[ -x $ROOT/mpathgw ]] && "$ROOT/mpathgw" iscsi --help >/dev/null 2>&1; then
    ours=("$ROOT/mpathgw" iscsi)
    ours_shown="./mpathgw iscsi"
    ours_note="Ours ran through the root launcher."
else
    echo "bench: the launcher did not run; building the iscsi module (mvn -q -pl iscsi -am -DskipTests package)" >&2
    (cd "$ROOT" && mvn -B -ntp -q -pl iscsi -am -DskipTests package &&
        mvn -B -ntp -q -pl iscsi dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=target/bench.cp)
    jar=$(ls "$ROOT"/iscsi/target/mpathgw-iscsi-*.jar | grep -v -- '-tests\|-sources' | head -1)
    ours=(java -cp "$jar:$(cat "$ROOT/iscsi/target/bench.cp")" io.mpathgw.iscsi.cli.IscsiCli)
    ours_shown="java -cp iscsi/target/mpathgw-iscsi-*.jar:… io.mpathgw.iscsi.cli.IscsiCli"
    ours_note="The launcher did not run, so ours ran from the iscsi module's jar and its runtime dependencies."
fi

# ---------------------------------------------------------------- the array
iqn=iqn.2026-11.io.mpathgw.bench:ram
env=$("$ROOT/scripts/tgt-start.sh" --size "$bytes" --iqn "$iqn")
PID="" CONTROL_PORT="" BACKING="" URL=""
eval "$env"
cleanup() { "$ROOT/scripts/tgt-stop.sh" "$PID" "$CONTROL_PORT" "$BACKING" >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "bench: tgtd $PID, LUN of $((bytes >> 20)) MiB in $BACKING, $URL" >&2
# prefill so that reads and writes touch allocated tmpfs pages, not holes
dd if=/dev/zero of="$BACKING" bs=1M count=$((bytes >> 20)) conv=notrunc status=none

# ---------------------------------------------------------------- runners; each prints "IOPS MIBS"
run_peer_read() {   # blocks-per-request qd random
    local r=""
    [[ $3 == random ]] && r=-r
    # prints "\r…iops average N (M MB/s)" at the end; MB there is 2^20 bytes
    iscsi-perf -t "$seconds" -b "$1" -m "$2" $r "$URL" 2>&1 | tr '\r' '\n' |
        sed -n 's/^iops average \([0-9]*\) .*/\1/p' | tail -1 |
        awk -v bs=$(( $1 * 512 )) '{ printf "%d %.1f\n", $1, $1 * bs / 1048576 }'
}
run_peer_write() {  # bytes qd count
    local t
    t=$(qemu-img bench -f raw -w -t none -d "$2" -s "$1" -c "$3" "$URL" 2>&1 |
        sed -n 's/^Run completed in \([0-9.]*\) seconds.*/\1/p')
    awk -v n="$3" -v bs="$1" -v t="$t" 'BEGIN { if (t > 0) printf "%d %.1f\n", n / t, n * bs / t / 1048576 }'
}
run_ours() {        # perf arguments…; prints "IOPS MIBS P50 P99" (latencies in microseconds)
    "${ours[@]}" perf --json --header-digest --seconds "$seconds" "$@" "$URL" |
        sed -n 's/.*"iops":\([0-9.]*\),"mib_per_s":\([0-9.]*\),.*"p50":\([0-9.]*\),"p99":\([0-9.]*\).*/\1 \2 \3 \4/p' |
        awk '{ printf "%d %.1f %d %d\n", $1, $2, $3, $4 }'
}

# name | peer command shown | our arguments | peer kind | peer args
workloads=(
    "128 KiB sequential read, QD 32|iscsi-perf -t $seconds -b 256 -m 32 URL|--read --seq --bs 131072 --qd 32|read|256 32 seq"
    "128 KiB sequential write, QD 32|qemu-img bench -f raw -w -t none -d 32 -s 131072 -c COUNT URL|--write --seq --bs 131072 --qd 32|write|131072 32"
    "4 KiB random read, QD 1|iscsi-perf -t $seconds -b 8 -m 1 -r URL|--read --random --bs 4096 --qd 1|read|8 1 random"
    "4 KiB random read, QD 32|iscsi-perf -t $seconds -b 8 -m 32 -r URL|--read --random --bs 4096 --qd 32|read|8 32 random"
)

# the figure ("IOPS MIBS") with more IOPS; "n/a" or empty lose
better() {
    local a=${1%% *} b=${2%% *}
    [[ $a =~ ^[0-9]+$ ]] || { echo "$2"; return; }
    [[ $b =~ ^[0-9]+$ ]] || { echo "$1"; return; }
    if (( a >= b )); then echo "$1"; else echo "$2"; fi
}

declare -A best_peer best_ours raw
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
for ((round = 1; round <= rounds; round++)); do
    for w in "${workloads[@]}"; do
        IFS='|' read -r name _ our_args kind peer_args <<<"$w"
        # shellcheck disable=SC2086  # word splitting of the argument lists is meant
        o=$(run_ours $our_args)
        if [[ $kind == read ]]; then
            # shellcheck disable=SC2086
            p=$(run_peer_read $peer_args)
        elif (( have_qemu )); then
            # qemu-img bench counts requests: as many as we completed in the same time
            # shellcheck disable=SC2086
            p=$(run_peer_write $peer_args $(( ${o%% *} * seconds )))
        else
            p="n/a"
        fi
        echo "bench: round $round, $name: peer ${p:-failed} | ours ${o:-failed}" >&2
        raw[$name]+="round $round: peer ${p:-failed} / ours ${o:-failed}; "
        best_ours[$name]=$(better "$o" "${best_ours[$name]:-}")
        best_peer[$name]=$(better "$p" "${best_peer[$name]:-}")
    done
done
elapsed=$(( $(date +%s) - started ))

# ---------------------------------------------------------------- docs/benchmarks.md
marker='<!-- analysis: everything below this line is written by hand and kept by scripts/bench.sh -->'
kept=""
[[ -f $out ]] && kept=$(sed -n "/^$(printf '%s' "$marker" | sed 's/[][\/.*^$]/\\&/g')\$/,\$p" "$out" | tail -n +2)
java_version=$(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')
ours_version=$(cd "$ROOT" && git log -1 --format='%h %cs' 2>/dev/null || echo unknown)
{
    echo "# Benchmarks"
    echo
    echo "Generated by \`scripts/bench.sh --seconds $seconds --rounds $rounds\` on $(date -u +%Y-%m-%d) in ${elapsed} s"
    echo "(commit $ours_version). Every figure below comes from that one run: ours and the peer, alternating, against"
    echo "the same private tgtd with a $((bytes >> 20)) MiB LUN in /dev/shm, over loopback. Each side's best of $rounds rounds."
    echo
    echo "| workload | peer | peer IOPS | peer MiB/s | ours IOPS | ours MiB/s | ours / peer | ours p50 / p99 latency |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for w in "${workloads[@]}"; do
        IFS='|' read -r name _ _ kind _ <<<"$w"
        peer=${best_peer[$name]:-n/a} mine=${best_ours[$name]:-n/a}
        if [[ $kind == read ]]; then who=iscsi-perf; else who="qemu-img bench (libiscsi)"; fi
        ratio=$(awk -v a="${mine%% *}" -v b="${peer%% *}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }')
        read -r m_iops m_mib m_p50 m_p99 <<<"$mine"
        read -r p_iops p_mib <<<"$peer"
        echo "| $name | $who | $p_iops | ${p_mib:-} | $m_iops | ${m_mib:-} | $ratio | ${m_p50:-?} / ${m_p99:-?} µs |"
    done
    echo
    echo "Raw figures of every round (peer: IOPS MiB/s; ours: IOPS MiB/s p50-µs p99-µs):"
    echo
    for w in "${workloads[@]}"; do
        IFS='|' read -r name _ _ _ _ <<<"$w"
        echo "- $name: ${raw[$name]%; }"
    done
    echo
    echo "## Commands"
    echo
    echo "URL = \`iscsi://127.0.0.1:PORT/$iqn/1\` (a fresh port each run)."
    echo
    echo "| workload | peer | ours |"
    echo "|---|---|---|"
    for w in "${workloads[@]}"; do
        IFS='|' read -r name peer_cmd our_args _ _ <<<"$w"
        echo "| $name | \`$peer_cmd\` | \`$ours_shown perf --json --header-digest --seconds $seconds $our_args URL\` |"
    done
    echo
    echo "$ours_note"
    echo
    echo "COUNT for qemu-img bench is our IOPS of the same round × $seconds s, so that both run about $seconds s."
    echo "Where the peers and ours differ:"
    echo
    echo "- iscsi-perf only reads (READ(16)); its options are \`-b\` blocks per request, \`-m\` requests in flight, \`-t\`"
    echo "  seconds, \`-r\` random. Its random offsets are any block (\`rand() % blocks\`), ours are aligned to the"
    echo "  request size. It reports the average from time zero; ours skips a 1 s warm-up (\`--warmup\`, JIT) and then"
    echo "  measures \`--seconds\`."
    echo "- Writes: iscsi-perf cannot write, so the write peer is \`qemu-img bench -w\` over QEMU's libiscsi driver,"
    echo "  which counts requests instead of seconds and writes from offset 0 stepping by the request size."
    echo "- Digests: libiscsi (iscsi-perf, QEMU) offers \`HeaderDigest=None,CRC32C\` and tgt answers CRC32C to any offer"
    echo "  that lists it, so the peers run with header digests; ours runs with \`--header-digest\` to match. No data"
    echo "  digest on either side."
    echo
    echo "## Machine"
    echo
    echo "- CPUs (nproc): $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "- kernel: $(uname -srm)"
    echo "- java: $java_version"
    echo "- tgt $(dpkg-query -W -f '${Version}' tgt 2>/dev/null || echo '?'), libiscsi-bin $(dpkg-query -W -f '${Version}' libiscsi-bin 2>/dev/null || echo '?'), qemu-utils $(dpkg-query -W -f '${Version}' qemu-utils 2>/dev/null || echo 'not installed')"
    echo "- load average before the run: $load_before"
    if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
        echo "  (other processes were using the CPUs: the figures are noisy, see the spread of the rounds)"
    fi
    echo
    echo "$marker"
    if [[ -n $kept ]]; then echo "$kept"; else printf '\n## Analysis\n\n(to be written after a run)\n'; fi
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "bench: wrote $out" >&2
