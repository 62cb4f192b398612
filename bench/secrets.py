#!/usr/bin/env python3
"""Measures rampart's secret scanner on gitleaks' and trivy's test data (not a test).

Runs the scanner (crates/secrets/examples/scan.rs, release build) over every file under
../shared/fixtures/secrets and compares with what the test data encodes:

- trivy: the golden findings of pkg/fanal/secret/scanner_test.go for its built-in rules (file,
  line, rule), written below as (line, family) per file; the custom-rule cases (rule1 from
  config.yaml) are not about built-in detection and are left out; files named invalid/wrapped
  are negatives;
- gitleaks: the test sources say where their secret is ("opps I added a secret at line 20"),
  and gitleaks' directory test expects the generic finding in .env.prod;
- sample: the planted values, one per line.

An expected finding is matched by a finding of the same family within one line (trivy reports
a key block on its body line, rampart on its header), "found by another rule" when only a
different family fires there, and missed otherwise. Findings in labelled files that match no
expectation are false positives. Files nobody labelled (gitleaks' configs, reports, git
internals) are listed for review, not scored.

Then measures throughput on a large text (the repository's own sources, repeated).

    python3 bench/secrets.py [--fixtures DIR] [--no-speed]
"""

import argparse
import collections
import os
import pathlib
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
TRIVY = "trivy-testdata/pkg/fanal/secret/testdata/"
GITLEAKS = "gitleaks-testdata/testdata/"

# Files that are scanner configurations in trivy's test data, not inputs to scan.
TRIVY_CONFIGS = {
    "allow-path.yaml", "allow-regex-outside-group.yaml", "allow-regex.yaml", "config-disable-allow-rule-md.yaml",
    "config-disable-ghp.yaml", "config-disable-rule1.yaml", "config-enable-ghp.yaml", "config-happy-keywords.yaml",
    "config-sad-keywords.yaml", "config-with-incorrect-severity.yaml", "config-with-non-uppercase-severity.yaml",
    "config-without-severity.yaml", "config.yaml", "exclude-block.yaml", "global-allow-path.yaml",
    "global-allow-regex.yaml", "global-exclude-block.yaml", "multi-line-off.yaml", "multi-line-on.yaml",
    "multiple-secret-groups.yaml", "skip-test.yaml",
}

# path -> [(line, family)]; an empty list labels a file as holding no secret.
EXPECTED = {
    TRIVY + "aws-secrets.txt": [(1, "aws"), (2, "aws"), (5, "aws")],
    TRIVY + "crlf-line-endings.txt": [(2, "aws"), (4, "github")],
    TRIVY + "asymmetric-private-secret.txt": [(2, "private-key")],
    TRIVY + "asymmetric-private-secret.json": [(1, "private-key")],
    TRIVY + "asymmetric-private-key.txt": [(2, "private-key"), (9, "private-key")],
    TRIVY + "alibaba-access-key-id.txt": [(2, "alibaba")],
    TRIVY + "docker-secrets.txt": [(2, "docker"), (4, "docker")],
    TRIVY + "hugging-face-secret.txt": [(1, "huggingface")],
    TRIVY + "grafana-env.txt": [(1, "grafana"), (2, "grafana")],
    TRIVY + "jwt-secret.txt": [(3, "jwt")],
    TRIVY + "symfony-secret.yaml": [(2, "symfony")],
    TRIVY + "private-packagist.txt": [(1, "packagist"), (2, "packagist"), (3, "packagist")],
    TRIVY + "builtin-rule-secret.txt": [(1, "github"), (2, "aws")],
    TRIVY + "github-token.txt": [(1, "github")],
    TRIVY + "github-app-token.txt": [(1, "github")],
    TRIVY + "wrapped-secrets.txt": [],
    TRIVY + "wrapped-secrets-sensitive.txt": [(1, "aws"), (2, "github")],
    TRIVY + "invalid-aws-secrets.txt": [],
    TRIVY + "long-line-secret.txt": [(1, "github")],
    TRIVY + "obfuscated.js": [(1, "stripe")],
    TRIVY + "azure-storage-account-key.txt": [(1, "azure")],
    TRIVY + "azure-sas-token.txt": [(1, "azure")],
    TRIVY + "azure-devops-pat.txt": [(1, "azure")],
    TRIVY + "azure-entra-client-secret.txt": [(1, "azure")],
    TRIVY + "azure-container-registry-credential.txt": [(1, "azure")],
    TRIVY + "azure-container-registry-password.txt": [(1, "azure")],
    TRIVY + "azure-app-config-connection-string.txt": [(1, "azure")],
    TRIVY + "azure-ai-services-key.txt": [(1, "azure")],
    TRIVY + "openai-project-api-key.txt": [(1, "openai")],
    TRIVY + "openai-service-account-key.txt": [(1, "openai")],
    TRIVY + "openai-admin-api-key.txt": [(1, "openai")],
    TRIVY + "openai-legacy-api-key.txt": [(1, "openai")],
    TRIVY + "openai-service-api-key.txt": [(1, "openai")],
    TRIVY + "openai-realtime-client-secret.txt": [(1, "openai")],
    TRIVY + "openai-invalid.txt": [],
    TRIVY + "settings.xml": [(2, "maven"), (3, "maven")],
    TRIVY + "settings-security.xml": [(2, "maven")],
    TRIVY + "settings-encrypted.xml": [],
    TRIVY + "invalid-utf8.txt": [(1, "github")],
    TRIVY + "multi-line.txt": [],
    TRIVY + "secret.txt": [],
    TRIVY + "secret.md": [],
    # trivy skips this file by its path (an example); its content does hold an AWS secret key.
    TRIVY + "example-secret.txt": [(1, "aws")],
    GITLEAKS + "repos/nogit/main.go": [(20, "aws")],
    GITLEAKS + "repos/nogit/api.go": [(20, "aws")],
    GITLEAKS + "repos/nogit/.env.prod": [(4, "generic")],
    GITLEAKS + "archives/files/main.go": [(20, "aws")],
    GITLEAKS + "archives/files/api.go": [(20, "aws")],
    GITLEAKS + "archives/files/.env.prod": [(4, "generic")],
    GITLEAKS + "repos/small/main.go": [],
    GITLEAKS + "repos/small/api/api.go": [],
    GITLEAKS + "repos/small/api/ignoreCommit.go": [(20, "aws")],
    GITLEAKS + "repos/small/api/ignoreGlobal.go": [(20, "aws")],
    GITLEAKS + "repos/staged/main.go": [],
    GITLEAKS + "repos/staged/api/api.go": [(6, "aws"), (7, "aws")],
    GITLEAKS + "repos/symlinks/source_file/id_ed25519": [(1, "private-key")],
    "sample/id_rsa": [(1, "private-key")],
    "sample/.npmrc": [(1, "npm")],
    "sample/app.env": [(1, "aws"), (2, "aws"), (3, "github"), (4, "generic"), (5, "slack"), (6, "stripe")],
    "sample/config.json": [(1, "docker")],
    "sample/detect-secrets.json": [],
}


