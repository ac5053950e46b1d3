#!/usr/bin/env python3
"""Helpers for bench/run.sh: the input mix, raw-latency summaries, and the report.

  benchlib.py free-ports N
  benchlib.py mix CASES_DIR OUT_DIR OPA_URL
  benchlib.py opa-check CASES_DIR OPA_URL
  benchlib.py bundle-revision POLICIES_JAR
  benchlib.py summarize --tool ghz|vegeta --raw FILE --system S --mode max|rate ... --out FILE
  benchlib.py half-rate PIECE.json PIECE.json
  benchlib.py windows --tool ghz|vegeta --raw FILE --label L [--window 5] [--since-ns EPOCH_NS] [--whole]
  benchlib.py report WORK_DIR BENCH_DIR
  benchlib.py write-json FILE key=string key:=json ...

Percentiles are computed here from every request's latency (ghz's JSON "details", vegeta's CSV),
nearest-rank, so both load tools are summarized the same way and p99.9 is available for both.
Only the standard library is used.
"""

import argparse
import base64
import csv
import glob
import io
import json
import math
import os
import re
import socket
import tarfile
import zipfile
import statistics
import sys
import urllib.request

PERCENTILES = (50.0, 90.0, 99.0, 99.9)
# A server pinned to one core that used less of it than this at "maximum" throughput was not the
# bottleneck.
SATURATED = 0.9
# A Java server spending more of its CPU than this in JIT compiler threads during a run was not warm.
JIT_WARM = 0.05


def die(message):
    print("benchlib: " + message, file=sys.stderr)
    sys.exit(1)


# --- inputs -----------------------------------------------------------------------------------

def read_cases(cases_dir):
    files = sorted(glob.glob(os.path.join(cases_dir, "*.json")))
    if not files:
        die("no contract cases in " + cases_dir)
    cases = []
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        name = os.path.basename(path)[:-len(".json")]
        cases.append({"name": name, "input": doc["input"],
                      "allow": bool(doc.get("expect", {}).get("allow", False))})
    return cases


def cmd_free_ports(args):
    sockets = []
    for _ in range(args.n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in sockets))
    for s in sockets:
        s.close()


def cmd_mix(args):
    """Writes the same inputs in each tool's form: ghz round-robins over a JSON array of
    requests; vegeta round-robins over JSON target lines; opa bench takes one input file."""
    cases = read_cases(args.cases_dir)
    os.makedirs(os.path.join(args.out_dir, "inputs"), exist_ok=True)
    with open(os.path.join(args.out_dir, "decide.json"), "w") as f:
        json.dump([{"path": "contract/decision", "input": c["input"]} for c in cases], f)
    with open(os.path.join(args.out_dir, "health.json"), "w") as f:
        json.dump({"service": ""}, f)
    with open(os.path.join(args.out_dir, "opa-targets.jsonl"), "w") as f:
        for c in cases:
            body = json.dumps({"input": c["input"]}, separators=(",", ":")).encode()
            f.write(json.dumps({"method": "POST", "url": args.opa_url,
                                "header": {"Content-Type": ["application/json"]},
                                "body": base64.b64encode(body).decode()}) + "\n")
    for c in cases:
        with open(os.path.join(args.out_dir, "inputs", c["name"] + ".json"), "w") as f:
            json.dump(c["input"], f)
    mix = {"cases": len(cases), "allowed": sum(c["allow"] for c in cases),
           "denied": sum(not c["allow"] for c in cases),
           "with_context": sum("context" in c["input"] for c in cases),
           "distinct_inputs": len({json.dumps(c["input"], sort_keys=True) for c in cases}),
           "names": [c["name"] for c in cases]}
    with open(os.path.join(args.out_dir, "mix.json"), "w") as f:
        json.dump(mix, f, indent=2)
    print("mix: %d inputs (%d allowed, %d denied, %d with a context block)"
          % (mix["cases"], mix["allowed"], mix["denied"], mix["with_context"]))


