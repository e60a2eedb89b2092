#!/usr/bin/env python3
"""Unit tests of report.py's arithmetic and verdicts on a made-up JMH run (python3 -m unittest, from benchmarks/).

Run by ReportScriptTest in the Maven build, so CI runs them with the Java tests.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def thrpt(cls, method, ops_per_s, params=None, jvm_args=()):
    return {"benchmark": f"dev.spool.benchmarks.peers.{cls}.{method}", "mode": "thrpt", "params": params,
            "jvmArgs": list(jvm_args),
            "primaryMetric": {"score": ops_per_s, "scoreUnit": "ops/s", "scorePercentiles": {}}}


def sample(cls, method, p50_us):
    return {"benchmark": f"dev.spool.benchmarks.futures.{cls}.{method}", "mode": "sample",
            "primaryMetric": {"score": p50_us, "scoreUnit": "us/op", "scorePercentiles": {"50.0": p50_us}}}


def peers(cls, figures, params=None):
    return [thrpt(cls, m, v, params, ["-Dspool.bench.cpuTokensPerMicro=665.3"]) for m, v in figures.items()]


GOOD = {"jdkFixedPool": 50_000, "jdkMicrometer": 30_000, "springTaskExecutor": 45_000, "dtpExecutor": 20_000,
        "spoolResult": 49_000, "spoolGet": 48_000, "spoolMetered": 48_500}


def submit(method, ops_per_s, error):
    return {"benchmark": f"dev.spool.benchmarks.futures.SubmitThroughputBenchmark.{method}", "mode": "thrpt",
            "primaryMetric": {"score": ops_per_s, "scoreError": error, "scoreUnit": "ops/s", "scorePercentiles": {}}}


class ReportTest(unittest.TestCase):
    def watch_rows(self, results):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(results, f)
        try:
            return report.watch_cost_rows(f.name)
        finally:
            os.unlink(f.name)

    def test_a_run_timeout_within_the_spread_is_met_and_beyond_it_missed(self):
        within = self.watch_rows([submit("spoolThreadPool", 2_000_000, 150_000),
                                  submit("spoolThreadPoolRunTimeout", 1_900_000, 120_000)])
        self.assertEqual(within[0][2], "met")
        self.assertIn("-5.0%", within[0][1])
        beyond = self.watch_rows([submit("spoolThreadPool", 2_000_000, 50_000),
                                  submit("spoolThreadPoolRunTimeout", 1_800_000, 60_000)])
        self.assertEqual(beyond[0][2], "**missed**")
        self.assertEqual(self.watch_rows([submit("spoolThreadPool", 2_000_000, 1)]), [])

    def run_report(self, results):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(results, f)
        try:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                report.main(f.name, None)
            return report.load_jmh(f.name), out.getvalue()
        finally:
            os.unlink(f.name)

    def test_overhead_is_extra_time_per_task_against_the_jdk(self):
        self.assertAlmostEqual(report.overhead_percent(50.0, 50.0), 0.0)
        self.assertAlmostEqual(report.overhead_percent(40.0, 50.0), 25.0)   # 1/40 s against 1/50 s per task
        self.assertAlmostEqual(report.overhead_percent(100.0, 50.0), -50.0)

    def test_parameters_are_split_from_the_peer(self):
        self.assertEqual(report.split_params("spoolMetered[micros=10]"), ("spoolMetered", "[micros=10]"))
        self.assertEqual(report.split_params("jdkFixedPool"), ("jdkFixedPool", ""))

    def test_task_sizes_come_in_numeric_order_with_their_own_table(self):
        results = peers("TaskSizeBenchmark", GOOD, {"micros": "10"}) + peers("TaskSizeBenchmark", GOOD, {"micros": "1"})
        jmh, out = self.run_report(results)
        titles = [(title, short) for title, short, _ in report.peer_workloads(jmh)]
        self.assertEqual(titles, [("Task size: 4 callers × submit(1 µs task).get(), 4 workers", "1 µs tasks"),
                                  ("Task size: 4 callers × submit(10 µs task).get(), 4 workers", "10 µs tasks")])
        self.assertIn("665.3 `Blackhole.consumeCPU` tokens per µs", out)

    def test_virtual_task_sizes_get_a_table_each_in_numeric_order(self):
        def virtual(method, ops_per_s, micros):
            return dict(thrpt("VirtualTaskSizeBenchmark", method, ops_per_s, {"micros": micros}),
                        benchmark=f"dev.spool.benchmarks.futures.VirtualTaskSizeBenchmark.{method}")
        results = [virtual("spoolVirtual", 90_000, "10"), virtual("jucVirtualPerTask", 100_000, "10"),
                   virtual("spoolVirtual", 400_000, "1"), virtual("jucVirtualPerTask", 500_000, "1")]
        _, out = self.run_report(results)
        one = out.index("#### Virtual threads: submit+wait, 10k tasks of 1 µs")
        ten = out.index("#### Virtual threads: submit+wait, 10k tasks of 10 µs")
        self.assertLess(one, ten)
        self.assertIn("| spoolVirtual | 400,000 ops/s | 0.80× |  |", out[one:ten])
        self.assertIn("| jucVirtualPerTask (JDK) | 100,000 ops/s | 1 | |", out[ten:])
        self.assertIn("| spoolVirtual | 90,000 ops/s | 0.90× |  |", out[ten:])

    def test_a_parameter_without_a_place_in_the_title_stays_a_row_of_one_table(self):
        tables = report.group_tables({"submit[workerJit=client]": None, "submit[workerJit=server]": None},
                                     "ProcessPool: 20k submit of a tiny task, 2 workers")
        self.assertEqual([(title, sorted(methods)) for title, methods in tables],
                         [("ProcessPool: 20k submit of a tiny task, 2 workers",
                           ["submit[workerJit=client]", "submit[workerJit=server]"])])

    def test_peer_table_gives_ratios_against_jdk_and_micrometer(self):
        table = report.peer_table("t", {"jdkFixedPool": 50_000, "jdkMicrometer": 25_000, "spoolMetered": 40_000})
        self.assertIn("| Spool `ThreadPool` + meters, `result()` | 40,000 ops/s | 0.80× | +25.0 % | 1.60× |", table)
        self.assertIn("| `Executors.newFixedThreadPool(4)` (JDK) | 50,000 ops/s | 1.00× | +0.0 % | 2.00× |", table)

    def test_every_target_met_when_spool_leads(self):
        results = (peers("Oversubscribed64Benchmark", GOOD) + peers("TaskSizeBenchmark", GOOD, {"micros": "1"})
                   + [sample("RoundTripBenchmark", "jucFixedThreadPool", 10.0),
                      sample("RoundTripBenchmark", "spoolThreadPool", 12.0)])
        jmh, _ = self.run_report(results)
        rows = {target: (shown, v) for target, shown, v in report.target_rows(jmh)}
        self.assertEqual(set(v for _, v in rows.values()), {"met"})
        self.assertEqual(rows["Round trip p50 ≤ 1.25× the JDK's time"][0], "1.20× the JDK's time")
        self.assertEqual(len(rows), 7)  # 64 callers: 3 rows; 1 µs: 3 rows; round trip: 1

    def test_targets_missed_are_marked(self):
        slow = dict(GOOD, spoolResult=40_000, spoolMetered=40_000, dtpExecutor=41_000)
        jmh, out = self.run_report(peers("Oversubscribed8Benchmark", slow) + peers(
            "TaskSizeBenchmark", slow, {"micros": "10"}))
        rows = {target: (shown, v) for target, shown, v in report.target_rows(jmh)}
        self.assertEqual(rows["Oversubscribed, 8 callers: Spool ≥ 0.95× JDK"],
                         ("result() 0.80×, get() 0.96×", "**missed**"))
        self.assertEqual(rows["8 callers: metered ≥ 1.5× Micrometer"], ("1.33×", "**missed**"))
        self.assertEqual(rows["8 callers: metered ahead of Spring and dynamic-tp"],
                         ("0.89× ThreadPoolTaskExecutor, 0.98× DtpExecutor", "**missed**"))
        self.assertEqual(rows["10 µs tasks: metered within 5 % of JDK"], ("+25.0 %", "**missed**"))
        self.assertIn("#### Issue 12 and 16 targets in this run", out)

    def test_no_op_tasks_are_compared_with_the_peers_but_have_no_overhead_target(self):
        jmh, _ = self.run_report(peers("TaskSizeBenchmark", GOOD, {"micros": "0"}))
        rows = {target: (shown, v) for target, shown, v in report.target_rows(jmh)}
        self.assertIn("0 µs tasks: metered ≥ 1.5× Micrometer", rows)
        self.assertNotIn("0 µs tasks: metered within 5 % of JDK", rows)

    def test_a_run_without_peer_suites_prints_no_peer_section(self):
        _, out = self.run_report([sample("RoundTripBenchmark", "jucFixedThreadPool", 10.0)])
        self.assertNotIn("CPU work", out)


if __name__ == "__main__":
    unittest.main()
