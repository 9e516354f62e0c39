#!/usr/bin/python3
"""Turns bench/run.sh's rows into bench/results/STAMP.json, plots in docs/img/, and docs/benchmarks.md.

Usage: report.py ROWS.jsonl STAMP "how the load was generated"
Standard library only: it runs with Debian's python3 and gnuplot.
"""
import glob
import json
import os
import subprocess
import sys

ROWS, STAMP, SETUP = sys.argv[1], sys.argv[2], sys.argv[3]
RESULTS = f"bench/results/{STAMP}.json"
DOC = "docs/benchmarks.md"
IMG = "docs/img"

def by_server(rows):
    """A run's HTTP, process, WebSocket and chat rows, keyed by the server (and route) they measure."""
    return ({(r["stack"], r["workers"], r["route"]): r for r in rows if r["kind"] == "http"},
            {(r["stack"], r["workers"]): r for r in rows if r["kind"] == "process"},
            {(r["stack"], r["workers"]): r for r in rows if r["kind"] == "ws"},
            {(r["stack"], r["workers"]): r for r in rows if r["kind"] == "chat"})


rows = [json.loads(line) for line in open(ROWS) if line.strip()]
http, proc, ws, chat = by_server(rows)
hup = {(r["stack"], r.get("interval", 3)): r for r in rows if r["kind"] == "hup"}
chaos = {r["stack"]: r for r in rows if r["kind"] == "chaos"}
release = next((r for r in rows if r["kind"] == "release"), None)
weight = {(r["stack"], r["workers"]): r for r in rows if r["kind"] == "weight"}
run = next((r for r in rows if r["kind"] == "run"), None)
SECONDS = (run or {}).get("round_seconds", 3)  # of one HTTP measurement
workers = sorted({w for (_, w, _) in http if (("corral", w, "/health") in http)})


def ratio(a, b):
    return a / b if a and b else None


ROUNDS = {"rps": "rps_rounds", "cpu_us_per_request": "cpu_us_rounds", "p99_ms": "p99_ms_rounds", "p50_ms": "p50_ms_rounds",
          "posts_per_s": "posts_per_s_rounds"}


def paired(a, b, field):
    """a's figure over b's: the median of the per-round ratios when both rows have rounds (the servers of a round
    are measured back to back, so a drift of the machine cancels out within it), else the ratio of the figures."""
    xs, ys = a.get(ROUNDS[field]), b.get(ROUNDS[field])
    if xs and ys and len(xs) == len(ys) and all(ys):
        per_round = sorted(x / y for x, y in zip(xs, ys))
        middle = len(per_round) // 2
        return per_round[middle] if len(per_round) % 2 else (per_round[middle - 1] + per_round[middle]) / 2
    return ratio(a[field], b[field])


def fmt(x, digits=2):
    return "–" if x is None else f"{x:,.{digits}f}"


def ratios_of(rows):
    """The ratios that matter, by name: what the goals and the run-to-run comparison look at."""
    http, proc, ws, chat = by_server(rows)
    out = {}
    for w in sorted({w for (_, w, _) in http if (("corral", w, "/health") in http)}):
        for route in ("/health", "/json"):
            c, r = http.get(("corral", w, route)), http.get(("reference", w, route))
            if c and r:
                out[f"rps corral/reference w={w} {route}"] = paired(c, r, "rps")
                out[f"requests per CPU-second corral/reference w={w} {route}"] = paired(r, c, "cpu_us_per_request")
        for ceiling in ("netty", "nginx"):
            c, k = http.get(("corral", w, "/health")), http.get((ceiling, w, "/health"))
            if c and k:
                out[f"CPU µs/request corral/{ceiling} w={w}"] = paired(c, k, "cpu_us_per_request")
                out[f"rps corral/{ceiling} w={w}"] = paired(c, k, "rps")
        pc, pr = proc.get(("corral", w)), proc.get(("reference", w))
        if pc and pr:
            out[f"idle RSS per worker corral/reference w={w}"] = ratio(pc["rss_idle_kb"], pr["rss_idle_kb"])
    for wk in (1, 2):
        c, r = chat.get(("chat-sqlite", wk)), chat.get(("reference", wk))
        if c and r:
            out[f"chat posts/s corral-sqlite/reference w={wk}"] = paired(c, r, "posts_per_s")
    for wk in (1, 2):
        c, r = ws.get(("corral", wk)), ws.get(("reference", wk))
        # Only between servers doing the same work: at 2 workers the reference delivers a message to the clients of
        # the publisher's worker alone (28–44% of them), and its latency over that share swung the ratio by 25%.
        if c and r and min(x["delivered"] / x["expected"] for x in (c, r) if x["expected"]) >= 0.95:
            # p50: a p99 over a 3 s round is one GC pause or none (one round in three read 54 ms, the others 7-10).
            out[f"WebSocket p50 delivery latency reference/corral w={wk}"] = paired(r, c, "p50_ms")
    return out


