#!/usr/bin/env python3
"""Summarises surefire XML reports: test counts per class and the message of every failure."""
import glob, re, sys, html
root = sys.argv[1] if len(sys.argv) > 1 else "."
total = failed = 0
for f in sorted(glob.glob(f"{root}/**/target/surefire-reports/TEST-*.xml", recursive=True)):
    s = open(f, encoding="utf-8").read()
    n = s.count("<testcase")
    bad = re.findall(r'<testcase name="([^"]*)" classname="([^"]*)"[^>]*>\s*<(failure|error)(?: message="([^"]*)")?', s)
    total += n; failed += len(bad)
    print(f"{n:4d} tests, {len(bad)} failed: {f.split('TEST-')[-1][:-4]}")
    for name, cls, kind, msg in bad:
        print(f"   {kind}: {cls.split('.')[-1]}.{name}: {html.unescape(msg or '')[:400]}")
print(f"total {total}, failed {failed}")
