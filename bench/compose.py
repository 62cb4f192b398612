#!/usr/bin/env python3
"""rampart on a folder of compose files: one `rampart scan` call for all of them, its CPU and
wall time, the files it rejects (with the reason) and the findings per rule.

Usage: bench/compose.py [CORPUS_DIR] [--rampart PATH] [--out DIR]
Defaults: CORPUS_DIR=../shared/corpus/compose, rampart from target/release/rampart (build it
first: cargo build --release --locked).

Every file is named on the command line, so each is loaded alone (as `docker compose -f FILE
config` would) whatever its name. When `docker compose` (v2) is installed, each file also goes
through `docker compose -f FILE config -q` with the same empty project directory environment,
and the files the two reject differently are listed; otherwise that comparison is skipped.
"""
import argparse
import collections
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def docker_compose_available():
    if not shutil.which("docker"):
        return False
    r = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/compose"))
    ap.add_argument("--rampart", default=str(ROOT / "target/release/rampart"))
    ap.add_argument("--out", default=str(ROOT / "target/bench"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {corpus} ({len(files)} files)")

    # A fixed environment: results must not depend on who runs the benchmark.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    before_cpu, before_wall = child_cpu(), time.monotonic()
    r = subprocess.run([args.rampart, "scan", "--no-config", "--format", "json", "--fail-on", "never", *map(str, files)],
                       capture_output=True, text=True, env=env)
    cpu, wall = child_cpu() - before_cpu, time.monotonic() - before_wall
    if r.returncode not in (0, 1, 2):
        sys.exit(f"rampart failed ({r.returncode}): {r.stderr[:2000]}")
    report = json.loads(r.stdout)
    errors = report["errors"]
    rejected = {Path(e["path"]).name for e in errors if Path(e["path"]).parent == corpus}
    by_rule = collections.Counter(f["rule"] for f in report["findings"])

    print(f"\nrampart scan, one call: {cpu:.3f} s CPU, {wall:.3f} s wall")
    print(f"files loaded: {len(files) - len(rejected)}, rejected: {len(rejected)}, findings: {len(report['findings'])}")
    with open(out / "compose-errors.tsv", "w") as tsv:
        tsv.write("file\tline\tcolumn\tmessage\n")
        for e in errors:
            tsv.write(f"{e['path']}\t{e.get('line', '')}\t{e.get('column', '')}\t{e['message']}\n")
    reasons = collections.Counter()
    for e in errors:
        message = e["message"]
        if "version 1 compose file" in message:
            reasons["version 1 file (services at the top level)"] += 1
        elif "extends" in message and "cannot read" in message:
            reasons["extends file not in the corpus"] += 1
        elif message.startswith("env file"):
            reasons["env_file not in the corpus"] += 1
        elif "required variable" in message:
            reasons["required variable unset"] += 1
        else:
            reasons["other: " + message[:100]] += 1
    print("\nrejections by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:4d}  {reason}")
    print(f"\nfindings by rule (top 15 of {len(by_rule)}):")
    for rule, count in by_rule.most_common(15):
        print(f"  {count:5d}  {rule}")
    print(f"\nerrors written to {out / 'compose-errors.tsv'}")

    if not docker_compose_available():
        print("\ndocker compose (v2) is not installed here: comparison with `docker compose config` skipped")
        return
    compose_rejected = set()
    before = child_cpu()
    for f in files:
        c = subprocess.run(["docker", "compose", "-f", str(f), "config", "-q"], capture_output=True, text=True, env=env)
        if c.returncode != 0:
            compose_rejected.add(f.name)
    print(f"\ndocker compose config, one call per file: {child_cpu() - before:.3f} s CPU")
    print(f"rejected by both: {len(rejected & compose_rejected)}")
    for name in sorted(rejected - compose_rejected):
        print(f"  only rampart rejects: {name}")
    for name in sorted(compose_rejected - rejected):
        print(f"  only docker compose rejects: {name}")


if __name__ == "__main__":
    main()
