#!/usr/bin/env bash
# Runs libiscsi's whole iscsi-test-cu list (../shared/tools/iscsi-test-cu-list.txt), test by test under a timeout,
# against a private tgtd (Debian tgt) and against our target (io.mpathgw.iscsi.target.ConformanceTarget) in the same
# invocation, then against ours with HeaderDigest=CRC32C and with 4 KiB physical blocks (LBPPB 8), and writes
# docs/conformance.md: totals, a table per family, every test where we differ from tgt (with the reason), the whole
# per-test table, the command, the machine and the versions. Not a test: `mvn verify` never runs it (it runs
# ConformanceScsiTest: every test of that per-test table against ours, expecting the "ours" column of this document).
#
#   scripts/conformance.sh [--timeout S] [--out FILE] [--work DIR] [--classpath CP] [--quick] [--report-only]
#
#   --timeout S     per test, default 30
#   --out FILE      default docs/conformance.md
#   --work DIR      results and every test's log, default target/conformance (emptied first, kept after the run)
#   --classpath CP  run ConformanceTarget from CP instead of building the iscsi module (mvn package)
#   --quick         only tgt and ours, without the runs with HeaderDigest=CRC32C and with 4 KiB physical blocks
#   --report-only   no new runs: write FILE again from the results in DIR (after editing conformance-notes.tsv)
# Both targets serve one 64 MiB RAM disk through two loopback portals; the SCSI.MultipathIO tests get both URLs,
# every other test the first. Exit code: 0 when every test that passes against tgt passes against ours (in each of
# our runs), 1 when one does not or a target cannot start, 2 for a bad option. About 2.5 minutes on 2 cores.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

timeout_s=30 out=$ROOT/docs/conformance.md work=$ROOT/target/conformance classpath="" quick=0 report_only=0
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
args=("$@")
while [[ $# -gt 0 ]]; do
    case "$1" in
        --timeout) timeout_s=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --classpath) classpath=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        --report-only) report_only=1; shift ;;
        -h|--help) usage ;;
        *) echo "conformance: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || { echo "conformance: --timeout $timeout_s (expected: whole seconds >= 1)" >&2; exit 2; }
for t in tgtd tgtadm iscsi-test-cu iscsi-inq java; do
    command -v "$t" >/dev/null || { echo "conformance: $t missing: run scripts/install-test-peers.sh (tgt, libiscsi-bin)" >&2; exit 1; }
done
LIST=$ROOT/../shared/tools/iscsi-test-cu-list.txt
BASELINE=$ROOT/../shared/spec/iscsi-test-cu-tgt-baseline.tsv
NOTES=$ROOT/scripts/conformance-notes.tsv
[[ -f $LIST ]] || { echo "conformance: $LIST missing (the project's shared/ beside the repository)" >&2; exit 1; }
# shellcheck source=conformance-report.sh
. "$ROOT/scripts/conformance-report.sh"

# Our runs and the ConformanceTarget arguments of each (see "How it ran" in the report for why these);
# ConformanceScsiTest.OURS repeats the first
OURS_ARGS="--portals 2 --size 64M --max-transfer-blocks 65536"
declare -A RUN_ARGS=([ours]="$OURS_ARGS" [ours-crc32c]="$OURS_ARGS --header-digest crc32c"
                     [ours-4k]="$OURS_ARGS --physical-block-exponent 3")