ratios = ratios_of(rows)

with open(RESULTS, "w") as results:
    json.dump({"stamp": STAMP, "setup": SETUP, "rows": rows, "ratios": ratios}, results, indent=1)
    results.write("\n")

# The previous run, for the agreement check: the latest before this one (a report regenerated from an older run's
# rows compares with the run before it, not with a later one).
previous = None
for path in sorted(glob.glob("bench/results/*.json"), reverse=True):
    if os.path.basename(path) < os.path.basename(RESULTS):
        previous = json.load(open(path))
        break


def agreement():
    if not previous:
        return None, []
    drift = []
    # The previous run's ratios recomputed from its rows, so that both runs are read by the same method.
    before_ratios = ratios_of(previous["rows"]) if previous.get("rows") else previous["ratios"]
    for name, value in ratios.items():
        before = before_ratios.get(name)
        if value and before:
            drift.append((abs(value / before - 1), name, before, value))
    drift.sort(reverse=True)
    return previous["stamp"], drift


# --- plots ---------------------------------------------------------------------------------------------------------
os.makedirs(IMG, exist_ok=True)


def plot(name, title, ylabel, series):
    """series: list of (label, [(x, y)]) drawn as grouped bars over the worker counts."""
    data = f"bench/results/{STAMP}-{name}.dat"
    labels = [s[0] for s in series]
    with open(data, "w") as out:
        out.write("workers " + " ".join(f'"{l}"' for l in labels) + "\n")
        for w in workers:
            values = []
            for _, points in series:
                y = dict(points).get(w)
                values.append("NaN" if y is None else f"{y:.3f}")
            out.write(f"{w} " + " ".join(values) + "\n")
    columns = ", ".join(f"'{data}' using {i + 2}:xtic(1) title columnheader" for i in range(len(series)))
    script = f"""
set terminal pngcairo size 900,420 font 'DejaVu Sans,10'
set output '{IMG}/bench-{name}.png'
set title '{title}'
set ylabel '{ylabel}'
set xlabel 'workers'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key outside right top
set grid ytics
set yrange [0:*]
plot {columns}
"""
    subprocess.run(["gnuplot"], input=script.encode(), check=True)
    return f"img/bench-{name}.png"


def series(stack, route, field):
    return [(w, http[(stack, w, route)][field]) for w in workers if (stack, w, route) in http]


