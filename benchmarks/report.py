#!/usr/bin/env python3
"""Turns one JMH run (JSON) and one CPython anchor run (text) into the ratio tables of benchmarks/README.md.

    python3 benchmarks/report.py target/jmh.json target/python.txt > target/report.md

Every row compares figures taken in the same run on the same machine: a Spool variant against the
java.util.concurrent baseline of its JMH class, and against CPython's anchor for the same workload.
A ratio above 1 means Spool is faster (throughput ratio, or the inverse ratio of times).
"""
import json
import sys

# JMH class -> (title, JDK baseline method, CPython anchor line, how to read the score)
# "thrpt": higher is better (ops per time unit); "time": lower is better (time per op);
# "p50": sample-time benchmark, compare the median.
GROUPS = [
    ("SubmitThroughputBenchmark", "ThreadPool submit+wait, 200k no-op tasks, 4 workers",
     "jucFixedThreadPool", "thread_pool.submit_noop", "thrpt"),
    ("RoundTripBenchmark", "Round trip submit(noop).result(), 4 workers (p50)",
     "jucFixedThreadPool", "thread_pool.roundtrip", "p50"),
    ("VirtualThroughputBenchmark", "Virtual threads: submit+wait, 100k no-op tasks",
     "jucVirtualPerTask", None, "thrpt"),
    ("MapBenchmark", "map of 200k items (square), 4 workers",
     "jucSubmitAllThenGet", "thread_pool.map", "thrpt"),
    ("UncontendedLockBenchmark", "Uncontended acquire+release",
     "jucReentrantLock", "lock.uncontended", "time"),
    ("ContendedLockBenchmark", "Contended lock, 4 threads incrementing",
     "jucReentrantLock", "lock.contended_4threads", "thrpt"),
    ("SemaphoreBenchmark", "Semaphore, 4 threads, 2 permits",
     "jucSemaphore", "semaphore.contended_4threads_2permits", "thrpt"),
    ("EventPingPongBenchmark", "Event ping-pong (round trips)",
     "jucSynchronousQueues", "event.pingpong", "thrpt"),
    ("BarrierBenchmark", "2-party barrier cycles",
     "jucCyclicBarrier", "barrier.cycles_2parties", "thrpt"),
    ("ProcessPoolSubmitBenchmark", "ProcessPool: 20k submit of a tiny task, 2 workers",
     None, "process_pool.submit", "thrpt"),
    ("ProcessPoolMapBenchmark", "ProcessPool: map of 200k items, chunkSize 1000, 2 workers",
     None, "process_pool.map_chunk1000", "thrpt"),
    ("ProcessPoolStartBenchmark", "ProcessPool: start to first result, 2 workers",
     None, "process_pool.start_and_first_task", "time"),
]

UNIT_SECONDS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


def per_second(score, unit):
    """ops/s from a JMH throughput score and unit such as 'ops/us'."""
    return score / UNIT_SECONDS[unit.split("/")[1]]


def seconds(score, unit):
    """seconds per op from a JMH time score and unit such as 'ns/op' or 'us/op'."""
    return score * UNIT_SECONDS[unit.split("/")[0]]


def load_jmh(path):
    results = {}
    for r in json.load(open(path)):
        cls, method = r["benchmark"].split(".")[-2:]
        params = r.get("params") or {}
        if params:  # one row per parameter value, e.g. submit20k[workerJit=server]
            method += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
        m = r["primaryMetric"]
        results.setdefault(cls, {})[method] = (r["mode"], m["score"], m["scoreUnit"], m.get("scorePercentiles", {}))
    return results


def load_python(path):
    """name -> (ops/s, extra) from python_anchor.py output."""
    rows, version = {}, "?"
    for line in open(path):
        if line.startswith("# python"):
            version = line.split()[2]
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 4:
            rows[parts[0]] = (float(parts[3].split()[0]), parts[4] if len(parts) > 4 else "")
    return rows, version


def python_value(row, kind):
    """The anchor in the group's terms: ops/s, seconds/op, or p50 seconds."""
    ops_per_s, extra = row
    if kind == "p50":
        for token in extra.split():
            if token.startswith("p50="):
                return float(token[4:-2]) * 1e-6
    return ops_per_s if kind == "thrpt" else 1.0 / ops_per_s


def value(entry, kind):
    mode, score, unit, pct = entry
    if kind == "thrpt":
        return per_second(score, unit)
    if kind == "p50":
        return seconds(pct["50.0"], unit)
    return seconds(score, unit)


def fmt(v, kind):
    if kind == "thrpt":
        return f"{v:,.0f} ops/s"
    if v >= 1e-3:
        return f"{v * 1e3:.1f} ms"
    if v >= 1e-6:
        return f"{v * 1e6:.2f} µs"
    return f"{v * 1e9:.1f} ns"


def ratio(spool, other, kind):
    """> 1: Spool better."""
    return spool / other if kind == "thrpt" else other / spool


def main(jmh_path, python_path):
    jmh = load_jmh(jmh_path)
    py, version = load_python(python_path) if python_path else ({}, "not run")
    print(f"CPython {version}; ratios > 1 mean Spool is faster.\n")
    for cls, title, baseline, anchor, kind in GROUPS:
        if cls not in jmh:
            continue
        methods = jmh[cls]
        print(f"#### {title}\n")
        print("| variant | result | vs JDK | vs CPython |")
        print("|---|---|---|---|")
        base = value(methods[baseline], kind) if baseline and baseline in methods else None
        anc = python_value(py[anchor], kind) if anchor and anchor in py else None
        for method, entry in sorted(methods.items(), key=lambda kv: (kv[0] != baseline, kv[0])):
            v = value(entry, kind)
            if method == baseline:
                print(f"| {method} (JDK) | {fmt(v, kind)} | 1 | {ratio(v, anc, kind):.2f}× |" if anc else
                      f"| {method} (JDK) | {fmt(v, kind)} | 1 | |")
                continue
            vs_jdk = f"{ratio(v, base, kind):.2f}×" if base else ""
            vs_py = f"{ratio(v, anc, kind):.2f}×" if anc else ""
            print(f"| {method} | {fmt(v, kind)} | {vs_jdk} | {vs_py} |")
        if anc:
            print(f"| CPython `{anchor}` | {fmt(anc, kind)} | | 1 |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
