#!/usr/bin/env bash
# Chaos under load, Corral beside the reference. Constant load on 127.0.0.1 (keep-alive and fresh HTTP connections,
# WebSocket clients that reconnect when closed) for a bounded time, while Corral gets CHAOS_HUPS reloads,
# CHAOS_KILLS kill -9s of random workers, one deliberately broken deploy (a release without the app class, then
# the good one again) and one USR2 binary upgrade (then TERM to the old master). Gunicorn + Uvicorn + FastAPI gets
# the same load and the same number of HUPs (it has no safe equivalent of the rest). Prints one JSON line per stack:
# requests, failures by kind and by the event sent last before each failed (so per HUP), WebSocket closes by code
# and reconnects.
#
# The events come CHAOS_SECONDS / (events + 1) apart, each after the previous one has settled (a reload done, a
# replacement ready), and the load runs until 5 s after the last.
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

load() { # STACK: runs the load in the background (at most 3 × SECONDS), its JSON into $work/STACK.json
    node bench/node/chaos-load.mjs "$port" /health $((seconds * 3)) "${clients[@]}" >"$work/$1.json" &
    load_pid=$!
    : >"$work/$1.events"
}
end_load() { # lets the load run 5 s past the last event, then stops it and waits for its report
    sleep 5
    kill -TERM "$load_pid"
    wait "$load_pid"
}
event() { # STACK KIND: when an event was sent (epoch ms), for blaming failed requests on it
    echo "$(date +%s%3N) $2" >>"$work/$1.events"
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
report() { # STACK
    local stack=$1
    /usr/bin/python3 - "$stack" "$work/$stack.json" <<'PY' | tee -a "${CHAOS_ROWS:-/dev/null}"
import json, sys
stack, path, events = sys.argv[1], sys.argv[2], sys.argv[3:]
row = json.load(open(path))
timeline = [line.split() for line in open(path.replace(".json", ".events"))]
# A failed request is blamed on the last event sent before it failed ("none" before the first).
blamed = {}
for at in row.pop("failed_at"):
    cause = "none"
    for when, kind in timeline:
        if float(when) <= at:
            cause = kind
    blamed[cause] = blamed.get(cause, 0) + 1
counts = {}
for _, kind in timeline:
    counts[kind] = counts.get(kind, 0) + 1
row.update(kind="chaos", stack=stack, events=counts, failed_total=sum(row["failed"].values()),
           failed_after=blamed,
           failed_per_hup=round(blamed.get("HUP", 0) / counts["HUP"], 2) if counts.get("HUP") else None)
print(json.dumps(row))
PY
}

# --- Corral -------------------------------------------------------------------------------------------------------
: >"$work/error.log"
printf 'classpath = %s\n' "$good_cp" >"$work/corral.conf"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx64m -cp "$good_cp" \
    io.corral.cli.Main -c "$work/corral.conf" -w "$workers" -b "127.0.0.1:$port" --pid "$work/corral.pid" \
    --error-logfile "$work/error.log" io.corral.examples.HelloApp &
await_health
await_log "worker $workers (pid"
load corral
events=$((hups + kills + 2))
pause=$(awk -v s="$seconds" -v n="$events" 'BEGIN { printf "%.1f", s / (n + 1) }')
done_hups=0; done_kills=0
for step in $(seq "$events"); do
    sleep "$pause"
    master=$(cat "$work/corral.pid")
    if [ "$step" -eq 3 ]; then  # a release without the app class: the new generation cannot load it
        printf 'classpath = %s\n' "$libs" >"$work/corral.conf"
        n=$(lines); event corral BROKEN-DEPLOY; kill -HUP "$master"; await_log "Reload failed" "$n"
        printf 'classpath = %s\n' "$good_cp" >"$work/corral.conf"
        echo "chaos: broken deploy refused, old generation serving"
    elif [ "$step" -eq "$events" ]; then
        n=$(lines); event corral USR2; kill -USR2 "$master"; await_log "the new master (pid .*) serves" "$n"
        sleep "$pause"
        event corral TERM-OLD-MASTER; kill -TERM "$master"
        echo "chaos: USR2: new master $(cat "$work/corral.pid") serves; old master $master stopped"
    elif [ $((step % 2)) -eq 0 ] && [ "$done_kills" -lt "$kills" ]; then
        victim=$(pgrep -P "$master" -f WorkerMain | shuf -n 1)
        n=$(lines); event corral KILL; kill -KILL "$victim"; done_kills=$((done_kills + 1))
        echo "chaos: kill -9 worker $victim"; await_log "worker .* ready" "$n"
    elif [ "$done_hups" -lt "$hups" ]; then
        n=$(lines); event corral HUP; kill -HUP "$master"; await_log "Reload done" "$n"; done_hups=$((done_hups + 1))
        echo "chaos: HUP $done_hups done"
    fi
done
end_load
kill -TERM "$(cat "$work/corral.pid")"
for _ in $(seq 300); do pgrep -f "127.0.0.1:$port" >/dev/null || break; sleep 0.1; done
report corral

# --- the reference: the same load, the same number of HUPs ----------------------------------------------------------
rm -f /tmp/corral-reference-chat.db*
gunicorn main:app -k uvicorn.workers.UvicornWorker -b "127.0.0.1:$port" -w "$workers" --chdir bench/reference \
    --log-level warning --pid "$work/gunicorn.pid" 2>"$work/gunicorn.log" &
await_health
sleep 2
load reference
pause=$(awk -v s="$seconds" -v n="$hups" 'BEGIN { printf "%.1f", s / (n + 1) }')
for _ in $(seq "$hups"); do sleep "$pause"; event reference HUP; kill -HUP "$(cat "$work/gunicorn.pid")"; done
end_load
kill -TERM "$(cat "$work/gunicorn.pid")"
for _ in $(seq 300); do pgrep -f "127.0.0.1:$port" >/dev/null || break; sleep 0.1; done
report reference
