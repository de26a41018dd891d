#!/usr/bin/env bash
# Starts a private tgtd (Debian tgt) on free loopback ports with one RAM-backed disk LUN, for demos and shell tests.
#
#   scripts/tgt-start.sh [--portals N] [--size BYTES|64M] [--iqn IQN] [--chap USER:SECRET] [--host ADDR] [--log FILE]
#
# Prints shell assignments on stdout (eval them), progress on stderr:
#   PID=… CONTROL_PORT=… PORT=… PORTS="P1 P2" HOST=… IQN=… LUN=1 BACKING=/dev/shm/… LOG=… URL=iscsi://HOST:PORT/IQN/1
# Stop it with: scripts/tgt-stop.sh "$PID" "$CONTROL_PORT" "$BACKING"
# (tgtd ignores SIGTERM; tgt-stop.sh asks tgtadm, then falls back to SIGKILL.)
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

portals=1 size=64M iqn="iqn.2026-11.io.mpathgw.demo:disk1" chap="" host=127.0.0.1 log=""
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --portals) portals=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --iqn) iqn=$2; shift 2 ;;
        --chap) chap=$2; shift 2 ;;
        --host) host=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "tgt-start: unknown argument: $1" >&2; usage ;;
    esac
done
[[ $portals =~ ^[1-9][0-9]?$ ]] || { echo "tgt-start: --portals $portals (expected: 1..99)" >&2; exit 2; }
for t in tgtd tgtadm; do
    command -v "$t" >/dev/null || { echo "tgt-start: $t missing: run scripts/install-test-peers.sh" >&2; exit 1; }
done

port_taken() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
free_port() {
    local p
    while :; do
        p=$(( 20000 + RANDOM % 40000 ))
        port_taken "$p" || { echo "$p"; return; }
    done
}
free_control_port() {                           # tgtd takes -C up to 32767 only
    local n
    while :; do
        n=$(( 10000 + RANDOM % 22768 ))
        [[ -e /var/run/tgtd/socket.$n ]] || { echo "$n"; return; }
    done
}
adm() { tgtadm -C "$control" --lld iscsi "$@"; }

# One attempt: start tgtd, wait until it answers and lists every portal. 0 ready, 1 retry with other ports.
launch() {
    local arg="" p i out
    for p in "${ports[@]}"; do arg+="${arg:+,}portal=$host:$p"; done
    echo "# tgtd -f --control-port $control --iscsi $arg" >>"$log"
    setsid tgtd -f --control-port "$control" --iscsi "$arg" </dev/null >>"$log" 2>&1 &
    pid=$!
    for ((i = 0; i < 500; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1                    # exited: control port taken
        if out=$(adm --op show --mode portal 2>/dev/null); then
            local all=1
            for p in "${ports[@]}"; do grep -q "Portal: $host:$p," <<<"$out" || all=0; done
            ((all)) && return 0
            ((i > 100)) && { kill -9 "$pid"; wait "$pid" 2>/dev/null; return 1; }   # a portal could not bind
        fi
        sleep 0.02
    done
    kill -9 "$pid"; return 1
}

for attempt in 1 2 3 4 5 6 7 8; do
    control=$(free_control_port)
    ports=()
    while ((${#ports[@]} < portals)); do
        p=$(free_port)
        [[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
    done
    [[ -n $log ]] || log="$root/target/tgt-${ports[0]}.log"
    mkdir -p "$(dirname "$log")"
    if launch; then break; fi
    echo "tgt-start: attempt $attempt failed (port taken?), see $log" >&2
    log=""
    [[ $attempt -lt 8 ]] || exit 1
done

backing="/dev/shm/mpathgw-tgt-$control-t1-l1.img"
[[ -d /dev/shm ]] || backing="${TMPDIR:-/tmp}/mpathgw-tgt-$control-t1-l1.img"
serial=$(printf '%08x%04x%04x' "$control" 1 1)
{
    truncate -s "$size" "$backing"
    adm --op new --mode target --tid 1 -T "$iqn"
    adm --op new --mode logicalunit --tid 1 --lun 1 -b "$backing" --bstype rdwr
    adm --op update --mode logicalunit --tid 1 --lun 1 --params "scsi_id=MPGW-$serial,scsi_sn=$serial"
    adm --op bind --mode target --tid 1 -I ALL
    if [[ -n $chap ]]; then
        adm --op new --mode account --user "${chap%%:*}" --password "${chap#*:}"
        adm --op bind --mode account --tid 1 --user "${chap%%:*}"
    fi
} || { "$root/scripts/tgt-stop.sh" "$pid" "$control" "$backing" >&2; exit 1; }

cat <<OUT
PID=$pid
CONTROL_PORT=$control
HOST=$host
PORT=${ports[0]}
PORTS="${ports[*]}"
IQN=$iqn
LUN=1
BACKING=$backing
LOG=$log
URL=iscsi://$host:${ports[0]}/$iqn/1
OUT
