# Sourced by scripts/conformance.sh: after the runs, `report` prints docs/conformance.md and fills `regressions`
# (tests that pass against tgt and not against one of our runs). Reads $work/RUN/{results.tsv,logs,elapsed} for each
# RUN of ${runs[@]} (tgt first), $work/{command,commit,date,timeout} written at the start of the run, $NOTES,
# $BASELINE, and the variables of conformance.sh.

declare -A res=() note=()
regressions=()
CLASSES=(PASS SKIP FAIL TIMEOUT ERROR NOTRUN)
MARKER='<!-- analysis: everything below this line is written by hand and kept by scripts/conformance.sh -->'

load_results() {
    local r t v
    for r in "${runs[@]}"; do
        while IFS=$'\t' read -r t v; do res[$r,$t]=$v; done <"$work/$r/results.tsv"
    done
    if [[ -f $BASELINE ]]; then
        while IFS=$'\t' read -r t v; do res[baseline,$t]=$v; done <"$BASELINE"
    fi
    while IFS=$'\t' read -r t v; do
        [[ -z $t || $t == \#* ]] || note[$t]=$v
    done <"$NOTES"
    mapfile -t tests <"$work/tgt/tests.txt"
    for t in "${tests[@]}"; do
        [[ ${res[tgt,$t]} == PASS ]] || continue
        for r in "${runs[@]:1}"; do
            [[ ${res[$r,$t]} == PASS ]] || { regressions+=("$t ($r: ${res[$r,$t]})"); break; }
        done
    done
}

# why RUN TEST: one line from the test's log (or the notes file, for ours) that says why it did not pass
why() {
    local r=$1 t=$2 log=$work/$1/logs/$2.log line=""
    if [[ $r != tgt && -n ${note[$t]:-} ]]; then
        sed 's/|/\\|/g' <<<"${note[$t]}"
        return
    else
        case ${res[$r,$t]} in
            SKIP) line=$(grep -m1 -o '\[SKIPPED\].*' "$log" || true) ;;
            FAIL) line=$(grep -m1 -o '\[FAILED\].*' "$log" || grep -m1 -E '^ +[0-9]+\. ' "$log" || true) ;;
            TIMEOUT) line="no result within $timeout_s s" ;;
            ERROR) line="no CUnit summary; last line: $(grep -v '^\s*$' "$log" | tail -1 || true)" ;;
            NOTRUN) line="the test ran nothing" ;;
        esac
    fi
    line=$(sed 's/^ *//; s/|/\\|/g' <<<"$line")
    ((${#line} <= 200)) || line="${line:0:197}..."
    echo "$line"
}

when() {    # N TEXT: TEXT when N is not 0
    if (($1)); then printf '%s' "$2"; fi
}

count() {   # RUN CLASS [FAMILY-PREFIX]
    local n=0 t
    for t in "${tests[@]}"; do
        [[ $t == "${3:-}"* && ${res[$1,$t]:-} == "$2" ]] && n=$((n + 1))
    done
    echo $n
}

title() {
    case $1 in
        tgt) echo "tgt" ;;
        ours) echo "ours" ;;
        ours-crc32c) echo "ours, CRC32C" ;;
        ours-4k) echo "ours, 4 KiB physical" ;;
        baseline) echo "tgt baseline" ;;
    esac
}

totals_table() {
    local r c row
    row="| result |"; for r in "${runs[@]}" baseline; do row+=" $(title "$r") |"; done; echo "$row"
    row="|---|"; for r in "${runs[@]}" baseline; do row+="---:|"; done; echo "$row"
    for c in "${CLASSES[@]}"; do
        row="| $c |"; for r in "${runs[@]}" baseline; do row+=" $(count "$r" "$c") |"; done; echo "$row"
    done
    row="| time |"
    for r in "${runs[@]}"; do row+=" $(cat "$work/$r/elapsed") s |"; done
    echo "$row |"
}

family_table() {
    local f r row p s n
    row="| family | tests |"; for r in "${runs[@]}"; do row+=" $(title "$r") |"; done; echo "$row"
    row="|---|---:|"; for r in "${runs[@]}"; do row+="---|"; done; echo "$row"
    for f in $(printf '%s\n' "${tests[@]}" | cut -d. -f1-2 | uniq); do
        row="| $f | $(count_prefix "$f.") |"
        for r in "${runs[@]}"; do
            p=$(count "$r" PASS "$f.") s=$(count "$r" SKIP "$f.")
            n=$(( $(count_prefix "$f.") - p - s ))
            row+=" $p pass$(when "$s" ", $s skip")$(when "$n" ", **$n not ok**") |"
        done
        echo "$row"
    done
}