def cmd_opa_check(args):
    """OPA answers 200 with {} for an undefined rule: make sure it really decides the contract."""
    wrong = []
    cases = read_cases(args.cases_dir)
    for c in cases:
        body = json.dumps({"input": c["input"]}).encode()
        request = urllib.request.Request(args.opa_url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            result = json.load(response).get("result")
        if not isinstance(result, dict) or result.get("allow") is not c["allow"]:
            wrong.append("%s: expected allow=%s, OPA answered %s" % (c["name"], c["allow"], result))
    if wrong:
        die("OPA does not answer the contract cases as expected:\n  " + "\n  ".join(wrong))
    print("live check: OPA answered all %d contract cases as expected" % len(cases))


def cmd_bundle_revision(args):
    """The manifest revision of the built-in bundle (bundles/contract.tar.gz in the pdp-policies
    jar): policies/build.sh makes it a digest of the policy sources it was built from."""
    with zipfile.ZipFile(args.policies_jar) as jar:
        archive = jar.read("bundles/contract.tar.gz")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.name.lstrip("/") == ".manifest":
                print(json.load(tar.extractfile(member)).get("revision", ""))
                return
    die("bundles/contract.tar.gz in %s has no .manifest" % args.policies_jar)


# --- one load run -----------------------------------------------------------------------------

def nearest_rank(sorted_values, p):
    if not sorted_values:
        return None
    index = max(0, math.ceil(p / 100.0 * len(sorted_values)) - 1)
    return sorted_values[index]


def load_ghz(path):
    with open(path) as f:
        report = json.load(f)
    ok, errors = [], {}
    for d in report.get("details") or []:
        if d.get("status") == "OK" and not d.get("error"):
            ok.append(d["latency"])
        else:
            key = d.get("status") or "error"
            errors[key] = errors.get(key, 0) + 1
    return ok, errors, report["total"] / 1e9


def load_vegeta(path):
    ok, errors = [], {}
    first, last_end = None, None
    with open(path, newline="") as f:
        for row in csv.reader(f):
            timestamp, code, latency = int(row[0]), int(row[1]), int(row[2])
            first = timestamp if first is None else min(first, timestamp)
            last_end = timestamp + latency if last_end is None else max(last_end, timestamp + latency)
            if code == 200 and not row[5]:
                ok.append(latency)
            else:
                key = "HTTP %d" % code if code else "transport"
                errors[key] = errors.get(key, 0) + 1
    duration = (last_end - first) / 1e9 if first is not None else 0.0
    return ok, errors, duration


def cmd_summarize(args):
    ok, errors, duration = (load_ghz if args.tool == "ghz" else load_vegeta)(args.raw)
    ok.sort()
    cpu_seconds = args.cpu_ticks / float(args.clk_tck)
    piece = {
        "system": args.system, "mode": args.mode, "tool": args.tool,
        "concurrency": args.concurrency, "target_rate": args.rate or None,
        "seconds": args.seconds, "ok": len(ok), "errors": sum(errors.values()), "error_kinds": errors,
        "duration_s": round(duration, 3),
        "throughput_rps": round(len(ok) / duration, 1) if duration > 0 else 0.0,
        "latency_ms": {("p%g" % p): (round(nearest_rank(ok, p) / 1e6, 3) if ok else None) for p in PERCENTILES},
        "latency_ms_max": round(ok[-1] / 1e6, 3) if ok else None,
        "server_cpu_s": round(cpu_seconds, 2),
        "server_cpu_us_per_request": round(cpu_seconds * 1e6 / len(ok), 1) if ok else None,
        "server_cpu_util": round(cpu_seconds / args.wall_seconds, 2) if args.wall_seconds > 0 else None,
        "server_jit_share": round(args.jit_ticks / args.cpu_ticks, 3) if args.cpu_ticks > 0 else None,
        "load_tool_cpu_util": round(args.load_tool_cpu_seconds / args.wall_seconds, 2) if args.wall_seconds > 0 else None,
    }
    with open(args.out, "w") as f:
        json.dump(piece, f, indent=2)
    lat = piece["latency_ms"]
    print("  %-14s %-4s %8.0f req/s  p50 %s ms  p99 %s ms  p99.9 %s ms  server cpu %s us/req (%s%% of a core, "
          "%s%% of it JIT), load tool %s%%, errors %d"
          % (args.system, args.mode, piece["throughput_rps"], lat["p50"], lat["p99"], lat["p99.9"],
             piece["server_cpu_us_per_request"], round(100 * (piece["server_cpu_util"] or 0)),
             round(100 * (piece["server_jit_share"] or 0)),
             round(100 * (piece["load_tool_cpu_util"] or 0)), piece["errors"]))


GO_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def go_time_ns(text):
    """Epoch nanoseconds of a Go RFC 3339 time with up to nine fractional digits (ghz's timestamps)."""
    import calendar
    m = GO_TIME.match(text)
    if not m:
        die("unreadable timestamp " + text)
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction = (m.group(7) or "").ljust(9, "0")[:9]
    offset = 0
    if m.group(8) != "Z":
        sign = -1 if m.group(8)[0] == "-" else 1
        offset = sign * (int(m.group(8)[1:3]) * 3600 + int(m.group(8)[4:6]) * 60)
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) - offset
    return seconds * 1_000_000_000 + int(fraction)