plots = [
    plot("rps", "Requests per second (wrk, 127.0.0.1)", "req/s", [
        ("Corral /health", series("corral", "/health", "rps")),
        ("reference /health", series("reference", "/health", "rps")),
        ("Corral /json", series("corral", "/json", "rps")),
        ("reference /json", series("reference", "/json", "rps")),
        ("raw Netty /health", series("netty", "/health", "rps")),
        ("Nginx return 200", series("nginx", "/health", "rps"))]),
    plot("cpu", "Server CPU per request (all processes)", "µs", [
        ("Corral /health", series("corral", "/health", "cpu_us_per_request")),
        ("reference /health", series("reference", "/health", "cpu_us_per_request")),
        ("Corral /json", series("corral", "/json", "cpu_us_per_request")),
        ("reference /json", series("reference", "/json", "cpu_us_per_request")),
        ("raw Netty", series("netty", "/health", "cpu_us_per_request"))]),
    plot("rss", "Resident memory per worker", "MB", [
        ("Corral idle", [(w, proc[("corral", w)]["rss_idle_kb"] / 1024) for w in workers if ("corral", w) in proc]),
        ("reference idle", [(w, proc[("reference", w)]["rss_idle_kb"] / 1024)
                            for w in workers if ("reference", w) in proc]),
        ("Corral loaded", [(w, proc[("corral", w)]["rss_loaded_kb"] / 1024)
                           for w in workers if ("corral", w) in proc]),
        ("reference loaded", [(w, proc[("reference", w)]["rss_loaded_kb"] / 1024)
                              for w in workers if ("reference", w) in proc])]),
]

# --- the document -------------------------------------------------------------------------------------------------
out = []
w = out.append
w("# Benchmarks")
w("")
w("<!-- Generated by bench/run.sh (bench/report.py) from bench/results/" + STAMP + ".json; do not edit. -->")
w("")
w("Every figure is Corral beside the stack it replaces, measured in the same run on the same machine: the reference")
w("is `gunicorn main:app -k uvicorn.workers.UvicornWorker -w N` serving `bench/reference/main.py` (FastAPI), from")
w("Debian's packages, exactly as `../shared/REFERENCE-DEPLOYMENT.md` runs it. Corral serves")
w("`io.corral.examples.HelloApp` with the same routes and bodies; like the reference's `async def` routes, which run")
w("on its event loop, HelloApp's `/health` and `/json` are `Handler.nonBlocking` (on Corral's event loop, no virtual")
w("thread). Ceilings, in the same run: a raw Netty epoll server")
w("answering the same bytes on the event loop (`bench/ceiling/RawNetty.java`, the limit of our engine) and Nginx")
w("`return 200` (the limit of the loopback path). Rerun with `bench/run.sh`; speed is never asserted in tests.")
w("")
took = f" It took {run['seconds'] // 60} min {run['seconds'] % 60} s after the build ({run['scenarios']})." if run else ""
w(f"**Run {STAMP}.** Load: {SETUP}.{took} Every server process (master and workers, for both stacks and the ceilings)")
w("runs on CPU 1 and wrk on CPU 0 (`taskset`), at every worker count: wrk takes a core, so the server has one core")
w("in any case, and pinning keeps wrk from stealing from it (unpinned, runs swung by up to 58% with how the kernel")
w("spread wrk's connections over the workers). wrk caps near 70–140k req/s here, so every HTTP row also gives the")
w("**server CPU time per")
w("request** (utime + stime of the master and all workers from `/proc/PID/stat`, before and after, divided by the")
w("requests served): it stays meaningful when the load generator is the limit.")
w("")
w("How each HTTP figure is taken: the servers of a group (Corral and the reference at 1 and at 2 workers with the two")
w("ceilings; then both at 8 workers) are started one after another and left running side by side, each on its own port;")
w("an idle server costs the others nothing. Each is warmed up by one rule: each route is loaded in chunks until CPU")
w("per request stops improving (the best of the last chunks is within 5% of the best before them): 2 s chunks, the")
w("last 2, at 1 and 2 workers; 5 s chunks, the last 4 and 8 at least, at 8, where each worker's JIT warms only on its")
w("eighth of the load (Corral's eight JVMs on one core take about 2 minutes). Then come rounds: in each, every server")
w(f"and route is measured once for {SECONDS} s (`/health` only at 8 workers, to keep the run in time), next to the servers it")
w("is compared with, and every other round runs backwards, so a drift of the host within a round lands on both sides")
w("of a ratio. At 8 workers wrk opens")
w("256 connections, 32 per worker as at 2: with 64, where the kernel put them decided the throughput and both stacks")
w("swung by ±20% from one load to the next (±5% with 256).")
w("Each figure is the median of the rounds; each ratio is the median of the per-round ratios, since the servers")
w("of a round are measured back to back. A drift of the machine (another tenant, the CPU's clock: this machine's")
w("throughput has been seen to drop 40% for all servers at once between two rounds) thus cancels out of the ratios;")
w("with one long run per server, one after the other, ratios moved by up to 72% between two runs. (Each server's best")
w("round instead was tried: over five pairs of runs it kept as many ratios within 15% as the median, `bench/misses.md`.)")
w("")
w("## Goals")
w("")
w("| Goal | Measured | Met |")
w("|---|---|---|")
goals = []
for wk in (1, 2):
    for route in ("/health", "/json"):
        v = ratios.get(f"requests per CPU-second corral/reference w={wk} {route}")
        goals.append((f"≥ 10× the reference's requests per CPU second, {route}, {wk} worker(s)", f"{fmt(v, 1)}×",
                      v is not None and v >= 10))