count_prefix() {
    local n=0 t
    for t in "${tests[@]}"; do [[ $t == "$1"* ]] && n=$((n + 1)); done
    echo $n
}

differences_table() {
    local t r differs row reason
    row="| test |"; for r in "${runs[@]}"; do row+=" $(title "$r") |"; done; echo "$row why |"
    row="|---|"; for r in "${runs[@]}"; do row+="---|"; done; echo "$row---|"
    for t in "${tests[@]}"; do
        differs=0
        for r in "${runs[@]:1}"; do [[ ${res[$r,$t]} == "${res[tgt,$t]}" ]] || differs=1; done
        ((differs)) || continue
        row="| $t |"; for r in "${runs[@]}"; do row+=" ${res[$r,$t]} |"; done
        reason=$(our_reasons "$t")
        [[ -n $reason || ${res[tgt,$t]} == PASS ]] || reason="tgt: $(why tgt "$t")"
        echo "$row $reason |"
    done
}

# our_reasons TEST: "RUN, RUN: why" for each distinct reason of our runs that did not pass
our_reasons() {
    local r w out="" titles=""
    local -A by=()
    local -a order=()
    for r in "${runs[@]:1}"; do
        [[ ${res[$r,$1]} != PASS ]] || continue
        w=$(why "$r" "$1")
        [[ -n ${by[$w]:-} ]] || order+=("$w")
        by[$w]+="${by[$w]:+; }$(title "$r")"
    done
    for w in "${order[@]}"; do out+="${out:+ }${by[$w]}: $w"; done
    echo "$out"
}

same_not_passing() {
    local t r
    echo "| test | result | why (ours) |"
    echo "|---|---|---|"
    for t in "${tests[@]}"; do
        [[ ${res[ours,$t]} != PASS ]] || continue
        for r in "${runs[@]:1}"; do [[ ${res[$r,$t]} == "${res[tgt,$t]}" ]] || continue 2; done
        echo "| $t | ${res[ours,$t]} | $(why ours "$t") |"
    done
}

baseline_differences() {
    local t n=0
    [[ -f $BASELINE ]] || { echo "(no baseline file)"; return; }
    for t in "${tests[@]}"; do
        [[ ${res[baseline,$t]:-} == "${res[tgt,$t]}" ]] && continue
        echo "- $t: baseline ${res[baseline,$t]:-missing}, this run ${res[tgt,$t]}$(
            [[ ${res[tgt,$t]} == PASS ]] || echo ": $(why tgt "$t")")"
        n=$((n + 1))
    done
    ((n)) || echo "None: this run's tgt results equal the baseline test for test."
}

all_table() {
    local t r row
    row="| test |"; for r in "${runs[@]}"; do row+=" $(title "$r") |"; done; echo "$row"
    row="|---|"; for r in "${runs[@]}"; do row+="---|"; done; echo "$row"
    for t in "${tests[@]}"; do
        row="| $t |"; for r in "${runs[@]}"; do row+=" ${res[$r,$t]} |"; done; echo "$row"
    done
}

# the command line as given, with a --classpath value shortened
shown_command() {
    local a out="scripts/conformance.sh" skip=0
    for a in "${args[@]}"; do
        if ((skip)); then out+=" CP"; skip=0; continue; fi
        out+=" $a"
        [[ $a == --classpath ]] && skip=1
    done
    echo "$out"
}

run_args_lines() {
    local r
    for r in "${runs[@]:1}"; do echo "  - $(title "$r"): \`${RUN_ARGS[$r]}\`"; done
}

