#!/usr/bin/env bash
# Chat throughput and delivery latency, Corral Chat (SQLite and MariaDB) beside the reference FastAPI chat: 16
# clients post to one room for a bounded time on 127.0.0.1 while one WebSocket member of the room times each
# message from its post to its delivery; 1 and 2 workers. Prints posts/s, post p50/p99 and delivery p50/p99;
# bench/run.sh runs the same scenario and puts it in docs/benchmarks.md.
# Knobs: BENCH_CHAT_SECONDS (3), BENCH_CHAT_ROUNDS (3), BENCH_MARIADB, SKIP_BUILD=1.
exec env BENCH_SCENARIOS=chat "$(dirname "$0")/run.sh" "$@"
