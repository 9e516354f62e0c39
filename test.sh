#!/usr/bin/env bash
# Runs the whole test suite: unit tests, real-socket tests and real-process tests.
# Extra arguments go to Maven, e.g. ./test.sh -pl corral -Dtest=ConnectionIT
# Tests that need a program this machine lacks (redis-server, node) say so and skip; .ci/run installs them all.
set -euo pipefail
cd "$(dirname "$0")"
# The non-Java WebSocket client of the interop test (Node's ws, pinned in package-lock.json).
node_client=corral/src/test/node
if command -v npm >/dev/null && [ ! -d "$node_client/node_modules/ws" ]; then
    npm ci --prefix "$node_client" --no-audit --no-fund --loglevel=error
fi
exec ./mvnw -B verify "$@"