def build():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "rampart-secrets", "--example", "scan"], cwd=REPO, check=True
    )
    return REPO / "target/release/examples/scan"


def scan(binary, root, files):
    out = subprocess.run([str(binary), *[str(root / f) for f in files]], capture_output=True, text=True, check=True)
    findings, skipped = collections.defaultdict(list), []
    for line in out.stdout.splitlines():
        parts = line.split("\t")
        path = os.path.relpath(parts[0], root)
        if parts[1] == "-skipped-":
            skipped.append(path)
        elif parts[1] != "-truncated-":
            findings[path].append({"rule": parts[1], "family": parts[2], "line": int(parts[3]), "shown": parts[4]})
    return findings, skipped


def score(findings):
    per_family = collections.defaultdict(collections.Counter)
    misses, others, false_positives = [], [], []
    for path, expected in EXPECTED.items():
        found = list(findings.get(path, []))
        for line, family in expected:
            same = next((f for f in found if f["family"] == family and abs(f["line"] - line) <= 1), None)
            per_family[family]["expected"] += 1
            if same:
                found.remove(same)
                per_family[family]["matched"] += 1
                continue
            other = next((f for f in found if abs(f["line"] - line) <= 1), None)
            if other:
                found.remove(other)
                per_family[family]["other rule"] += 1
                others.append(f"{path}:{line} {family} found as {other['rule']}")
            else:
                per_family[family]["missed"] += 1
                misses.append(f"{path}:{line} {family}")
        for f in found:
            per_family[f["family"]]["false positive"] += 1
            false_positives.append(f"{path}:{f['line']} {f['rule']} {f['shown']}")
    for path, found in findings.items():
        for f in found:
            per_family[f["family"]]["detections"] += 1
    return per_family, misses, others, false_positives


def speed(binary):
    sources = sorted(p for p in (REPO / "crates").rglob("*") if p.suffix in {".rs", ".toml", ".md", ".Dockerfile", ".yml"})
    text = b"".join(p.read_bytes() for p in sources if p.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        big = pathlib.Path(tmp) / "big.txt"
        repeat = max(1, (64 << 20) // max(1, len(text)))
        big.write_bytes(text * repeat)
        size = big.stat().st_size
        out = subprocess.run([str(binary), "--repeat", "3", str(big)], capture_output=True, text=True, check=True)
        print(f"throughput on {size / 1e6:.0f} MB of this repository's sources (x{repeat}, scanned 3 times, 1 core): {out.stdout.strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", default=str(REPO.parent / "shared/fixtures/secrets"))
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    root = pathlib.Path(args.fixtures)
    files = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not (str(p.relative_to(root)).startswith(TRIVY) and p.name in TRIVY_CONFIGS)
    )
    binary = build()
    findings, skipped = scan(binary, root, files)
    per_family, misses, others, false_positives = score(findings)

    print(f"{len(files)} files scanned, {len(skipped)} skipped as binary (git objects and packs, compressed archives)")
    print(f"{'family':<14}{'detections':>11}{'expected':>9}{'matched':>8}{'other':>6}{'missed':>7}{'FP':>4}")
    totals = collections.Counter()
    for family in sorted(per_family):
        c = per_family[family]
        totals.update(c)
        print(f"{family:<14}{c['detections']:>11}{c['expected']:>9}{c['matched']:>8}{c['other rule']:>6}{c['missed']:>7}{c['false positive']:>4}")
    print(f"{'total':<14}{totals['detections']:>11}{totals['expected']:>9}{totals['matched']:>8}{totals['other rule']:>6}{totals['missed']:>7}{totals['false positive']:>4}")
    for title, items in (("missed", misses), ("found by another rule", others), ("false positives", false_positives)):
        print(f"\n{title} ({len(items)}):")
        for item in items:
            print("  " + item)
    unlabelled = [(p, f) for p, fs in sorted(findings.items()) if p not in EXPECTED for f in fs]
    print(f"\nin files nobody labelled ({len(unlabelled)}, for review):")
    for path, f in unlabelled:
        print(f"  {path}:{f['line']} {f['rule']} {f['shown']}")
    if not args.no_speed:
        print()
        speed(binary)


if __name__ == "__main__":
    sys.exit(main())
