#!/usr/bin/env python3
"""Builds the table of docs/RELIABILITY.md from the figures the reliability tests wrote.

Every reliability scenario writes target/reliability/<id>.json in its module (ScenarioFigures, in the client's test
jar). This script reads them all and prints a Markdown table, sorted by id; with --update FILE it replaces the part
of FILE between the reliability-table markers instead.

    python3 tools/reliability-table.py                          # print the table
    python3 tools/reliability-table.py --update docs/RELIABILITY.md
"""
import argparse, glob, json, os, re, sys

START = "<!-- reliability-table:start -->"
END = "<!-- reliability-table:end -->"


def number(n):
    return f"{n:,}"


def cell(figures, column, text):
    return "—" if column in figures.get("notApplicable", []) else text


def recovery(f):
    if not f.get("recoveries"):
        return "—"
    clock = " (manual clock)" if f.get("clock") == "manual" else ""
    if f["recoveries"] == 1:
        return f"{number(f['recoveryMaxMillis'])} ms{clock}"
    return (f"median {number(f['recoveryMedianMillis'])} ms, max {number(f['recoveryMaxMillis'])} ms "
            f"over {f['recoveries']}{clock}")


def table(root):
    files = sorted(glob.glob(os.path.join(root, "*", "target", "reliability", "*.json")),
                   key=lambda path: os.path.basename(path))
    if not files:
        sys.exit(f"no figures under {root}/*/target/reliability: run the reliability tests first")
    rows = ["| Scenario | Operations | Acknowledged | Timed out / failed | Lost | Duplicated | Recovery time "
            "| Test time | Notes |",
            "|---|---:|---:|---:|---:|---:|---|---:|---|"]
    total_ms = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            f = json.load(handle)
        total_ms += f["wallMillis"]
        notes = "; ".join(f.get("notes", [])).replace("|", "\\|")
        rows.append("| " + " | ".join([
            f"{f['scenario']} (`{f['id']}`)",
            f"{number(f['operations'])} {f['unit']}",
            cell(f, "acknowledged", number(f["acknowledged"])),
            cell(f, "timedOutOrFailed", f"{number(f['timedOut'])} / {number(f['failed'])}"),
            number(f["lost"]),
            number(f["duplicated"]),
            recovery(f),
            f"{f['wallMillis'] / 1000:.1f} s",
            notes]) + " |")
    lost = sum(json.load(open(p, encoding="utf-8"))["lost"] for p in files)
    duplicated = sum(json.load(open(p, encoding="utf-8"))["duplicated"] for p in files)
    rows.append("")
    rows.append(f"{len(files)} scenarios; lost {lost}, duplicated {duplicated} in all; "
                f"{total_ms / 1000:.1f} s of test time in the scenarios themselves.")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--update", metavar="FILE", help="replace the table between the markers in FILE")
    args = parser.parse_args()
    text = table(args.root)
    if not args.update:
        print(text)
        return
    with open(args.update, encoding="utf-8") as handle:
        document = handle.read()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(document):
        sys.exit(f"{args.update} has no {START} ... {END} markers")
    document = pattern.sub(lambda m: START + "\n" + text + "\n" + END, document)
    with open(args.update, "w", encoding="utf-8") as handle:
        handle.write(document)
    print(f"updated {args.update}")


if __name__ == "__main__":
    main()