for wk in (1, 2):
    v = ratios.get(f"CPU µs/request corral/netty w={wk}")
    goals.append((f"≤ 1.15 × raw Netty's CPU per request, {wk} worker(s)", fmt(v), v is not None and v <= 1.15))
for wk in workers:
    v = ratios.get(f"idle RSS per worker corral/reference w={wk}")
    goals.append((f"idle RSS per worker ≤ the reference's, {wk} worker(s)", f"{fmt(v)}×", v is not None and v <= 1))
for name, measured, met in goals:
    w(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
w("")
w("Where a goal is missed, the section *Where Corral misses* below says why, with the profile.")
w("")
w("## HTTP")
w("")
w("| Workers | Route | Corral req/s | reference req/s | ratio | Corral p50 / p99 ms | reference p50 / p99 ms "
  "| Corral CPU µs/req | reference CPU µs/req | requests per CPU-s ratio |")
w("|---|---|---|---|---|---|---|---|---|---|")
for wk in workers:
    for route in ("/health", "/json"):
        c, r = http.get(("corral", wk, route)), http.get(("reference", wk, route))
        if not (c and r):
            continue
        w(f"| {wk} | `{route}` | {fmt(c['rps'], 0)} | {fmt(r['rps'], 0)} | {fmt(paired(c, r, 'rps'))}× "
          f"| {fmt(c['p50_ms'])} / {fmt(c['p99_ms'])} | {fmt(r['p50_ms'])} / {fmt(r['p99_ms'])} "
          f"| {fmt(c['cpu_us_per_request'], 1)} | {fmt(r['cpu_us_per_request'], 1)} "
          f"| {fmt(paired(r, c, 'cpu_us_per_request'), 1)}× |")
w("")
w("Errors during these runs (socket errors and non-2xx, Corral / reference): " + ", ".join(
    f"{wk} w {route} {http[('corral', wk, route)]['errors']} / {http[('reference', wk, route)]['errors']}"
    for wk in workers for route in ("/health", "/json")
    if ("corral", wk, route) in http and ("reference", wk, route) in http) + ".")
w("")
w(f"![Requests per second]({plots[0]})")
w("")
w(f"![CPU per request]({plots[1]})")
w("")
w("## Ceilings")
w("")
w("Each ceiling runs one thread (one Netty event loop, one Nginx worker) and is measured in the same rounds as")
w("Corral at 1 and at 2 workers, so one measurement stands in both rows: the server side has one core, so one thread")
w("is the most it can use; with two, the ceilings' own throughput was bimodal (50k or 75k req/s by how wrk's")
w("connections fell across the threads).")
w("Corral ÷ a ceiling in req/s compares servers that all run at about what wrk's one thread on CPU 0 can send:")
w("the ceilings' req/s rise and fall with how fast that core is at the moment (in some rounds by 30% together),")
w("Corral's less, so this ratio moves with the host; the server's CPU per request is the comparison that holds.")
w("")
w("| Corral workers | Ceiling (1 thread) | req/s | p99 ms | CPU µs/req | Corral ÷ it, CPU per request "
  "| Corral ÷ it, req/s |")
w("|---|---|---|---|---|---|---|")
for wk in (1, 2):
    for ceiling, name in (("netty", "raw Netty epoll"), ("nginx", "Nginx `return 200`")):
        k = http.get((ceiling, wk, "/health"))
        if k:
            w(f"| {wk} | {name} | {fmt(k['rps'], 0)} | {fmt(k['p99_ms'])} | {fmt(k['cpu_us_per_request'], 1)} "
              f"| {fmt(ratios.get(f'CPU µs/request corral/{ceiling} w={wk}'))} "
              f"| {fmt(ratios.get(f'rps corral/{ceiling} w={wk}'))} |")
w("")
w("## Processes")
w("")
w("| Workers | Corral start to first 200 | reference start to first 200 | Corral RSS per worker idle / loaded "
  "| reference RSS per worker idle / loaded | Corral master RSS | reference master RSS |")
w("|---|---|---|---|---|---|---|")
for wk in workers:
    c, r = proc.get(("corral", wk)), proc.get(("reference", wk))
    if c and r:
        w(f"| {wk} | {c['ready_ms']} ms | {r['ready_ms']} ms | {c['rss_idle_kb'] // 1024} / {c['rss_loaded_kb'] // 1024} MB "
          f"| {r['rss_idle_kb'] // 1024} / {r['rss_loaded_kb'] // 1024} MB | {c['master_rss_kb'] // 1024} MB "
          f"| {r['master_rss_kb'] // 1024} MB |")
w("")
w(f"![RSS per worker]({plots[2]})")
w("")
w("## Reloads under load")
w("")
w("wrk with 32 keep-alive connections on `/health`, 2 workers, a HUP every 3 s (4 in all; each reload finishes")
w("before the next), then one every second (10 in all; each lands inside the last). A failure is a socket error")
w("(wrk also counts a request still unanswered after 2 s as one) or a non-2xx answer:")
w("")
w("| Stack | HUPs | Apart | Requests | Failed (socket errors + non-2xx) |")
w("|---|---|---|---|---|")
for interval in (3, 1):
    for stack, name in (("corral", "Corral"), ("reference", "Gunicorn + Uvicorn")):
        h = hup.get((stack, interval))
        if h:
            w(f"| {name} | {h['hups']} | {interval} s | {h['requests']:,} | {h['failed']:,} |")
w("")
w("## The release archive")
w("")
if release:
    w(f"`dist/target/corral-chat-*.tar.gz`: {release['archive_bytes'] / 1e6:.1f} MB (no JDK inside). Its starts, reloads "
      "and memory are in the next section.")
else:
    w("Not in this run (`BENCH_SCENARIOS` without `release`).")
w("")
w("## Weight: start, reload, memory, the seconds after a reload")
w("")
if weight:
    w("Corral Chat from the release archive, started as the systemd unit starts it (`bin/corral`, the default worker "
      "options, the AOT cache in `$CACHE_DIRECTORY`), beside the reference (Gunicorn + UvicornWorker + FastAPI), "
      "unpinned, one after the other. Start: to every worker ready (Corral's \"Serving with N workers\", the "
      "reference's N \"Application startup complete\") and `/health` 200; Corral's first start ever, before the "
      "master has made the AOT cache, in brackets. Reload: HUP to Corral's \"Reload done\" (every new worker ready, "
      "every old one told to go), the reference's N new workers started; idle. PSS from `/proc/PID/smaps_rollup`, "
      "idle, 5 s after the start. p99: wrk, 4 connections on `/health`, 10 s, steady (after 10 s of load) and in the "
      "10 s from the end of a reload, when only new workers serve.")
    w("")
    w("| Workers | Figure | Corral | Reference | Ratio | Goal |")
    w("|---|---|---|---|---|---|")
    for n in sorted({r["workers"] for r in weight.values()}):
        c, r = weight.get(("corral", n)), weight.get(("reference", n))
        if not (c and r):
            continue
        cold = f" ({c['start_cold_ms'] / 1000:.1f} s)" if c.get("start_cold_ms") else ""
        w(f"| {n} | start to every worker ready | {c['start_ms'] / 1000:.1f} s{cold} | {r['start_ms'] / 1000:.1f} s "
          f"| {fmt(ratio(c['start_ms'], r['start_ms']), 1)}x | ≤ 1.5x |")
        w(f"| {n} | reload (HUP to done) | {c['reload_ms'] / 1000:.1f} s | {r['reload_ms'] / 1000:.1f} s "
          f"| {fmt(ratio(c['reload_ms'], r['reload_ms']), 1)}x | {'≤ 3 s' if n == 2 else '–'} |")
        w(f"| {n} | PSS per worker, idle | {c['worker_pss_kb'] / 1024:.0f} MB | {r['worker_pss_kb'] / 1024:.0f} MB "
          f"| {fmt(ratio(c['worker_pss_kb'], r['worker_pss_kb']), 1)}x | ≤ 1.5x |")
        w(f"| {n} | PSS of the master, idle | {c['master_pss_kb'] / 1024:.0f} MB | {r['master_pss_kb'] / 1024:.0f} MB "
          f"| {fmt(ratio(c['master_pss_kb'], r['master_pss_kb']), 1)}x | ≤ 2x |")
        w(f"| {n} | p99, steady | {fmt(c['p99_steady_ms'])} ms | {fmt(r['p99_steady_ms'])} ms "
          f"| {fmt(ratio(c['p99_steady_ms'], r['p99_steady_ms']), 1)}x | – |")
        w(f"| {n} | p99, 10 s after a reload | {fmt(c['p99_after_reload_ms'])} ms | {fmt(r['p99_after_reload_ms'])} ms "
          f"| {fmt(ratio(c['p99_after_reload_ms'], c['p99_steady_ms']), 1)}x of steady | ≤ 2x of steady |")
    w("")
    w("Where a goal is missed, `bench/misses.md` says what was tried and measured.")
else:
    w("Not in this run (`BENCH_SCENARIOS` without `weight`).")
w("")
w("## Chaos")
w("")
chaos_from = STAMP
if not chaos: # not in the default run (it would take it past 15 minutes): the latest run that had it
    for path in sorted(glob.glob("bench/results/*.json"), reverse=True):
        earlier = json.load(open(path)) if path != RESULTS else {"rows": []}
        chaos = {r["stack"]: r for r in earlier["rows"] if r["kind"] == "chaos"}
        if chaos:
            chaos_from = earlier["stamp"]
            break
if chaos:
    if chaos_from != STAMP:
        w(f"From run {chaos_from}: the chaos scenario is not in `bench/run.sh`'s default run (it would take the run past")
        w("15 minutes); `BENCH_SCENARIOS=\"http hup ws chat release chaos\" bench/run.sh` includes it.")
        w("")
    w("`bench/chaos.sh`: 2 workers under constant load (8 keep-alive and 4 fresh-connection HTTP clients, 20 WebSocket")
    w("clients that reconnect when closed), while Corral gets HUPs, `kill -9`s of random workers, a broken deploy (a")
    w("release without the app class) and a USR2 upgrade followed by TERM to the old master; the reference gets the same")
    w("load and the same number of HUPs. A failed request is blamed on the last event sent before it failed.")
    w("")
    w("| Stack | Events | Requests | Failed (by kind) | Failed after each kind of event | Failed per HUP "
      "| WebSocket closes by code | Reconnects |")
    w("|---|---|---|---|---|---|---|---|")
    for stack, name in (("corral", "Corral"), ("reference", "Gunicorn + Uvicorn")):
        c = chaos.get(stack)
        if c:
            events = ", ".join(f"{n}× {k}" for k, n in c["events"].items())
            kinds = ", ".join(f"{n} {k}" for k, n in c["failed"].items()) or "0"
            after = ", ".join(f"{n} after {k}" for k, n in c["failed_after"].items()) or "–"
            closes = ", ".join(f"{n}× {k}" for k, n in sorted(c["ws_closes"].items())) or "–"
            w(f"| {name} | {events} | {c['requests']:,} | {c['failed_total']} ({kinds}) | {after} "
              f"| {fmt(c['failed_per_hup'])} | {closes} | {c['ws_reconnects']} |")
    w("")
    w("WebSocket close codes: 1012 is Corral telling a client its worker is replaced (reconnect now), 1001 the old")
    w("master's workers stopping after USR2, 1006 a connection that ended without a close frame (a killed worker, or")
    w("Gunicorn's reload).")
else:
    w("Not measured yet: `BENCH_SCENARIOS=\"http hup ws chat release chaos\" bench/run.sh`.")
w("")
w("## WebSocket broadcast")
w("")
if ws:
    any_row = next(iter(ws.values()))
    w(f"`bench/ws.sh`: {any_row['clients']} clients in one room (`/ws/bench`), one more client publishing "
      f"{any_row['rate']} messages a second (100 bytes each), {any_row.get('rounds', 1)} rounds of "
      f"{any_row['seconds']} s at 1 worker, {ws.get(('corral', 2), any_row).get('rounds', 1)} at 2 (each after "
      "unmeasured publishing: 3 s in the first round, 1 s later), Corral and the "
      "reference side by side and taking turns (figures "
      "are medians of the rounds, delivery counts their sums), every client measuring "
      "the time from send to delivery (Node's `ws` on CPU 0, the server on CPU 1). Corral's `HelloApp` room goes "
      "through the broker; the reference is FastAPI's own broadcast (`bench/reference/main.py`), a loop over the "
      "sockets of the worker that received the message: it has nothing that crosses workers.")
    w("")
    w("| Workers | Stack | Delivered / expected | Delivered msg/s | p50 ms | p99 ms |")
    w("|---|---|---|---|---|---|")
    for wk in (1, 2):
        for stack, name in (("corral", "Corral"), ("reference", "FastAPI (Uvicorn)")):
            r = ws.get((stack, wk))
            if r:
                share = r["delivered"] / r["expected"] if r["expected"] else 0
                w(f"| {wk} | {name} | {r['delivered']:,} / {r['expected']:,} ({share:.0%}) "
                  f"| {r['delivered_per_s']:,} | {fmt(r['p50_ms'])} | {fmt(r['p99_ms'])} |")
    w("")
    w("With 2 workers the reference delivers a message only to the clients that share the publisher's worker;")
    w("Corral delivers every message to every client. A latency ratio is taken only where both deliver at least 95%")
    w("of the messages: a latency over part of the deliveries is not the same work.")
else:
    w("Not in this run (`BENCH_SCENARIOS` without `ws`).")
w("")
w("## Chat")
w("")
if chat:
    any_row = next(iter(chat.values()))
    w(f"`bench/chat.sh`: {any_row['concurrency']} clients post messages to one room as fast as the answers come back, "
      f"{any_row.get('rounds', 1)} rounds of {any_row['seconds']} s, each a client process of its own with a new "
      "user and room and 0.5 s of unmeasured posting, after unmeasured runs of the same kind until the server's "
      "posts/s stop improving (the best of the last three within 5% of the best before them); posts/s counts the "
      "measured seconds only; the servers side by side and taking turns (figures are medians of the rounds, counts "
      "their sums), while one WebSocket member of the room times each message "
      "from its post to its delivery. Corral Chat does everything a production chat does per message (bearer-token "
      "check, membership check, the room's sequence number in the insert transaction, the broker) and commits its "
      "SQLite writes in batches, one `fsync` for the posts that arrived together (`docs/design.md`); the reference "
      "(`bench/reference/main.py`) takes the next sequence number in SQLite and commits each post, as a FastAPI app "
      "does, and broadcasts to the sockets of its own worker, with no accounts.")
    w("")
    w("| Workers | Stack | Posts/s | Post p50 / p99 ms | Delivered to the member | Delivery p50 / p99 ms | Failed |")
    w("|---|---|---|---|---|---|---|")
    mariadb_from = STAMP
    if ("chat-mariadb", 1) not in chat:  # not in the default run (BENCH_SCENARIOS=... chat-mariadb): the latest that had it
        for path in sorted(glob.glob("bench/results/*.json"), reverse=True):
            earlier = json.load(open(path))
            found = [r for r in earlier["rows"] if r["kind"] == "chat" and r["stack"] == "chat-mariadb"]
            if found:
                chat[("chat-mariadb", 1)], mariadb_from = found[0], earlier["stamp"]
                break
    names = (("chat-sqlite", "Corral Chat, SQLite"), ("chat-mariadb", "Corral Chat, MariaDB"),
             ("reference", "FastAPI, SQLite"))
    for wk in (1, 2):
        for stack, name in names:
            r = chat.get((stack, wk))
            if stack == "chat-mariadb" and mariadb_from != STAMP:
                name += f" (run {mariadb_from})"
            if r:
                w(f"| {wk} | {name} | {r['posts_per_s']:,} | {fmt(r['post_p50_ms'])} / {fmt(r['post_p99_ms'])} "
                  f"| {r['delivered']:,} of {r['posted']:,} | {fmt(r['delivery_p50_ms'])} / "
                  f"{fmt(r['delivery_p99_ms'])} | {r['failed']} |")
    w("")
    w("SQLite allows one writer at a time, whatever the worker count: its figures are the file's, not the server's.")
    w("MariaDB runs at 1 worker only and only when asked for (`BENCH_SCENARIOS=\"http hup ws chat chat-mariadb release\"`),")
    w("to keep the default run within 15 minutes (the comparison with the reference is SQLite's); a row from an earlier")
    w("run says which.")
    w("With 2 workers the reference's member receives only the messages posted through its own worker.")
    search = next((r for r in rows if r["kind"] == "chat-search"), None)
    if search:
        w("")
        w(f"Search (`bench/node/chat-search.mjs`, Corral Chat only: the reference has none): {search['messages']:,} "
          f"messages in one room on SQLite, 1 worker, one in ten with a common word and one in a thousand with a rare "
          f"one; {search['searches']} searches of each kind, one at a time. Rare word ({search['hits']['rare']} hits): "
          f"p50 {fmt(search['rare_p50_ms'])} ms, p99 {fmt(search['rare_p99_ms'])} ms. Common word, newest page of 20 "
          f"of 1,000: p50 {fmt(search['common_p50_ms'])} ms, p99 {fmt(search['common_p99_ms'])} ms; its second page: "
          f"p50 {fmt(search['common_page2_p50_ms'])} ms, p99 {fmt(search['common_page2_p99_ms'])} ms.")
else:
    w("Not in this run (`BENCH_SCENARIOS` without `chat`).")
w("")
stamp_before, drift = agreement()
w("## Run-to-run agreement")
w("")
if stamp_before:
    worst = drift[0] if drift else None
    within = sum(1 for d in drift if d[0] <= 0.15)
    w(f"Against the previous run ({stamp_before}): {within} of {len(drift)} ratios agree within 15%"
      + (f"; the largest change is {worst[1]}: {fmt(worst[2])} → {fmt(worst[3])} ({worst[0]:.0%})." if worst else "."))
    w("")
    w("| Ratio | previous | this run | change |")
    w("|---|---|---|---|")
    for change, name, before, now in drift:
        w(f"| {name} | {fmt(before)} | {fmt(now)} | {change:.0%} |")
else:
    w("No earlier run to compare with: run `bench/run.sh` again.")
w("")
misses = os.path.join(os.path.dirname(__file__), "misses.md")
if os.path.exists(misses):
    w(open(misses).read().rstrip())
    w("")
single = os.path.join(os.path.dirname(__file__), "single-worker.md")
if os.path.exists(single):
    w(open(single).read().rstrip())
    w("")
open(DOC, "w").write("\n".join(out).rstrip("\n") + "\n")
print(f"bench: wrote {RESULTS} and {DOC}")
for name, measured, met in goals:
    print(f"  {'ok  ' if met else 'MISS'} {name}: {measured}")
if stamp_before:
    print(f"  run-to-run: {sum(1 for d in drift if d[0] <= 0.15)} of {len(drift)} ratios within 15% of {stamp_before}")
