#!/usr/bin/python3
"""One row of bench/run.sh from the JSON lines of its rounds (one per round, on standard input): counts are summed,
every other number is the median of the rounds, and each FIELD named on the command line also keeps its rounds as
FIELD_rounds, for the per-round ratios of report.py.

Usage: combine.py KIND STACK WORKERS [FIELD...]
"""
import json
import statistics
import sys

SUMMED = {"sent", "expected", "delivered", "posted", "failed"}
kind, stack, workers, kept = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
rounds = [json.loads(line) for line in sys.stdin if line.strip()]
row = {}
for key, first in rounds[0].items():
    values = [r[key] for r in rounds if key in r]
    if key in SUMMED:
        row[key] = sum(values)
    elif isinstance(first, (int, float)) and not isinstance(first, bool):
        row[key] = round(statistics.median(values), 3)
    else:
        row[key] = first
for field in kept:
    row[field + "_rounds"] = [r[field] for r in rounds]
row.update(kind=kind, stack=stack, workers=workers, rounds=len(rounds))
print(json.dumps(row))
