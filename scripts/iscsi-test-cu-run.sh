#!/usr/bin/env bash
# Runs every leaf test of the SCSI and iSCSI families of libiscsi's iscsi-test-cu against one target, one test per
# process and each under a timeout, and classifies each as PASS / SKIP (CUnit passed but libiscsi printed
# [SKIPPED]) / FAIL / TIMEOUT / ERROR (no CUnit summary) / NOTRUN (the test ran nothing).
#
#   scripts/iscsi-test-cu-run.sh OUTDIR "URL [URL2…]" [TIMEOUT_S] [HEALTH_CMD]
#
#   OUTDIR      where tests.txt, results.tsv (test<TAB>result), summary.txt and logs/TEST.log go (created)
#   URLS        one or more iSCSI URLs of the same LU through different portals, in one word-split argument. The
#               SCSI.MultipathIO tests get all of them (two or more paths to one LU); every other test the first.
#   TIMEOUT_S   per test, default 30
#   HEALTH_CMD  run after a TIMEOUT or ERROR; when it fails, that is noted in OUTDIR/unhealthy.txt
# Environment: TEST_LIST (default ../shared/tools/iscsi-test-cu-list.txt): the names, filtered to the leaf tests.
#
# A copy of the project's shared tool ../shared/tools/iscsi-test-cu-run.sh with the same classification (the tgt
# baseline ../shared/spec/iscsi-test-cu-tgt-baseline.tsv was made with it), adapted: several URLs for
# SCSI.MultipathIO, the list from the environment, the health command without a restart, the wall time per test
# in OUTDIR/seconds.tsv. Needs Debian's libiscsi-bin. -d allows destructive tests: use a scratch LUN only.
set -u
OUT=$1; URLS=$2; TO=${3:-30}; HEALTH=${4:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIST=${TEST_LIST:-$HERE/../../shared/tools/iscsi-test-cu-list.txt}
read -r -a urls <<<"$URLS"
mkdir -p "$OUT/logs"; : > "$OUT/results.tsv"; : > "$OUT/seconds.tsv"
grep -E '^(SCSI|iSCSI)\.[^.]+\.[^.]+$' "$LIST" > "$OUT/tests.txt"
while read -r T; do
  L="$OUT/logs/$T.log"
  targets=("${urls[0]}")
  [[ $T == SCSI.MultipathIO.* ]] && targets=("${urls[@]}")
  started=$EPOCHREALTIME
  timeout -k 5 "$TO" iscsi-test-cu -d "${targets[@]}" --test="$T" > "$L" 2>&1 < /dev/null
  rc=$?
  awk -v t="$T" -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%s\t%.2f\n", t, b - a }' >> "$OUT/seconds.tsv"
  line=$(grep -E '^ +tests +[0-9]' "$L" | tail -1)
  if [ $rc -ge 124 ]; then res=TIMEOUT
  elif [ -z "$line" ]; then res=ERROR
  else
    set -- $line; ran=$3; failed=$5
    if [ "$failed" != "0" ]; then res=FAIL
    elif [ "$ran" = "0" ]; then res=NOTRUN
    elif grep -q 'SKIPPED' "$L"; then res=SKIP
    else res=PASS; fi
  fi
  printf '%s\t%s\n' "$T" "$res" >> "$OUT/results.tsv"
  if [ "$res" = TIMEOUT ] || [ "$res" = ERROR ]; then
    if [ -n "$HEALTH" ] && ! bash -c "$HEALTH" > /dev/null 2>&1; then
      echo "$T: target unhealthy after $res" >> "$OUT/unhealthy.txt"
    fi
  fi
done < "$OUT/tests.txt"
awk -F'\t' '{split($1,a,"."); c[a[1]" "$2]++; t[$2]++} END {for (k in c) print k, c[k]; for (k in t) print "TOTAL", k, t[k]}' \
  "$OUT/results.tsv" | sort > "$OUT/summary.txt"
cat "$OUT/summary.txt"
