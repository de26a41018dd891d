#!/usr/bin/env bash
# The test command: installs the test peers (tgt, libiscsi tools), then builds and runs every test.
#   ./scripts/test.sh                       everything `mvn verify` runs (JUnit tag "slow" left out)
#   ./scripts/test.sh -pl iscsi             extra arguments go to Maven
#   ./scripts/test.sh -Dtest.excludedGroups=none   include the slow tests
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

"$root/scripts/install-test-peers.sh"
for t in java mvn; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "test.sh: $t not found; on Debian: sudo apt-get install openjdk-17-jdk-headless maven" >&2
        exit 1
    fi
done
cd "$root"
exec mvn -B -ntp verify "$@"
