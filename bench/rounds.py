#!/usr/bin/python3
"""One HTTP row of bench/run.sh from its rounds: the median of each figure, the sums of requests and errors.

Usage: report lines "stack route rps p50_ms p99_ms requests socket_errors non2xx cpu_ticks" on standard input,
       rounds.py STACK WORKERS ROUTE CLK_TCK
Prints the row (JSON) on standard output and a line for the operator on standard error.
"""
import json
import statistics
import sys

stack, workers, route, hz = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
samples = [line.split() for line in sys.stdin if line.strip()]
rps = [float(s[2]) for s in samples]
cpu = [round(int(s[8]) / hz * 1e6 / int(s[5]), 2) for s in samples]
row = {
    "kind": "http", "stack": stack, "workers": workers, "route": route,
    "rps": round(statistics.median(rps), 2),
    "p50_ms": round(statistics.median(float(s[3]) for s in samples), 3),
    "p99_ms": round(statistics.median(float(s[4]) for s in samples), 3),
    "cpu_us_per_request": round(statistics.median(cpu), 2),
    "requests": sum(int(s[5]) for s in samples),
    "errors": sum(int(s[6]) + int(s[7]) for s in samples),
    "rps_rounds": rps,
    "cpu_us_rounds": cpu,
}
print(json.dumps(row))
print(f"  {stack} w={workers} {route}: {row['rps']:,.0f} req/s (rounds {', '.join(f'{x:,.0f}' for x in rps)}), "
      f"p99 {row['p99_ms']} ms, {row['cpu_us_per_request']} µs CPU/request", file=sys.stderr)
