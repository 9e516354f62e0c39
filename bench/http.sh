#!/usr/bin/env bash
# HTTP throughput of one Corral worker: wrk against /health and /json of the example app on 127.0.0.1, bounded in
# time. Prints req/s, p50/p99 latency, server CPU µs per request and RSS, as a Markdown table, and saves it under
# bench/results/. Usage: bench/http.sh [SECONDS per run, default 10] [CONNECTIONS, default 64]
#
# On a 2-core machine wrk and the server compete for CPU, so they are pinned apart (server on CPU 1, wrk on CPU 0)
# and the server's CPU time per request is reported: it stays meaningful when wrk is the bottleneck.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk25.sh

duration="${1:-10}"
connections="${2:-64}"
port="${BENCH_PORT:-18097}"
jvm_flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx128m)

command -v wrk >/dev/null || { echo "bench: installing wrk (Debian)"; apt-get install -y -qq wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests package

cpus=$(nproc)
server_cpu=(); wrk_cpu=()
if [ "$cpus" -ge 2 ]; then server_cpu=(taskset -c 1); wrk_cpu=(taskset -c 0); fi

jar=$(ls examples/target/corral-examples-*.jar | head -n 1)
start_ns=$(date +%s%N)
"${server_cpu[@]}" "$JAVA_HOME/bin/java" "${jvm_flags[@]}" -cp "$jar:$(cat examples/target/classpath.txt)" \
    io.corral.cli.Main -b "127.0.0.1:$port" --log-level warning io.corral.examples.HelloApp &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT

# Ready = first 200 from /health; bounded at 30 s.
for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
rss_idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

# run PATH: prints "req/s p50 p99 cpu_us_per_req requests"
run() {
    local path=$1 out before after requests
    before=$(cpu_ticks)
    out=$("${wrk_cpu[@]}" wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$path")
    after=$(cpu_ticks)
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    awk -v out="$out" -v ticks=$((after - before)) -v hz="$clk_tck" -v n="$requests" 'BEGIN {
        split(out, lines, "\n")
        for (i in lines) {
            if (lines[i] ~ /Requests\/sec/) { split(lines[i], f, " "); rps = f[2] }
            if (lines[i] ~ /^ +50%/) { split(lines[i], f, " "); p50 = f[2] }
            if (lines[i] ~ /^ +99%/) { split(lines[i], f, " "); p99 = f[2] }
        }
        printf "%.0f %s %s %.1f %d\n", rps, p50, p99, ticks / hz * 1e6 / n, n
    }'
}

# Warm-up, unmeasured: both routes, so neither measurement pays for the JIT compiling the other's code.
for path in /health /json /health /json; do
    "${wrk_cpu[@]}" wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$port$path" >/dev/null
done
read -r h_rps h_p50 h_p99 h_cpu h_n < <(run /health)
read -r j_rps j_p50 j_p99 j_cpu j_n < <(run /json)
rss_loaded_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
report=$(cat <<MD
Corral, 1 worker, 1 event loop ($("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 | tr -d '"'), ${jvm_flags[*]:1})
wrk -t1 -c$connections -d${duration}s after a 12 s warm-up; server on CPU 1, wrk on CPU 0 of $cpus; $stamp

| Route | req/s | p50 | p99 | server CPU µs/req | requests |
|---|---|---|---|---|---|
| \`/health\` | $h_rps | $h_p50 | $h_p99 | $h_cpu | $h_n |
| \`/json\` | $j_rps | $j_p50 | $j_p99 | $j_cpu | $j_n |

Start to first 200: ${ready_ms} ms. RSS: $((rss_idle_kb / 1024)) MB idle, $((rss_loaded_kb / 1024)) MB after load.
MD
)
echo "$report"
mkdir -p bench/results
echo "$report" > "bench/results/http-$(date -u +%Y%m%dT%H%M%SZ).md"
