#!/usr/bin/python3
"""Renders async-profiler's collapsed stacks as a flame graph PNG with gnuplot (no other tools needed).

Usage: flamegraph.py STACKS.collapsed OUT.png "title"
Each line of the input is `frame;frame;...;frame COUNT`, root first.
"""
import subprocess
import sys
import zlib

stacks_file, out_png, title = sys.argv[1], sys.argv[2], sys.argv[3]
root = {"name": "all", "count": 0, "children": {}}
for line in open(stacks_file):
    line = line.strip()
    if not line:
        continue
    frames, count = line.rsplit(" ", 1)
    node = root
    node["count"] += int(count)
    for frame in frames.split(";"):
        node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
        node["count"] += int(count)

total = root["count"]
boxes = []  # (x0, x1, depth, label)
max_depth = 0


def walk(node, x0, depth):
    global max_depth
    max_depth = max(max_depth, depth)
    boxes.append((x0, x0 + node["count"] / total, depth, node["name"]))
    x = x0
    for child in sorted(node["children"].values(), key=lambda c: c["name"]):
        if child["count"] / total >= 0.002:  # narrower than 0.2% is invisible anyway
            walk(child, x, depth + 1)
        x += child["count"] / total


walk(root, 0.0, 0)
width_px, row_px = 1600, 16
height_px = (max_depth + 3) * row_px + 40
script = [f"set terminal pngcairo size {width_px},{height_px} font 'DejaVu Sans,7'",
          f"set output '{out_png}'", "unset key", "unset border", "unset xtics", "unset ytics",
          f"set title \"{title} ({total} samples)\" font 'DejaVu Sans,11' noenhanced",
          f"set xrange [0:1]", f"set yrange [0:{max_depth + 1}]", "set lmargin 1", "set rmargin 1"]
for i, (x0, x1, depth, name) in enumerate(boxes):
    hue = zlib.crc32(name.split("(")[0].encode()) % 60
    color = f"#{(205 + hue) & 0xff:02x}{(90 + hue * 2) & 0xff:02x}{40 + hue // 2:02x}"
    script.append(f"set object {i + 1} rect from {x0:.6f},{depth} to {x1:.6f},{depth + 0.92} "
                  f"fc rgb '{color}' fs solid 1.0 noborder")
    chars = int((x1 - x0) * width_px / 5.2)
    if chars >= 4:
        short = name.replace("'", "").replace('"', "")
        short = short if len(short) <= chars else short[: chars - 2] + ".."
        script.append(f"set label \"{short}\" at {x0 + 0.002:.6f},{depth + 0.45} left front noenhanced")
script.append("plot -1 notitle")
subprocess.run(["gnuplot"], input="\n".join(script).encode(), check=True)
