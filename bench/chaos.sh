#!/usr/bin/env bash
# Chaos under load, Corral beside the reference. Constant load on 127.0.0.1 (keep-alive and fresh HTTP connections,
# WebSocket clients that reconnect when closed) for a bounded time, while Corral gets CHAOS_HUPS reloads,
# CHAOS_KILLS kill -9s of random workers, one deliberately broken deploy (a release without the app class, then
# the good one again) and one USR2 binary upgrade (then TERM to the old master). Gunicorn + Uvicorn + FastAPI gets
# the same load and the same number of HUPs (it has no safe equivalent of the rest). Prints one JSON line per stack:
# requests, failures by kind, WebSocket closes by code and reconnects.
#
# Usage: bench/chaos.sh     Knobs: CHAOS_SECONDS (60), CHAOS_HUPS (5), CHAOS_KILLS (3), CHAOS_WORKERS (2),
#                           CHAOS_ROWS (a file to append the JSON lines to), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk25.sh

seconds="${CHAOS_SECONDS:-60}"
hups="${CHAOS_HUPS:-5}"
kills="${CHAOS_KILLS:-3}"
workers="${CHAOS_WORKERS:-2}"
port=18191
clients=(8 4 20)  # keep-alive, fresh, WebSocket
command -v node >/dev/null || { echo "chaos: node is missing: apt-get install nodejs npm" >&2; exit 1; }
command -v gunicorn >/dev/null || { echo "chaos: gunicorn is missing: run bench/run.sh once, or apt-get install" \
    "gunicorn python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-websockets" >&2; exit 1; }
[ -d bench/node/node_modules/ws ] || npm ci --prefix bench/node --no-audit --no-fund --loglevel=error
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests package
libs="$(cat examples/target/classpath.txt)"
good_cp="$(ls examples/target/corral-examples-*.jar | head -n 1):$libs"

work=$(mktemp -d)
[ -z "${CHAOS_KEEP:-}" ] || echo "chaos: logs kept in $work"
trap 'pkill -KILL -f "127.0.0.1:$port" 2>/dev/null || true; [ -n "${CHAOS_KEEP:-}" ] || rm -rf "$work"' EXIT

load() { # STACK: runs the load in the background, its JSON into $work/STACK.json
    node bench/node/chaos-load.mjs "$port" /health "$seconds" "${clients[@]}" >"$work/$1.json" &
    load_pid=$!
}
await_health() {
    for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && return 0; sleep 0.1; done
    echo "chaos: no answer on port $port" >&2; return 1
}
await_log() { # PATTERN [SKIP_LINES]: waits up to 60 s for a line of the error log after the first SKIP_LINES
    for _ in $(seq 600); do
        tail -n +"$(( ${2:-0} + 1 ))" "$work/error.log" | grep -q -- "$1" && return 0
        sleep 0.1
    done
    echo "chaos: no log line '$1'" >&2; return 1
}
lines() { wc -l <"$work/error.log"; }
report() { # STACK EVENTS...
    local stack=$1; shift
    /usr/bin/python3 - "$stack" "$work/$stack.json" "$@" <<'PY' | tee -a "${CHAOS_ROWS:-/dev/null}"
import json, sys
stack, path, events = sys.argv[1], sys.argv[2], sys.argv[3:]
row = json.load(open(path))
row.update(kind="chaos", stack=stack, events=" ".join(events), failed_total=sum(row["failed"].values()))
print(json.dumps(row))
PY
}

# --- Corral -------------------------------------------------------------------------------------------------------
printf 'classpath = %s\n' "$good_cp" >"$work/corral.conf"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx64m -cp "$good_cp" \
    io.corral.cli.Main -c "$work/corral.conf" -w "$workers" -b "127.0.0.1:$port" --pid "$work/corral.pid" \
    --error-logfile "$work/error.log" io.corral.examples.HelloApp &
await_health
await_log "worker $workers (pid"
load corral
events=$((hups + kills + 2))
pause=$(awk -v s="$seconds" -v n="$events" 'BEGIN { printf "%.1f", s / (n + 1) }')
done_hups=0; done_kills=0; generation=1
for step in $(seq "$events"); do
    sleep "$pause"
    master=$(cat "$work/corral.pid")
    if [ "$step" -eq 3 ]; then  # a release without the app class: the new generation cannot load it
        printf 'classpath = %s\n' "$libs" >"$work/corral.conf"
        n=$(lines); kill -HUP "$master"; await_log "Reload failed" "$n"
        printf 'classpath = %s\n' "$good_cp" >"$work/corral.conf"
        echo "chaos: broken deploy refused, old generation serving"
    elif [ "$step" -eq "$events" ]; then
        n=$(lines); kill -USR2 "$master"; await_log "the new master (pid .*) serves" "$n"
        kill -TERM "$master"
        echo "chaos: USR2: new master $(cat "$work/corral.pid") serves; old master $master stopped"
    elif [ $((step % 2)) -eq 0 ] && [ "$done_kills" -lt "$kills" ]; then
        victim=$(pgrep -P "$master" -f WorkerMain | shuf -n 1)
        kill -KILL "$victim"; done_kills=$((done_kills + 1)); echo "chaos: kill -9 worker $victim"
    elif [ "$done_hups" -lt "$hups" ]; then
        n=$(lines); kill -HUP "$master"; await_log "Reload done" "$n"; done_hups=$((done_hups + 1))
        echo "chaos: HUP $done_hups done"
    fi
done
wait "$load_pid"
kill -TERM "$(cat "$work/corral.pid")"
for _ in $(seq 300); do pgrep -f "127.0.0.1:$port" >/dev/null || break; sleep 0.1; done
report corral "${done_hups}xHUP" "${done_kills}xKILL" "1xbroken-deploy" "1xUSR2"

# --- the reference: the same load, the same number of HUPs ----------------------------------------------------------
rm -f /tmp/corral-reference-chat.db*
gunicorn main:app -k uvicorn.workers.UvicornWorker -b "127.0.0.1:$port" -w "$workers" --chdir bench/reference \
    --log-level warning --pid "$work/gunicorn.pid" 2>"$work/gunicorn.log" &
await_health
sleep 2
load reference
pause=$(awk -v s="$seconds" -v n="$hups" 'BEGIN { printf "%.1f", s / (n + 1) }')
for _ in $(seq "$hups"); do sleep "$pause"; kill -HUP "$(cat "$work/gunicorn.pid")"; done
wait "$load_pid"
kill -TERM "$(cat "$work/gunicorn.pid")"
for _ in $(seq 300); do pgrep -f "127.0.0.1:$port" >/dev/null || break; sleep 0.1; done
report reference "${hups}xHUP"
