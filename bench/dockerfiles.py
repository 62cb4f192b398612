#!/usr/bin/env python3
"""rampart vs hadolint on a folder of Dockerfiles: CPU time, parse failures, and recall on the
hadolint rules that rampart aliases.

Usage: bench/dockerfiles.py [CORPUS_DIR] [--hadolint PATH] [--rampart PATH] [--out DIR]
Defaults: CORPUS_DIR=../shared/corpus/dockerfiles, hadolint from $HADOLINT or
/opt/rampart-peers/bin/hadolint (install it with ../shared/bench/peers.sh), rampart from
target/release/rampart (build it first: cargo build --release --locked).

CPU time is user+system of the child processes (getrusage), so it does not depend on how busy
the machine is the way wall time does. hadolint runs once per file, as a CI job would run it;
rampart runs once for the whole folder. Recall: for every hadolint finding whose DL code a rampart
rule lists as an alias, does rampart report that alias on the same instruction? Disagreements are
written to OUT/disagreements.tsv for review.
"""
import argparse
import collections
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def instruction_starts(text):
    """1-based line numbers where instructions start: skips continuations, comments, heredoc bodies."""
    escape = "\\"
    m = re.match(r"(?:\s*#\s*\w+\s*=.*\n)*", text)
    for line in (m.group(0) if m else "").splitlines():
        d = re.match(r"\s*#\s*escape\s*=\s*(\S)", line, re.I)
        if d:
            escape = d.group(1)
    starts, continuing, heredocs = [], False, []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if heredocs:
            if stripped == heredocs[0] or line.lstrip("\t") == heredocs[0]:
                heredocs.pop(0)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if not continuing:
            starts.append(number)
        for q, name in re.findall(r"<<-?([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1", line):
            heredocs.append(name)
        continuing = line.rstrip().endswith(escape) and not heredocs
    return starts


def owning_instruction(starts, line):
    best = None
    for s in starts:
        if s <= line:
            best = s
        else:
            break
    return best if best is not None else line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/dockerfiles"))
    ap.add_argument("--hadolint", default=os.environ.get("HADOLINT", "/opt/rampart-peers/bin/hadolint"))
    ap.add_argument("--rampart", default=str(ROOT / "target/release/rampart"))
    ap.add_argument("--out", default=str(ROOT / "target/bench"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {corpus} ({len(files)} files)")

    # rampart: one call for the whole folder; every file there is named explicitly so names like
    # foo.Dockerfile.Dockerfile are all analysed.
    before = child_cpu()
    r = subprocess.run([args.rampart, "scan", "--no-config", "--format", "json", "--fail-on", "critical", *map(str, files)],
                       capture_output=True, text=True)
    rampart_cpu = child_cpu() - before
    if r.returncode not in (0, 1, 2):
        sys.exit(f"rampart failed ({r.returncode}): {r.stderr[:2000]}")
    report = json.loads(r.stdout)
    rampart_errors = report["errors"]

    # hadolint: one call per file.
    hadolint_findings, hadolint_parse_failures = [], []
    before = child_cpu()
    for f in files:
        h = subprocess.run([args.hadolint, "--no-fail", "-f", "json", str(f)], capture_output=True, text=True)
        try:
            items = json.loads(h.stdout or "[]")
        except json.JSONDecodeError:
            items = [{"code": "DL1000", "line": 1, "file": str(f), "message": h.stdout[:200]}]
        for item in items:
            item["file"] = str(f)
            if item["code"] == "DL1000":
                hadolint_parse_failures.append(f.name)
            hadolint_findings.append(item)
    hadolint_cpu = child_cpu() - before

    print(f"\nCPU seconds (user+sys)")
    print(f"  rampart  {rampart_cpu:8.3f} s  one call, {len(files)} files")
    print(f"  hadolint {hadolint_cpu:8.3f} s  {len(files)} calls ({1000 * hadolint_cpu / len(files):.1f} ms/file)")
    if hadolint_cpu > 0:
        print(f"  rampart / hadolint = {100 * rampart_cpu / hadolint_cpu:.2f}%  (goal: < 1%)")
    print(f"\nfiles that fail to parse: rampart {len(rampart_errors)}, hadolint {len(set(hadolint_parse_failures))}")
    for e in rampart_errors:
        print(f"  rampart: {Path(e['path']).name}:{e.get('line')}: {e['message']}")

    # Recall on aliased hadolint rules.
    aliased = {}
    rules = json.loads(subprocess.run([args.rampart, "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    for rule in rules:
        for alias in rule["aliases"]:
            if alias.startswith("DL"):
                aliased.setdefault(alias, []).append(rule["code"])
    starts_cache = {}

    def starts(path):
        if path not in starts_cache:
            starts_cache[path] = instruction_starts(Path(path).read_text(errors="replace"))
        return starts_cache[path]

    rampart_keys = set()
    for finding in report["findings"]:
        path = finding["location"].get("path")
        line = finding["location"].get("line")
        if path is None or line is None:
            continue
        inst = owning_instruction(starts(path), line)
        for alias in finding["aliases"]:
            rampart_keys.add((str(Path(path)), inst, alias))

    per_rule = collections.defaultdict(lambda: [0, 0])
    missed = []
    hadolint_keys = set()
    for item in hadolint_findings:
        code = item["code"]
        if code not in aliased:
            continue
        inst = owning_instruction(starts(item["file"]), item["line"])
        key = (str(Path(item["file"])), inst, code)
        if key in hadolint_keys:
            continue
        hadolint_keys.add(key)
        per_rule[code][0] += 1
        if key in rampart_keys:
            per_rule[code][1] += 1
        else:
            missed.append((code, "hadolint-only", item["file"], item["line"], item.get("message", "")))
    extra = [(code, "rampart-only", path, line, "") for (path, line, code) in sorted(rampart_keys - hadolint_keys) if code in aliased]

    total = sum(v[0] for v in per_rule.values())
    found = sum(v[1] for v in per_rule.values())
    print(f"\nrecall on hadolint rules that rampart aliases ({len(aliased)} DL codes):")
    print(f"  {'code':8} {'rampart':10} {'hadolint':>8} {'both':>6} {'recall':>7} {'rampart-only':>12}")
    extra_count = collections.Counter(e[0] for e in extra)
    for code in sorted(set(per_rule) | set(extra_count)):
        h, b = per_rule[code]
        recall = f"{100 * b / h:.1f}%" if h else "-"
        print(f"  {code:8} {','.join(aliased[code]):10} {h:8} {b:6} {recall:>7} {extra_count[code]:12}")
    if total:
        print(f"  overall: {found}/{total} = {100 * found / total:.1f}%  (goal: >= 95%)")
    with open(out / "disagreements.tsv", "w") as fh:
        fh.write("code\twho\tfile\tline\thadolint message\n")
        for row in sorted(missed) + sorted(extra):
            fh.write("\t".join(map(str, row)) + "\n")
    print(f"\ndisagreements: {len(missed)} hadolint-only, {len(extra)} rampart-only -> {out / 'disagreements.tsv'}")


if __name__ == "__main__":
    main()
