#!/usr/bin/env bash
# WebSocket broadcast, Corral beside the reference (FastAPI's own broadcast, which reaches only the clients of the
# worker that received the message): N clients in one room over W workers, one publisher at a fixed rate for a
# bounded time, on 127.0.0.1. Prints delivered msg/s and p50/p99 delivery latency per stack and worker count;
# bench/run.sh runs the same scenario and puts it in docs/benchmarks.md.
# Knobs: BENCH_WS_CLIENTS (200), BENCH_WS_RATE (100), BENCH_WS_SECONDS (3), BENCH_WS_ROUNDS (3), SKIP_BUILD=1.
exec env BENCH_SCENARIOS=ws "$(dirname "$0")/run.sh" "$@"
