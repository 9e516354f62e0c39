#!/usr/bin/env bash
# Runs the whole test suite: unit tests, real-socket tests and real-process tests.
# Extra arguments go to Maven, e.g. ./test.sh -pl corral -Dtest=ConnectionIT
# Tests that need a program this machine lacks (redis-server, node) say so and skip; .ci/run installs them all.
set -euo pipefail
cd "$(dirname "$0")"
# The tests' Node tools, pinned in their package-lock.json: the non-Java WebSocket client of the interop test
# (ws) and the driver of Debian's Chromium (playwright-core, no browser download).
if command -v npm >/dev/null; then
    for tools in corral/src/test/node chat/src/test/node; do
        [ -d "$tools/node_modules" ] || npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error
    done
fi
exec ./mvnw -B verify "$@"
