#!/usr/bin/env bash
# Runs the whole test suite: unit tests, real-socket tests and real-process tests.
# Extra arguments go to Maven, e.g. ./test.sh -pl corral -Dtest=ConnectionIT
set -euo pipefail
cd "$(dirname "$0")"
exec ./mvnw -B verify "$@"