def requests_of(tool, path):
    """(sent at, epoch ns; latency ns; answered OK) for every request of one load run."""
    out = []
    if tool == "ghz":
        with open(path) as f:
            for d in json.load(f).get("details") or []:
                out.append((go_time_ns(d["timestamp"]), d["latency"], d.get("status") == "OK" and not d.get("error")))
    else:
        with open(path, newline="") as f:
            for row in csv.reader(f):
                out.append((int(row[0]), int(row[2]), int(row[1]) == 200 and not row[5]))
    return out


def cmd_windows(args):
    """p50/p99 and throughput of the answered requests in consecutive windows, by the time each
    was sent, counted from --since-ns (e.g. the moment the server said it was serving) or from the
    first request. With --whole, one row for the whole run, its window the run's --window seconds."""
    reqs = sorted(requests_of(args.tool, args.raw))
    if not reqs:
        die("no requests in " + args.raw)
    since = args.since_ns if args.since_ns else reqs[0][0]
    window_ns = int(args.window * 1e9) if not args.whole else 1 << 62
    buckets = {}
    for sent, latency, ok in reqs:
        index = max(0, (sent - since) // window_ns)
        bucket = buckets.setdefault(index, {"ok": [], "errors": 0})
        if ok:
            bucket["ok"].append(latency)
        else:
            bucket["errors"] += 1
    for index in sorted(buckets):
        ok = sorted(buckets[index]["ok"])
        p50 = "%.3f" % (nearest_rank(ok, 50) / 1e6) if ok else "-"
        p99 = "%.3f" % (nearest_rank(ok, 99) / 1e6) if ok else "-"
        print("| %s | %g–%g | %d | %.0f | %s | %s | %d |" % (args.label, index * args.window, (index + 1) * args.window,
              len(ok), len(ok) / args.window, p50, p99, buckets[index]["errors"]))


def cmd_cold_targets(args):
    """Issue 12's cold-start targets from one coldstart.sh run: the PDP's first --first seconds
    after SERVING against OPA's warm throughput (OPA's last --last seconds of its own run) and
    against the PDP's own warm p99 (its last --last seconds)."""
    def between(tool, path, since, start_s, end_s):
        lo, hi = since + int(start_s * 1e9), since + int(end_s * 1e9)
        return sorted(lat for sent, lat, ok in requests_of(tool, path) if ok and lo <= sent < hi)

    pdp_end = max(sent for sent, _, _ in requests_of("ghz", args.pdp)) - args.pdp_since_ns
    opa_end = max(sent for sent, _, _ in requests_of("vegeta", args.opa)) - args.opa_since_ns
    pdp_first = between("ghz", args.pdp, args.pdp_since_ns, 0, args.first)
    pdp_warm = between("ghz", args.pdp, args.pdp_since_ns, pdp_end / 1e9 - args.last, pdp_end / 1e9 + 1)
    opa_warm = between("vegeta", args.opa, args.opa_since_ns, opa_end / 1e9 - args.last, opa_end / 1e9 + 1)
    if not (pdp_first and pdp_warm and opa_warm):
        die("a window of the cold-start run has no answered request")
    first_rate, opa_rate = len(pdp_first) / args.first, len(opa_warm) / args.last
    first_p99, warm_p99 = nearest_rank(pdp_first, 99) / 1e6, nearest_rank(pdp_warm, 99) / 1e6
    print("| target | measured | goal | met |")
    print("|---|---:|---:|---|")
    print("| PDP throughput in its first %g s after SERVING ÷ OPA's warm throughput (its last %g s) | %.0f ÷ %.0f = %.2f | ≥ 2 | %s |"
          % (args.first, args.last, first_rate, opa_rate, first_rate / opa_rate, "yes" if first_rate >= 2 * opa_rate else "no"))
    print("| PDP p99 in its first %g s ÷ its own warm p99 (its last %g s) | %.3f ÷ %.3f ms = %.2f | ≤ 2 | %s |"
          % (args.first, args.last, first_p99, warm_p99, first_p99 / warm_p99, "yes" if first_p99 <= 2 * warm_p99 else "no"))


def cmd_activation_targets(args):
    """Issue 12's activation target from one activation.sh run: p99 of the --after seconds after
    the activation was answered, against the steady p99 before the push (from --steady-from)."""
    reqs = requests_of("ghz", args.raw)
    def p99(lo, hi):
        ok = sorted(lat for sent, lat, good in reqs if good and lo <= sent < hi)
        if not ok:
            die("no answered request between the given times")
        return nearest_rank(ok, 99) / 1e6
    steady = p99(args.start_ns + int(args.steady_from * 1e9), args.push_ns)
    during = p99(args.push_ns, args.activated_ns)
    after = p99(args.activated_ns, args.activated_ns + int(args.after * 1e9))
    print("| target | measured | goal | met |")
    print("|---|---:|---:|---|")
    print("| p99 of the %g s after the activation ÷ steady p99 before the push | %.3f ÷ %.3f ms = %.2f | ≤ 2 | %s |"
          % (args.after, after, steady, after / steady, "yes" if after <= 2 * steady else "no"))
    print("| (p99 while the new revision was prepared beside the traffic) | %.3f ms | | |" % during)


def cmd_half_rate(args):
    maxima = []
    for path in args.pieces:
        with open(path) as f:
            maxima.append(json.load(f)["throughput_rps"])
    print(max(1, int(min(maxima) / 2)))


def cmd_write_json(args):
    """Lets the shell write JSON without quoting: key=value for strings, key:=value for raw JSON."""
    obj = {}
    for pair in args.pairs:
        key, value = pair.split("=", 1)
        if key.endswith(":"):
            obj[key[:-1]] = json.loads(value)
        else:
            obj[key] = value
    with open(args.file, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


# --- the report -------------------------------------------------------------------------------

def read_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def read_concatenated_json(path):
    """opa bench --count N prints N JSON objects one after another."""
    with open(path) as f:
        text = f.read()
    decoder, objects, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return objects
        obj, i = decoder.raw_decode(text, i)
        objects.append(obj)


def jmh_results(path):
    rows = {}
    for r in read_json(path, []):
        name = r["benchmark"].rsplit(".", 2)
        key = (name[-2], name[-1], r.get("params", {}).get("contractCase", ""))
        metric = r["primaryMetric"]
        pct = metric.get("scorePercentiles", {})
        rows[key] = {"benchmark": name[-2] + "." + name[-1], "case": key[2], "mode": r["mode"],
                     "unit": metric["scoreUnit"], "score": metric["score"],
                     "score_error": metric.get("scoreError"),
                     "p50": pct.get("50.0"), "p90": pct.get("90.0"), "p99": pct.get("99.0"),
                     "p99.9": pct.get("99.9")}
    return rows


def opa_bench_results(directory):
    rows = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        runs = read_concatenated_json(path)
        ns_per_op = [r["T"] / r["N"] for r in runs if r.get("N")]
        medians = [r.get("Extra", {}).get("histogram_timer_rego_query_eval_ns_median") for r in runs]
        medians = [m for m in medians if m is not None]
        name = os.path.basename(path)[:-len(".json")]
        rows[name] = {"case": name, "runs": len(runs),
                      "ns_per_op": round(statistics.median(ns_per_op)) if ns_per_op else None,
                      "eval_median_ns": round(statistics.median(medians)) if medians else None,
                      "allocs_per_op": round(statistics.median([r["MemAllocs"] / r["N"] for r in runs if r.get("N")]))
                      if runs else None}
    return rows


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return ("%." + str(digits) + "f") % value
    return str(value)


def difference(a, b):
    return a - b if a is not None and b is not None else None


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def target_row(name, value_text, met, target):
    status = "–" if met is None else ("met" if met else "**not met**")
    return "| %s | %s | %s | %s |" % (name, target, value_text, status)


def cmd_report(args):
    work = args.work_dir
    settings = read_json(os.path.join(work, "settings.json"), {})
    machine = read_json(os.path.join(work, "machine.json"), {})
    versions = read_json(os.path.join(work, "versions.json"), {})
    mix = read_json(os.path.join(work, "mix.json"), {})
    pieces = {}
    for path in glob.glob(os.path.join(work, "pieces", "*.json")):
        p = read_json(path)
        pieces[(p["system"], p["mode"])] = p
    jmh = jmh_results(os.path.join(work, "raw", "jmh.json"))
    opa_bench = opa_bench_results(os.path.join(work, "raw", "opa-bench"))

    systems = settings.get("systems", [])
    decision_log = settings.get("decision_log", "not built yet")
    ours = settings.get("ours", "pdp")

    def piece(system, mode):
        return pieces.get((system, mode), {})

    comparisons = {}
    ours_max = piece(ours, "max").get("throughput_rps")
    for system in systems:
        if system.startswith("pdp"):
            comparisons[system] = {
                "throughput_vs_opa": ratio(piece(system, "max").get("throughput_rps"),
                                           piece("opa", "max").get("throughput_rps")),
                "throughput_vs_floor": ratio(piece(system, "max").get("throughput_rps"),
                                             piece("grpc-floor", "max").get("throughput_rps")),
                "cpu_per_decision_vs_opa": ratio(piece(system, "max").get("server_cpu_us_per_request"),
                                                 piece("opa", "max").get("server_cpu_us_per_request")),
            }

    evaluate_p50 = {k[2]: v["p50"] for k, v in jmh.items() if k[:2] == ("EngineBenchmark", "evaluate")}
    worst_eval_p50_us = max(evaluate_p50.values()) if evaluate_p50 else None
    ours_rate = piece(ours, "rate")
    ours_p99 = ours_rate.get("latency_ms", {}).get("p99")
    targets = {
        "throughput_vs_opa": {"target": ">= 1.5", "value": comparisons.get(ours, {}).get("throughput_vs_opa")},
        "p99_ms_at_half_max": {"target": "<= 1.0", "value": ours_p99},
        "in_process_eval_median_us": {"target": "<= 5.0", "value": worst_eval_p50_us},
        "throughput_vs_floor": {"target": ">= 0.5", "value": comparisons.get(ours, {}).get("throughput_vs_floor")},
    }
    for name, t in targets.items():
        v = t["value"]
        if v is None:
            t["met"] = None
        elif t["target"].startswith(">="):
            t["met"] = v >= float(t["target"][2:])
        else:
            t["met"] = v <= float(t["target"][2:])

    results = {"trial": not settings.get("full", False), "settings": settings, "machine": machine,
               "versions": versions, "mix": mix, "decision_log": decision_log,
               "load": [pieces[k] for k in sorted(pieces)], "comparisons": comparisons,
               "jmh": list(jmh.values()), "opa_bench": list(opa_bench.values()), "targets": targets}

    startup_dir = os.path.join(work, "startup")
    if os.path.isdir(startup_dir):
        for name in sorted(os.listdir(startup_dir)):
            if name.endswith(".md"):
                with open(os.path.join(startup_dir, name)) as f:
                    results.setdefault("startup", {})[name[:-3]] = f.read()
    md = render_markdown(results, systems, ours, piece, jmh, opa_bench)
    # A partial run (--skip-load, --skip-jmh) stays in its own directory: it must not replace
    # the published figures with half a table.
    complete = settings.get("load_measured") and settings.get("jmh_measured") and settings.get("startup_measured", True)
    outputs = [(work, "results.json"), (work, "results.md")]
    if complete:
        outputs += [(args.bench_dir, "results.json"), (args.bench_dir, "RESULTS.md")]
    for directory, name in outputs:
        with open(os.path.join(directory, name), "w") as f:
            if name.endswith(".json"):
                json.dump(results, f, indent=2)
                f.write("\n")
            else:
                f.write(md)
    print("report: " + ", ".join(os.path.join(d, n) for d, n in outputs)
          + ("" if complete else " (a partial run: bench/RESULTS.md is left as it was)"))


def render_markdown(results, systems, ours, piece, jmh, opa_bench):
    s = results["settings"]
    m = results["machine"]
    v = results["versions"]
    mix = results["mix"]
    out = []
    w = out.append
    w("# Benchmark results")
    w("")
    w("Written by `bench/run.sh` (see [README.md](README.md) for what each figure means); "
      "machine-readable copy: [results.json](results.json).")
    w("")
    if results["trial"]:
        w("> **SHORT TRIAL RUN — not the benchmark's figures.** %d s per measurement, %d s warm-up, short JMH "
          "settings, on a machine that was not quiet (load average %s at start). It proves the harness works "
          "end to end; replace these figures with a `bench/run.sh --full` run on a quiet machine."
          % (s.get("measure_seconds", 0), s.get("warmup_seconds", 0), m.get("loadavg_start", "?")))
        w("")
    w("## How it was run")
    w("")
    w("- command: `%s`" % s.get("command", "bench/run.sh"))
    w("- date: %s; git commit `%s`%s" % (s.get("date", "?"), v.get("git_commit", "?"),
                                         " (work tree had uncommitted changes)" if v.get("git_dirty") else ""))
    w("- machine: %s CPUs (%s), %s memory, %s; load average %s at start, %s at end"
      % (m.get("nproc"), m.get("cpu_model"), m.get("memory"), m.get("kernel"),
         m.get("loadavg_start"), m.get("loadavg_end")))
    w("- versions: java %s; opa %s; ghz %s; vegeta %s; go %s"
      % (v.get("java"), v.get("opa"), v.get("ghz"), v.get("vegeta"), v.get("go")))
    w("- pinning: %s" % s.get("pinning", "none"))
    w("- input mix: the %s contract test cases (%s allowed, %s denied; %s of them with a context block), "
      "sent round-robin by every load tool" % (mix.get("cases"), mix.get("allowed"), mix.get("denied"),
                                               mix.get("with_context")))
    w("- load: closed loop at concurrency %s for maximum throughput; then a fixed rate of **%s req/s** "
      "(half the slower system's maximum) with at most %s requests in flight; %s s warm-up before each "
      "system's first measurement, %s s per measurement"
      % (s.get("concurrency"), s.get("rate"), s.get("concurrency"), s.get("warmup_seconds"),
         s.get("measure_seconds")))
    w("- servers: PDP `%s` on its built-in contract bundle (%s policy instances); OPA `%s` on %s"
      % (s.get("pdp_command", "?"), s.get("pdp_instances", "?"), s.get("opa_command", "?"),
         s.get("opa_policy", "the same policy")))
    w("- policy: bundle revision `%s`" % s.get("bundle_revision", "?"))
    w("- decision log: %s" % results["decision_log"])
    w("")
    w("## Against OPA and the no-op gRPC floor")
    w("")
    w("| system | what is measured | max throughput (req/s) | server CPU per request at max (µs) | "
      "server / load tool CPU at max (cores) | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | "
      "server CPU per request at rate (µs) | errors (max / rate) |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    unsaturated = []
    labels = {"opa": "OPA REST `POST /v1/data/contract/decision`",
              "grpc-floor": "PDP `grpc.health.v1.Health/Check` (transport only)"}
    for system in systems:
        mx, rt = piece(system, "max"), piece(system, "rate")
        label = labels.get(system, "PDP `pdp.v1.DecisionService/Decide`"
                           + {"pdp-audit": ", decision log on", "pdp-no-audit": ", decision log off"}.get(system, ""))
        lat = rt.get("latency_ms", {})
        flag = ""
        if mx.get("server_cpu_util") is not None and mx["server_cpu_util"] < SATURATED:
            flag = " ⚠"
            unsaturated.append(system)
        w("| %s | %s | %s%s | %s | %s / %s | %s | %s | %s | %s | %s | %s / %s |"
          % (system, label, fmt(mx.get("throughput_rps"), 0), flag, fmt(mx.get("server_cpu_us_per_request")),
             fmt(mx.get("server_cpu_util"), 2), fmt(mx.get("load_tool_cpu_util"), 2),
             fmt(lat.get("p50"), 3), fmt(lat.get("p90"), 3),
             fmt(lat.get("p99"), 3), fmt(lat.get("p99.9"), 3), fmt(rt.get("server_cpu_us_per_request")),
             mx.get("errors", "–"), rt.get("errors", "–")))
    w("")
    w("Latencies are at the fixed rate, from every request's own latency (nearest rank). CPU is the server "
      "process's utime+stime from `/proc/<pid>/stat` over the run ÷ requests answered. ghz cuts the calls "
      "still in flight (at most the concurrency) when its duration ends; they count as errors.")
    w("")
    warming = [(system, mode, piece(system, mode).get("server_jit_share")) for system in systems
               for mode in ("max", "rate") if (piece(system, mode).get("server_jit_share") or 0) >= JIT_WARM]
    if warming:
        w("JIT still compiling during a measured run (share of the server's CPU spent in its JIT compiler "
          "threads; under %d%% counts as warm): %s. Those figures include compilation and understate the "
          "warm server; a longer warm-up (`WARMUP_SECONDS`) removes it."
          % (round(100 * JIT_WARM), ", ".join("%s %s %d%%" % (s_, m, round(100 * j)) for s_, m, j in warming)))
        w("")
    if unsaturated:
        w("⚠ %s: the server used less than %.1f of its core at maximum throughput, so that maximum was set by "
          "something else (the load tool on its single core, or other work on the machine), not by the server."
          % (", ".join(unsaturated), SATURATED))
        w("")
    w("Ratios:")
    w("")
    w("| PDP | throughput ÷ OPA | throughput ÷ gRPC floor | CPU per decision ÷ OPA's |")
    w("|---|---:|---:|---:|")
    for system, c in results["comparisons"].items():
        w("| %s | %s | %s | %s |" % (system, fmt(c["throughput_vs_opa"], 2), fmt(c["throughput_vs_floor"], 2),
                                     fmt(c["cpu_per_decision_vs_opa"], 2)))
    w("")
    w("## Decision log on and off")
    w("")
    if "pdp-audit" in systems and "pdp-no-audit" in systems:
        a, n = piece("pdp-audit", "max"), piece("pdp-no-audit", "max")
        w("| | decision log on | decision log off | on ÷ off |")
        w("|---|---:|---:|---:|")
        w("| max throughput (req/s) | %s | %s | %s |" % (fmt(a.get("throughput_rps"), 0), fmt(n.get("throughput_rps"), 0),
                                                         fmt(ratio(a.get("throughput_rps"), n.get("throughput_rps")), 2)))
        w("| CPU per decision (µs) | %s | %s | %s |" % (
            fmt(a.get("server_cpu_us_per_request")), fmt(n.get("server_cpu_us_per_request")),
            fmt(ratio(a.get("server_cpu_us_per_request"), n.get("server_cpu_us_per_request")), 2)))
        ar, nr = piece("pdp-audit", "rate").get("latency_ms", {}), piece("pdp-no-audit", "rate").get("latency_ms", {})
        w("| p99 at the fixed rate (ms) | %s | %s | %s |" % (fmt(ar.get("p99"), 3), fmt(nr.get("p99"), 3),
                                                             fmt(ratio(ar.get("p99"), nr.get("p99")), 2)))
    else:
        w("Decision log not built yet: `pdp serve --help` has no `--no-audit`, so the PDP ran one way only. "
          "Once the decision log lands, the same command runs it both ways.")
    w("")
    w("## In process")
    w("")
    w("One contract decision on one thread, on the built-in bundle (JMH, sample time; `evaluate` is "
      "`PolicyEngine.evaluate`, `decide` is `DecisionService.decide`: evaluation plus result parsing) and "
      "OPA's own Go evaluator on the same Rego, data and input (`opa bench`, mean ns/op).")
    w("")
    w("| contract case | evaluate p50 (µs) | evaluate p99 (µs) | evaluate mean (µs) | decide p50 (µs) | "
      "decide p99 (µs) | opa bench (µs/op) | opa eval median (µs) | evaluate mean ÷ opa |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cases = sorted({k[2] for k in jmh if k[0] == "EngineBenchmark"} | set(opa_bench))
    for case in cases:
        ev = jmh.get(("EngineBenchmark", "evaluate", case), {})
        de = jmh.get(("EngineBenchmark", "decide", case), {})
        ob = opa_bench.get(case, {})
        opa_us = ob["ns_per_op"] / 1000.0 if ob.get("ns_per_op") else None
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
          % (case, fmt(ev.get("p50")), fmt(ev.get("p99")), fmt(ev.get("score")), fmt(de.get("p50")),
             fmt(de.get("p99")), fmt(opa_us), fmt(ob["eval_median_ns"] / 1000.0 if ob.get("eval_median_ns") else None),
             fmt(ratio(ev.get("score"), opa_us), 2)))
    w("")
    w("## SDK overhead")
    w("")
    w("`PdpClient.decide(ContractInput)` against the raw generated blocking stub sending the same request "
      "(JMH sample time): in process, over grpc-inprocess to a service answering with the PDP's own response "
      "for the case (the SDK's cost alone); and over loopback to a real `PdpServer` in the same JVM (end to end).")
    w("")
    w("| contract case | transport | SDK p50 (µs) | raw stub p50 (µs) | SDK p50 − raw p50 (µs) | SDK p99 (µs) | "
      "raw stub p99 (µs) | SDK mean − raw mean (µs) |")
    w("|---|---|---:|---:|---:|---:|---:|---:|")
    for case in sorted({k[2] for k in jmh if k[0] == "SdkBenchmark"}):
        for transport, prefix in (("in process, canned answer", "inProcess"), ("loopback, real PDP", "loopback")):
            sdk = jmh.get(("SdkBenchmark", prefix + "SdkDecide", case), {})
            raw = jmh.get(("SdkBenchmark", prefix + "RawStubDecide", case), {})
            if not sdk and not raw:
                continue
            w("| %s | %s | %s | %s | %s | %s | %s | %s |"
              % (case, transport, fmt(sdk.get("p50"), 2), fmt(raw.get("p50"), 2),
                 fmt(difference(sdk.get("p50"), raw.get("p50")), 2), fmt(sdk.get("p99"), 1),
                 fmt(raw.get("p99"), 1), fmt(difference(sdk.get("score"), raw.get("score")), 2)))
    w("")
    built = [(k[1], r) for k, r in sorted(jmh.items()) if k[0] == "ContractInputBenchmark"]
    if built:
        w("Building a `ContractInput` (typed builder, including the protobuf Struct): "
          + "; ".join("%s %s %s" % (name, fmt(r["score"], 0), r["unit"]) for name, r in built) + ".")
        w("")
    w("## Targets")
    w("")
    w("| target | wanted | where we stand | |")
    w("|---|---|---|---|")
    t = results["targets"]
    w(target_row("PDP throughput ÷ OPA REST server throughput", fmt(t["throughput_vs_opa"]["value"], 2),
                 t["throughput_vs_opa"]["met"], "≥ 1.5×"))
    w(target_row("PDP p99 at half of maximum throughput (%s req/s)" % s.get("rate"),
                 fmt(t["p99_ms_at_half_max"]["value"], 3) + " ms", t["p99_ms_at_half_max"]["met"], "≤ 1 ms"))
    w(target_row("in-process evaluation median (slowest case measured)",
                 fmt(t["in_process_eval_median_us"]["value"]) + " µs", t["in_process_eval_median_us"]["met"], "≤ 5 µs"))
    w(target_row("decision throughput ÷ no-op gRPC floor", fmt(t["throughput_vs_floor"]["value"], 2),
                 t["throughput_vs_floor"]["met"], "≥ 0.5"))
    w("")
    w("The PDP in these targets is `%s`%s." % (ours, " (decision log on, as it ships)" if ours == "pdp-audit" else ""))
    w("")
    startup = results.get("startup") or {}
    titles = {"coldstart": ("Cold start against OPA", "bench/coldstart.sh"),
              "activation": ("A new revision activated under load", "bench/activation.sh"),
              "decision-log-sync": ("The decision log's durability modes at half load", "bench/decision-log-sync.sh")}
    for name, (title, script) in titles.items():
        if name in startup:
            w("## %s (`%s`)" % (title, script))
            w("")
            w(startup[name].rstrip())
            w("")
    # Hand-written, kept across runs: what was profiled and changed, with before and after figures.
    history = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "PERFORMANCE-WORK.md")
    if os.path.exists(history):
        with open(history) as f:
            w(f.read().rstrip())
        w("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("free-ports")
    p.add_argument("n", type=int)
    p.set_defaults(run=cmd_free_ports)

    p = sub.add_parser("mix")
    p.add_argument("cases_dir")
    p.add_argument("out_dir")
    p.add_argument("opa_url")
    p.set_defaults(run=cmd_mix)

    p = sub.add_parser("opa-check")
    p.add_argument("cases_dir")
    p.add_argument("opa_url")
    p.set_defaults(run=cmd_opa_check)

    p = sub.add_parser("bundle-revision")
    p.add_argument("policies_jar")
    p.set_defaults(run=cmd_bundle_revision)

    p = sub.add_parser("summarize")
    p.add_argument("--tool", choices=("ghz", "vegeta"), required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--system", required=True)
    p.add_argument("--mode", choices=("max", "rate"), required=True)
    p.add_argument("--concurrency", type=int, required=True)
    p.add_argument("--rate", type=int, default=0)
    p.add_argument("--seconds", type=int, required=True)
    p.add_argument("--cpu-ticks", type=int, required=True)
    p.add_argument("--jit-ticks", type=int, default=0)
    p.add_argument("--clk-tck", type=int, required=True)
    p.add_argument("--wall-seconds", type=float, required=True)
    p.add_argument("--load-tool-cpu-seconds", type=float, default=0.0)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_summarize)

    p = sub.add_parser("half-rate")
    p.add_argument("pieces", nargs="+")
    p.set_defaults(run=cmd_half_rate)

    p = sub.add_parser("windows")
    p.add_argument("--tool", choices=("ghz", "vegeta"), required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--window", type=float, default=5.0)
    p.add_argument("--since-ns", type=int, default=0)
    p.add_argument("--whole", action="store_true")
    p.set_defaults(run=cmd_windows)

    p = sub.add_parser("activation-targets")
    p.add_argument("--raw", required=True)
    p.add_argument("--start-ns", type=int, required=True)
    p.add_argument("--push-ns", type=int, required=True)
    p.add_argument("--activated-ns", type=int, required=True)
    p.add_argument("--steady-from", type=float, default=10.0)
    p.add_argument("--after", type=float, default=30.0)
    p.set_defaults(run=cmd_activation_targets)

    p = sub.add_parser("cold-targets")
    p.add_argument("--pdp", required=True)
    p.add_argument("--pdp-since-ns", type=int, required=True)
    p.add_argument("--opa", required=True)
    p.add_argument("--opa-since-ns", type=int, required=True)
    p.add_argument("--first", type=float, default=10.0)
    p.add_argument("--last", type=float, default=60.0)
    p.set_defaults(run=cmd_cold_targets)

    p = sub.add_parser("report")
    p.add_argument("work_dir")
    p.add_argument("bench_dir")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("write-json")
    p.add_argument("file")
    p.add_argument("pairs", nargs="*")
    p.set_defaults(run=cmd_write_json)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
