#!/usr/bin/env python3
"""Turns one JMH run (JSON) and one CPython anchor run (text) into the ratio tables of benchmarks/README.md.

    python3 benchmarks/report.py target/jmh.json target/python.txt > target/report.md

Every row compares figures taken in the same run on the same machine: a Spool variant against the
java.util.concurrent baseline of its JMH class, and against CPython's anchor for the same workload.
A ratio above 1 means Spool is faster (throughput ratio, or the inverse ratio of times).

The peer suites (package dev.spool.benchmarks.peers) get their own tables: every pool against the bare JDK pool
(ratio and overhead in time per task) and against the Micrometer-monitored JDK pool; then one table checks the
targets of issue 12 that this run's figures decide.
"""
import json
import sys

# JMH class -> (title, JDK baseline method, CPython anchor line, how to read the score); a class with a JMH
# parameter gets one table per value, its title's "{}" replaced by the value
# "thrpt": higher is better (ops per time unit); "time": lower is better (time per op);
# "p50": sample-time benchmark, compare the median.
GROUPS = [
    ("SubmitThroughputBenchmark", "ThreadPool submit+wait, 200k no-op tasks, 4 workers",
     "jucFixedThreadPool", "thread_pool.submit_noop", "thrpt"),
    ("RoundTripBenchmark", "Round trip submit(noop).result(), 4 workers (p50)",
     "jucFixedThreadPool", "thread_pool.roundtrip", "p50"),
    ("VirtualThroughputBenchmark", "Virtual threads: submit+wait, 100k no-op tasks",
     "jucVirtualPerTask", None, "thrpt"),
    ("VirtualTaskSizeBenchmark", "Virtual threads: submit+wait, 10k tasks of {} µs",
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


def read_json(path):
    with open(path) as f:
        return json.load(f)


def load_jmh(path):
    results = {}
    for r in read_json(path):
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
    with open(path) as f:
        lines = f.readlines()
    for line in lines:
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


# The peer suites: JMH class -> title. Every method is a peer; see PeerBenchmark.
# JMH class -> (table title, short name in the targets table; "{}" is the parameter's value)
PEER_SUITES = [
    ("Oversubscribed64Benchmark", "Oversubscribed: 64 callers × submit(20 µs task).get(), 4 workers", "64 callers"),
    ("Oversubscribed8Benchmark", "Oversubscribed: 8 callers × submit(20 µs task).get(), 4 workers", "8 callers"),
    ("TaskSizeBenchmark", "Task size: 4 callers × submit({} µs task).get(), 4 workers", "{} µs tasks"),
]
PEER_JDK = "jdkFixedPool"
PEER_MICROMETER = "jdkMicrometer"
PEER_SPRING = "springTaskExecutor"
PEER_DTP = "dtpExecutor"
PEER_ORDER = [PEER_JDK, PEER_MICROMETER, PEER_SPRING, PEER_DTP, "spoolResult", "spoolGet", "spoolMetered"]
PEER_LABELS = {
    PEER_JDK: "`Executors.newFixedThreadPool(4)` (JDK)",
    PEER_MICROMETER: "JDK pool + Micrometer `ExecutorServiceMetrics`",
    PEER_SPRING: "Spring `ThreadPoolTaskExecutor`",
    PEER_DTP: "dynamic-tp `DtpExecutor`",
    "spoolResult": "Spool `ThreadPool`, `result()`",
    "spoolGet": "Spool `ThreadPool`, `get()`",
    "spoolMetered": "Spool `ThreadPool` + meters, `result()`",
}


def split_params(method):
    """'spoolMetered[micros=1]' -> ('spoolMetered', '[micros=1]'); no parameters -> (method, '')."""
    at = method.find("[")
    return (method, "") if at < 0 else (method[:at], method[at:])


def peer_workloads(jmh):
    """(title, short name, {peer: ops/s}) for every peer suite and parameter value present in the run."""
    workloads = []
    for cls, title, short in PEER_SUITES:
        by_params = {}
        for method, entry in jmh.get(cls, {}).items():
            peer, params = split_params(method)
            by_params.setdefault(params, {})[peer] = value(entry, "thrpt")
        for params in sorted(by_params, key=param_sort_key):
            param_value = params[params.find("=") + 1:-1] if params else ""
            workloads.append((title.format(param_value), short.format(param_value), by_params[params]))
    return workloads


def param_sort_key(params):
    """Numeric parameter values in numeric order ('[micros=1]' before '[micros=10]')."""
    try:
        return (0, float(params[params.index("=") + 1:-1]))
    except ValueError:
        return (1, params)


def overhead_percent(peer_ops, jdk_ops):
    """Extra time per task against the bare JDK pool, in %: 0 is the JDK's cost, 10 means 10 % slower."""
    return (jdk_ops / peer_ops - 1.0) * 100.0


def peer_table(title, peers):
    lines = [f"#### {title}", "",
             "| peer | result | vs JDK | overhead vs JDK | vs Micrometer |",
             "|---|---|---|---|---|"]
    jdk = peers.get(PEER_JDK)
    micrometer = peers.get(PEER_MICROMETER)
    known = [p for p in PEER_ORDER if p in peers] + sorted(p for p in peers if p not in PEER_ORDER)
    for peer in known:
        ops = peers[peer]
        vs_jdk = f"{ops / jdk:.2f}×" if jdk else ""
        overhead = f"{overhead_percent(ops, jdk):+.1f} %" if jdk else ""
        vs_micrometer = f"{ops / micrometer:.2f}×" if micrometer else ""
        lines.append(f"| {PEER_LABELS.get(peer, peer)} | {fmt(ops, 'thrpt')} | {vs_jdk} | {overhead} | {vs_micrometer} |")
    return "\n".join(lines) + "\n"


def verdict(ok):
    return "met" if ok else "**missed**"


def target_rows(jmh):
    """(target, this run, verdict) for each issue-12 target whose figures are in the run."""
    rows = []
    workloads = peer_workloads(jmh)
    for _, title, peers in workloads:
        if not title.endswith("callers") or PEER_JDK not in peers:
            continue
        spool = {p: peers[p] / peers[PEER_JDK] for p in ("spoolResult", "spoolGet") if p in peers}
        if spool:
            shown = ", ".join(f"{p.removeprefix('spool').lower()}() {r:.2f}×" for p, r in spool.items())
            rows.append((f"Oversubscribed, {title}: Spool ≥ 0.95× JDK", shown, verdict(min(spool.values()) >= 0.95)))
    rows += pair_target(jmh, "RoundTripBenchmark", "spoolThreadPool", "jucFixedThreadPool", "p50",
                        "Round trip p50 ≤ 1.25× the JDK's time", 1 / 1.25)
    rows += pair_target(jmh, "SubmitThroughputBenchmark", "spoolThreadPool", "jucFixedThreadPool", "thrpt",
                        "submit+wait no-op, 200k, 4 workers ≥ 0.8× JDK", 0.8)
    rows += pair_target(jmh, "VirtualThroughputBenchmark", "spoolVirtual", "jucVirtualPerTask", "thrpt",
                        "virtual submit+wait ≥ 0.8× the JDK virtual executor", 0.8)
    for _, title, peers in workloads:
        metered = peers.get("spoolMetered")
        if metered is None:
            continue
        if PEER_MICROMETER in peers:
            r = metered / peers[PEER_MICROMETER]
            rows.append((f"{title}: metered ≥ 1.5× Micrometer", f"{r:.2f}×", verdict(r >= 1.5)))
        rivals = {p: metered / peers[p] for p in (PEER_SPRING, PEER_DTP) if p in peers}
        if rivals:
            shown = ", ".join(f"{r:.2f}× {PEER_LABELS[p].split('`')[1]}" for p, r in rivals.items())
            rows.append((f"{title}: metered ahead of Spring and dynamic-tp", shown,
                         verdict(min(rivals.values()) > 1.0)))
        if title.endswith("µs tasks") and not title.startswith("0 ") and PEER_JDK in peers:  # 0 µs: no-op, no target
            o = overhead_percent(metered, peers[PEER_JDK])
            rows.append((f"{title}: metered within 5 % of JDK", f"{o:+.1f} %", verdict(o <= 5.0)))
    return rows


def pair_target(jmh, cls, spool, jdk, kind, target, at_least):
    """One row: the ratio of spool to jdk in cls (> 1: Spool better) against a minimum."""
    methods = jmh.get(cls, {})
    if spool not in methods or jdk not in methods:
        return []
    r = ratio(value(methods[spool], kind), value(methods[jdk], kind), kind)
    shown = f"{1 / r:.2f}× the JDK's time" if kind != "thrpt" else f"{r:.2f}×"
    return [(target, shown, verdict(r >= at_least))]


def watch_cost_rows(path):
    """Issue 16: submit+wait with a run-timeout set against the same pool without one, as (target, this run, verdict).

    Met when the two scores differ by no more than the run's spread: the larger of their JMH error margins (99.9 %
    confidence half-widths, from the forks and iterations of this one run).
    """
    figures = {}
    for r in read_json(path):
        cls, method = r["benchmark"].split(".")[-2:]
        if cls == "SubmitThroughputBenchmark" and method in ("spoolThreadPool", "spoolThreadPoolRunTimeout"):
            m = r["primaryMetric"]
            figures[method] = (per_second(m["score"], m["scoreUnit"]),
                               per_second(m.get("scoreError") or 0.0, m["scoreUnit"]))
    if len(figures) < 2:
        return []
    (plain, plain_error), (watched, watched_error) = figures["spoolThreadPool"], figures["spoolThreadPoolRunTimeout"]
    spread = max(plain_error, watched_error)
    shown = (f"{watched / plain - 1:+.1%} ({fmt(watched, 'thrpt')} with, {fmt(plain, 'thrpt')} without;"
             f" spread ±{fmt(spread, 'thrpt')})")
    return [("submit+wait with a run-timeout set moves by no more than the run's spread", shown,
             verdict(abs(watched - plain) <= spread))]


def calibration(path):
    """The -Dspool.bench.cpuTokensPerMicro the forks ran with, or None."""
    for r in read_json(path):
        for arg in r.get("jvmArgs") or []:
            if arg.startswith("-Dspool.bench.cpuTokensPerMicro="):
                return arg.split("=", 1)[1]
    return None


def print_peers(jmh, jmh_path):
    workloads = peer_workloads(jmh)
    if workloads:
        tokens = calibration(jmh_path)
        print("CPU work: " + (f"{tokens} `Blackhole.consumeCPU` tokens per µs (one calibration for every fork)."
                              if tokens else "calibrated in each fork (no -Dspool.bench.cpuTokensPerMicro)."))
        print("Overhead: extra time per task against the bare JDK pool. vs Micrometer: throughput ratio.\n")
    for title, _, peers in workloads:
        print(peer_table(title, peers))
    rows = target_rows(jmh) + watch_cost_rows(jmh_path)
    if rows:
        print("#### Issue 12 and 16 targets in this run\n")
        print("| target | this run | verdict |")
        print("|---|---|---|")
        for target, shown, result in rows:
            print(f"| {target} | {shown} | {result} |")
        print()


def group_tables(methods, title):
    """(title, {method: entry}) per parameter value of one JMH class, in numeric order, if the title has a "{}" for
    it; otherwise one table, each parameter value a row of its own (submit20k[workerJit=server])."""
    if "{}" not in title:
        return [(title, methods)] if methods else []
    by_params = {}
    for method, entry in methods.items():
        name, params = split_params(method)
        by_params.setdefault(params, {})[name] = entry
    return [(title.format(params[params.find("=") + 1:-1]) if params else title, by_params[params])
            for params in sorted(by_params, key=param_sort_key)]


def group_table(title, methods, baseline, anchor_row, anchor, kind):
    """A Spool-against-the-JDK table: every variant's result, and its ratios to the baseline and to CPython."""
    lines = [f"#### {title}", "", "| variant | result | vs JDK | vs CPython |", "|---|---|---|---|"]
    base = value(methods[baseline], kind) if baseline and baseline in methods else None
    anc = python_value(anchor_row, kind) if anchor_row else None
    for method, entry in sorted(methods.items(), key=lambda kv: (kv[0] != baseline, kv[0])):
        v = value(entry, kind)
        if method == baseline:
            lines.append(f"| {method} (JDK) | {fmt(v, kind)} | 1 | {ratio(v, anc, kind):.2f}× |" if anc else
                         f"| {method} (JDK) | {fmt(v, kind)} | 1 | |")
            continue
        vs_jdk = f"{ratio(v, base, kind):.2f}×" if base else ""
        vs_py = f"{ratio(v, anc, kind):.2f}×" if anc else ""
        lines.append(f"| {method} | {fmt(v, kind)} | {vs_jdk} | {vs_py} |")
    if anc:
        lines.append(f"| CPython `{anchor}` | {fmt(anc, kind)} | | 1 |")
    return "\n".join(lines) + "\n"


def main(jmh_path, python_path):
    jmh = load_jmh(jmh_path)
    py, version = load_python(python_path) if python_path else ({}, "not run")
    print(f"CPython {version}; ratios > 1 mean Spool is faster.\n")
    for cls, title, baseline, anchor, kind in GROUPS:
        for param_title, methods in group_tables(jmh.get(cls, {}), title):
            print(group_table(param_title, methods, baseline, py[anchor] if anchor in py else None, anchor, kind))
    print_peers(jmh, jmh_path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
