#!/usr/bin/env python3
"""Breaks a JFR recording of EvaluationProfile down into the phases of one evaluation.

  jfr_breakdown.py POLICY.wasm SAMPLES.json

SAMPLES.json is `jfr print --json --events jdk.ExecutionSample` of the recording. Each sample of
the evaluating thread is put in one phase by its stack:

  engine (pool, guard)        in PolicyEngine.evaluate, outside the instance
  input write                 the host copies the input into Wasm memory (WasmPolicyInstance.evaluate)
  opa_eval: <function>        inside OPA's one-shot opa_eval, by the Wasm function opa_eval called:
                              opa_value_parse = OPA's JSON parse of the input in Wasm, eval = the
                              policy's evaluation, opa_value_dump = dumping the result
  result read                 the host reads the dumped result out of Wasm memory (readCString)
  result parse                the host turns OPA's value dump into JSON (ResultJson)

A second table gives the self time inside opa_eval by Wasm function (the innermost one on the
stack): which of OPA's runtime functions (object lookups, comparisons, allocation, ...) and which
of the policy's compiled rules the evaluation spends its time in.

Chicory compiles Wasm function N to a method named func_N; the names come from the module's
"name" section (opa build keeps it). Only the standard library is used.
"""

import collections
import json
import sys


def leb128(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def wasm_names(path):
    """Function index -> name (name section), and the number of imported functions."""
    data = open(path, "rb").read()
    pos, names, imported = 8, {}, 0
    while pos < len(data):
        section, pos = data[pos], pos + 1
        size, pos = leb128(data, pos)
        end = pos + size
        if section == 2:  # imports: count the functions among them
            count, p = leb128(data, pos)
            for _ in range(count):
                for _ in range(2):
                    length, p = leb128(data, p)
                    p += length
                kind, p = data[p], p + 1
                if kind == 0:
                    imported += 1
                    _, p = leb128(data, p)
                elif kind == 1:
                    p += 1
                    flags, p = leb128(data, p)
                    _, p = leb128(data, p)
                    if flags & 1:
                        _, p = leb128(data, p)
                elif kind == 2:
                    flags, p = leb128(data, p)
                    _, p = leb128(data, p)
                    if flags & 1:
                        _, p = leb128(data, p)
                else:
                    p += 2
        elif section == 0:
            length, p = leb128(data, pos)
            if data[p:p + length] == b"name":
                p += length
                while p < end:
                    sub, p = data[p], p + 1
                    sub_size, p = leb128(data, p)
                    if sub == 1:
                        count, q = leb128(data, p)
                        for _ in range(count):
                            index, q = leb128(data, q)
                            length, q = leb128(data, q)
                            names[index] = data[q:q + length].decode("utf-8", "replace")
                            q += length
                    p += sub_size
        pos = end
    return names, imported


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", "."), method["name"]


def phase(frames, names, offset):
    """The phase of one sample; frames[0] is the innermost."""
    calls = [frame_name(f) for f in frames]
    outer = list(reversed(calls))
    evaluate = next((i for i, (cls, m) in enumerate(outer)
                     if cls.endswith("WasmPolicyInstance") and m == "evaluate"), None)
    if evaluate is None:
        if any(cls.endswith("PolicyEngine") and m == "evaluate" for cls, m in outer):
            return "engine (pool, guard)"
        return None
    inner = outer[evaluate + 1:]
    funcs = [m for _, m in inner if m.startswith("func_")]
    if funcs:
        if len(funcs) == 1:
            return "opa_eval: itself"
        index = int(funcs[1][len("func_"):]) + offset
        return "opa_eval: " + names.get(index, "func %d" % index)
    for cls, m in inner:
        if cls.endswith("ResultJson"):
            return "result parse"
        if cls.endswith("WasmPolicyInstance") and m == "readCString":
            return "result read"
    if any(cls.endswith("HostBuiltins") for cls, _ in inner):
        return "host builtins reset"
    return "input write"


def main():
    names, imported = wasm_names(sys.argv[1])
    with open(sys.argv[2]) as f:
        events = json.load(f)["recording"]["events"]
    stacks = [e["values"]["stackTrace"]["frames"] for e in events
              if e["values"].get("stackTrace") and e["values"]["stackTrace"].get("frames")]
    # Chicory's func_N counts the imported functions or not: take the reading under which the
    # function the host called first is opa_eval.
    offset = 0
    for frames in stacks:
        funcs = [m for _, m in reversed([frame_name(f) for f in frames]) if m.startswith("func_")]
        if funcs:
            first = int(funcs[0][len("func_"):])
            offset = 0 if names.get(first) == "opa_eval" else imported if names.get(first + imported) == "opa_eval" else 0
            break
    counts = collections.Counter(p for p in (phase(s, names, offset) for s in stacks) if p)
    total = sum(counts.values())
    print("| phase | samples | share |")
    print("|---|---:|---:|")
    for name, n in counts.most_common():
        print("| %s | %d | %.1f%% |" % (name, n, 100.0 * n / total))
    print("| (all evaluation samples) | %d | 100%% |" % total)
    own = collections.Counter()
    for frames in stacks:
        funcs = [m for _, m in (frame_name(f) for f in frames) if m.startswith("func_")]
        if len(funcs) > 1:
            index = int(funcs[0][len("func_"):]) + offset
            own[names.get(index, "func %d" % index)] += 1
    if own:
        inside = sum(own.values())
        print()
        print("| Wasm function (self time inside opa_eval) | samples | share of opa_eval |")
        print("|---|---:|---:|")
        for name, n in own.most_common(12):
            print("| `%s` | %d | %.1f%% |" % (name, n, 100.0 * n / inside))


if __name__ == "__main__":
    main()