verdict() {
    if ((${#regressions[@]} == 0)); then
        echo "Every test that passes against tgt passes against ours, in each of our $((${#runs[@]} - 1)) runs."
    else
        echo "**Passes on tgt and not on ours: ${regressions[*]}.**"
    fi
}

report() {
    load_results
    local kept="" commit tp op
    [[ -f $out ]] && kept=$(sed -n "/^$(printf '%s' "$MARKER" | sed 's/[][\/.*^$]/\\&/g')\$/,\$p" "$out" | tail -n +2)
    commit=$(paste -sd, "$work/commit" | sed 's/,/, /')
    timeout_s=$(cat "$work/timeout")
    tp=$(count tgt PASS) op=$(count ours PASS)
    cat <<EOF
# Conformance: libiscsi's iscsi-test-cu against tgt and against our target

Generated by \`$(cat "$work/command")\` on $(cat "$work/date"), commit $commit.

Every result below comes from that one run: the whole list of ${#tests[@]} SCSI and iSCSI leaf tests
(\`../shared/tools/iscsi-test-cu-list.txt\`), one \`iscsi-test-cu\` process per test, against a private tgtd and against
\`io.mpathgw.iscsi.target.ConformanceTarget\` in $((${#runs[@]} - 1)) configurations, one run after the other on this machine.

**Score: ours $op pass, tgt $tp pass.** $(verdict)

## Totals

$(totals_table)

"tgt baseline" is \`../shared/spec/iscsi-test-cu-tgt-baseline.tsv\`, the bar set for issue 4 (recorded earlier, single URL).
Classes as \`scripts/iscsi-test-cu-run.sh\` assigns them: PASS; SKIP when CUnit passed but libiscsi printed
\`[SKIPPED]\` anywhere in the log (the target lacks a feature, or the test's precondition does not hold); FAIL;
TIMEOUT after $timeout_s s; ERROR when there is no CUnit summary; NOTRUN when CUnit ran nothing.

## Per family

$(family_table)

## Where we differ from tgt

Every test whose result on one of our runs is not tgt's. "why" is, for a test not passing on ours, the reason (from
\`scripts/conformance-notes.tsv\`, else the \`[SKIPPED]\`/\`[FAILED]\` line of its log); for a test we pass, tgt's line.

$(differences_table)

## Not passing on ours, as on tgt

$(same_not_passing)

## tgt in this run against the baseline

$(baseline_differences)

## Every test

<details><summary>${#tests[@]} tests</summary>

$(all_table)

</details>

## How it ran

- Command: \`$(cat "$work/command")\`; the logs of every test stay in \`${work#"$ROOT"/}/RUN/logs/\`.
- Per test: \`timeout -k 5 $timeout_s iscsi-test-cu -d URL --test=TEST\` (\`scripts/iscsi-test-cu-run.sh\`, the shared
  tool adapted); for \`SCSI.MultipathIO.*\` both URLs (two portals to one LU), every other test the first URL.
  \`-d\` allows the data-destroying tests: every disk here is a scratch RAM disk.
- tgt: \`scripts/tgt-start.sh --portals 2 --size 64M\`: one LUN, \`--bstype rdwr\` on a file in /dev/shm, 512-byte
  blocks, both portals in portal group 1.
- Ours: \`java -cp … io.mpathgw.iscsi.target.ConformanceTarget ARGS\`: one IscsiTarget with one SbcLogicalUnit over a
  MemoryBlockDevice (64 MiB, 512-byte blocks, thin provisioned, LBPRZ), two portals that are two SCSI target ports.
$(run_args_lines)
- Digests: libiscsi's tools offer \`HeaderDigest=None,CRC32C\` and ignore \`?header_digest=\` in the URL; tgt and ours
  both answer None (RFC 7143: the first value of the offer the target supports), so the "ours, CRC32C" run starts
  our target with \`--header-digest crc32c\`, which makes it answer CRC32C (\`TargetNode.requireHeaderDigest\`).
- \`--max-transfer-blocks 65536\` (32 MiB) instead of the LU's default 8 MiB: SCSI.WriteSame16.Unmap writes 65536
  blocks in one WRITE(16) whatever VPD 0xB0 announces; with 8 MiB it fails with INVALID FIELD IN CDB, as announced.
- \`--physical-block-exponent 3\` ("ours, 4 KiB physical") reports 8 logical blocks per physical block in READ
  CAPACITY(16), which the UnmapUnaligned and InvalidDataOutSize tests need (they skip with "LBPPB < 2" otherwise).

## Machine and versions

- CPUs (nproc): $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); memory $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
- OS: Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -srm)
- libiscsi-bin $(dpkg-query -W -f '${Version}' libiscsi-bin 2>/dev/null || echo '?'), tgt $(dpkg-query -W -f '${Version}' tgt 2>/dev/null || echo '?')
- java: $(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)

$MARKER
$(if [[ -n $kept ]]; then echo "$kept"; else printf '\n## Analysis\n\n(to be written after a run)\n'; fi)
EOF
}
