#!/usr/bin/env bash
# Stops a tgtd started by tgt-start.sh, by pid, and removes its files.
#
#   scripts/tgt-stop.sh PID CONTROL_PORT [FILE…]
#
# Refuses a PID that is not a tgtd on CONTROL_PORT. Asks tgtd to go (tgtadm: delete every target with --force, then
# the system; tgtd ignores SIGTERM), waits up to 5 s, then SIGKILLs. Removes /var/run/tgtd/socket.CONTROL_PORT{,.lock}
# and every FILE given (the LUN backing files).
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
[[ $# -ge 2 ]] || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
pid=$1 control=$2
shift 2

if [[ -r /proc/$pid/cmdline ]]; then
    cmd=$(tr '\0' ' ' </proc/"$pid"/cmdline)
    if [[ $cmd != *tgtd* || $cmd != *"--control-port $control "* ]]; then
        echo "tgt-stop: pid $pid is not tgtd --control-port $control: $cmd" >&2
        exit 1
    fi
    for tid in $(tgtadm -C "$control" --lld iscsi --op show --mode target 2>/dev/null |
                 sed -n 's/^Target \([0-9]*\):.*/\1/p'); do
        tgtadm -C "$control" --lld iscsi --op delete --force --mode target --tid "$tid" || true
    done
    tgtadm -C "$control" --lld iscsi --op delete --mode system 2>/dev/null || true
    for ((i = 0; i < 250; i++)); do
        [[ -d /proc/$pid && $(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null) != Z ]] || break
        sleep 0.02
    done
    if [[ -d /proc/$pid && $(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null) != Z ]]; then
        echo "tgt-stop: tgtd $pid still running after 5 s: SIGKILL" >&2
        kill -9 "$pid" 2>/dev/null || true
    fi
fi
rm -f "/var/run/tgtd/socket.$control" "/var/run/tgtd/socket.$control.lock" "$@"
echo "tgt-stop: stopped tgtd $pid (control port $control)" >&2
