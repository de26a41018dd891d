#!/usr/bin/env bash
# Installs the real peers the tests and the demo run against (Debian packages):
#   tgt           tgtd, tgtadm           the reference iSCSI array
#   libiscsi-bin  iscsi-ls, iscsi-inq,   the reference initiator tools and conformance suite
#                 iscsi-perf, iscsi-test-cu
#   libnbd-bin    nbdinfo, nbdcopy       the reference NBD clients (export tests)
#   qemu-utils    qemu-img, qemu-io      NBD client over nbd:// URIs (convert/compare, FUA/TRIM/WRITE_ZEROES)
#   fio           fio (nbd engine)       verified I/O and benchmarks through the NBD export
#   chromium      chromium               the browser the web page's tests drive (Playwright, never downloaded)
# and the page tests' npm packages (playwright-core) into gateway/src/test/web/node_modules with npm ci.
# Idempotent: does nothing when every tool is already there. Uses sudo when not root.
set -euo pipefail

tools=(tgtd tgtadm iscsi-ls iscsi-inq iscsi-perf iscsi-test-cu nbdinfo nbdcopy qemu-img qemu-io fio chromium)
packages=(tgt libiscsi-bin libnbd-bin qemu-utils fio chromium)

missing() {
    local t out=()
    for t in "${tools[@]}"; do
        PATH="$PATH:/usr/sbin:/sbin" command -v "$t" >/dev/null 2>&1 || out+=("$t")
    done
    echo "${out[*]}"
}

# The browser tests' node packages (package-lock.json pins them); npm needs the registry only this once.
web="$(cd "$(dirname "$0")/.." && pwd)/gateway/src/test/web"
if [[ ! -d "$web/node_modules/playwright-core" ]]; then
    if command -v npm >/dev/null 2>&1; then
        (cd "$web" && npm ci --no-audit --no-fund)
    else
        echo "install-test-peers: npm not found; the web page's browser tests will be skipped (install nodejs and npm)" >&2
    fi
fi

todo=$(missing)
if [[ -z "$todo" ]]; then
    echo "install-test-peers: present: ${tools[*]}"
    exit 0
fi
echo "install-test-peers: missing: $todo; installing ${packages[*]}"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-peers: apt-get not found; install ${packages[*]} (Debian names) by hand" >&2
    exit 1
fi
as_root=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-test-peers: not root and no sudo; as root run: apt-get install ${packages[*]}" >&2
        exit 1
    fi
    as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"

todo=$(missing)
if [[ -n "$todo" ]]; then
    echo "install-test-peers: still missing after install: $todo" >&2
    exit 1
fi
echo "install-test-peers: installed: ${tools[*]}"