runs=(tgt ours)
((quick)) || runs+=(ours-crc32c ours-4k)
if ((report_only)); then
    runs=()
    for r in tgt ours ours-crc32c ours-4k; do [[ ! -f $work/$r/results.tsv ]] || runs+=("$r"); done
    [[ ${runs[0]:-} == tgt && ${#runs[@]} -ge 2 ]] || { echo "conformance: no earlier run in $work" >&2; exit 1; }
fi

if ((!report_only)); then
    # ---------------------------------------------------------------- our target's classpath
    if [[ -z $classpath ]]; then
        echo "conformance: building the iscsi module (mvn -q -pl iscsi -am -DskipTests package)" >&2
        (cd "$ROOT" && mvn -B -ntp -q -pl iscsi -am -DskipTests package &&
            mvn -B -ntp -q -pl iscsi dependency:build-classpath -DincludeScope=runtime \
                -Dmdep.outputFile=target/conformance.cp) 2>&1 | sed 's/\x1b\[0m//g' >&2
        jar=$(ls "$ROOT"/iscsi/target/mpathgw-iscsi-*.jar | grep -v -- '-tests\|-sources' | head -1)
        classpath="$jar:$(cat "$ROOT/iscsi/target/conformance.cp")"
    fi
    # ---------------------------------------------------------------- both targets
    if [[ -d $work && -n $(ls -A "$work") && ! -f $work/.conformance-work ]]; then
        echo "conformance: --work $work is not empty and not an earlier run's (expected: a new or earlier work dir)" >&2
        exit 2
    fi
    rm -rf "$work"
    mkdir -p "$work"
    touch "$work/.conformance-work"
    (cd "$ROOT" && git log -1 --format='%h %cs' 2>/dev/null || echo unknown) >"$work/commit"
    # what runs: the iscsi module (with its parent pom) and the scripts
    if [[ -n $(cd "$ROOT" && git status --porcelain --untracked-files=no -- pom.xml iscsi scripts 2>/dev/null) ||
          -n $(cd "$ROOT" && git status --porcelain -- iscsi/src/main 2>/dev/null) ]]; then
        echo "with uncommitted changes in iscsi/ or scripts/" >>"$work/commit"
    fi
    date -u +%Y-%m-%d >"$work/date"
    shown_command >"$work/command"
    echo "$timeout_s" >"$work/timeout"
    TGT_PID="" CONTROL_PORT="" BACKING="" OURS_PID=""
    cleanup() {
        [[ -z $OURS_PID ]] || { kill "$OURS_PID" 2>/dev/null; wait "$OURS_PID" 2>/dev/null || true; }
        [[ -z $TGT_PID ]] || "$ROOT/scripts/tgt-stop.sh" "$TGT_PID" "$CONTROL_PORT" "$BACKING" >/dev/null 2>&1 || true
    }
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    env=$("$ROOT/scripts/tgt-start.sh" --portals 2 --size 64M --iqn iqn.2026-11.io.mpathgw.conformance:tgt \
        --log "$work/tgtd.log")
    PID="" PORTS="" HOST="" IQN="" LUN=""
    eval "$env"
    TGT_PID=$PID
    tgt_urls=""
    for p in $PORTS; do tgt_urls+="${tgt_urls:+ }iscsi://$HOST:$p/$IQN/$LUN"; done
    echo "conformance: tgtd $TGT_PID, $tgt_urls" >&2

    # start_ours NAME ARGS…: a ConformanceTarget; sets OURS_PID and ours_urls
    start_ours() {
        local name=$1 i
        shift
        java -cp "$classpath" io.mpathgw.iscsi.target.ConformanceTarget "$@" \
            >"$work/$name.env" 2>"$work/$name.target.log" </dev/null &
        OURS_PID=$!
        for ((i = 0; i < 300; i++)); do
            grep -q '^READY$' "$work/$name.env" 2>/dev/null && break
            kill -0 "$OURS_PID" 2>/dev/null || { cat "$work/$name.target.log" >&2; echo "conformance: ConformanceTarget exited" >&2; exit 1; }
            sleep 0.1
        done
        grep -q '^READY$' "$work/$name.env" || { echo "conformance: ConformanceTarget not ready after 30 s" >&2; exit 1; }
        URLS=""
        eval "$(grep -v '^READY$' "$work/$name.env" | grep -v '^PID=')"
        ours_urls=$URLS
        echo "conformance: ConformanceTarget $OURS_PID ($*), $ours_urls" >&2
    }
    stop_ours() {
        kill "$OURS_PID" 2>/dev/null || true
        wait "$OURS_PID" 2>/dev/null || true
        OURS_PID=""
    }

    # ---------------------------------------------------------------- the runs
    export TEST_LIST=$LIST
    run() {     # name urls
        local started=$SECONDS
        echo "conformance: running the list against $1" >&2
        "$ROOT/scripts/iscsi-test-cu-run.sh" "$work/$1" "$2" "$timeout_s" "iscsi-inq ${2%% *}" >/dev/null
        echo $((SECONDS - started)) >"$work/$1/elapsed"
        sed 's/^/  /' "$work/$1/summary.txt" | grep TOTAL >&2
    }
    run tgt "$tgt_urls"
    for r in "${runs[@]:1}"; do
        # shellcheck disable=SC2086  # the arguments of each run are words
        start_ours "$r" ${RUN_ARGS[$r]}
        run "$r" "$ours_urls"
        stop_ours
    done
fi

# ---------------------------------------------------------------- docs/conformance.md
report >"$out.tmp"
mv "$out.tmp" "$out"
echo "conformance: wrote $out" >&2
((${#regressions[@]} == 0)) || { echo "conformance: passes on tgt, not on ours: ${regressions[*]}" >&2; exit 1; }
