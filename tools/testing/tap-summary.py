#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcp_kernel - sum TAP and KTAP results of test logs into one verdict.

A log is either plain TAP (a host-side test) or a VM console log whose
tests are framed by "# TCPK-TEST-BEGIN name" / "# TCPK-TEST-END name rc=N".
KTAP printed by KUnit is framed by "# TCPK-KTAP-BEGIN" / "# TCPK-KTAP-END"
and counted by the kernel's own parser (tools/testing/kunit/kunit.py
parse, path in $TCPK_KUNIT_PY or found by kernel/kunit-py.sh).

Failures: every "not ok"; a test that exits non-zero; a plan that does
not match the lines seen; a test that began and never ended (the guest
died); a "# TCPK-HOST" line (the host saw a timeout or a missing verdict).
Skips are counted apart and never as passes.  The last line printed is
"N passed, N failed"; the exit status is 1 if anything failed or nothing
ran at all.
"""

import os
import re
import subprocess
import sys

TAP_RE = re.compile(r'^(not ok|ok)\s+(\d+)\b\s*(?:-\s*)?(.*)$')
PLAN_RE = re.compile(r'^1\.\.(\d+)\s*$')
BEGIN_RE = re.compile(r'^# TCPK-TEST-BEGIN (\S+)')
END_RE = re.compile(r'^# TCPK-TEST-END (\S+) rc=(\d+)')


class Segment:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0
        self.seen = 0
        self.plan = None
        self.rc = None
        self.problems = []
        self.failures = []

    def verdict(self):
        if self.plan is None:
            self.problems.append('no TAP plan')
        elif self.plan != self.seen:
            self.problems.append(f'plan 1..{self.plan} but {self.seen} results')
        if self.rc not in (None, 0) and not self.failed:
            self.problems.append(f'exited with status {self.rc}')
        self.failed += len(self.problems)


def kunit_counts(ktap, label):
    """Return (passed, failed, skipped) from kunit.py parse of ktap text."""
    kunit_py = os.environ.get('TCPK_KUNIT_PY', '')
    if not kunit_py:
        # Extracted once from the pinned linux-source by kunit-py.sh.
        helper = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              'kernel', 'kunit-py.sh')
        res = subprocess.run([helper], capture_output=True, text=True,
                             check=False)
        kunit_py = res.stdout.strip() if res.returncode == 0 else ''
    if not kunit_py or not os.path.exists(kunit_py):
        print(f'{label}: KTAP found but $TCPK_KUNIT_PY is not set to kunit.py')
        return 0, 1, 0
    res = subprocess.run([sys.executable, kunit_py, 'parse'], input=ktap,
                         capture_output=True, text=True, check=False)
    out = res.stdout + res.stderr
    m = re.search(r'Ran (\d+) tests?: (.*)', out)
    if not m:
        print(f'{label}: kunit.py parse gave no totals:\n{out}')
        return 0, 1, 0
    counts = {}
    for key in ('passed', 'failed', 'skipped', 'crashed', 'errors'):
        km = re.search(rf'{key}: (\d+)', m.group(2))
        counts[key] = int(km.group(1)) if km else 0
    bad = counts['failed'] + counts['crashed'] + counts['errors']
    if counts['passed'] + bad + counts['skipped'] != int(m.group(1)):
        bad += 1
    for line in out.splitlines():
        if '[FAILED]' in line or '[CRASHED]' in line:
            print(f'{label}: {line.strip()}')
    return counts['passed'], bad, counts['skipped']


def parse(path):
    segs = []
    framed = False
    with open(path, errors='replace') as f:
        lines = [line.rstrip('\n') for line in f]
    for line in lines:
        if BEGIN_RE.match(line):
            framed = True
            break
    cur = None if framed else Segment(os.path.basename(path))
    if cur:
        segs.append(cur)
    ktap = None
    host_problems = []
    for line in lines:
        if line.startswith('# TCPK-HOST'):
            host_problems.append(line[len('# TCPK-HOST'):].strip())
            continue
        if ktap is not None:
            if line.startswith('# TCPK-KTAP-END'):
                p, fl, s = kunit_counts('\n'.join(ktap) + '\n',
                                        cur.name if cur else path)
                if cur:
                    cur.passed += p
                    cur.failed += fl
                    cur.skipped += s
                    if fl:
                        cur.failures.append(f'KUnit: {fl} failed')
                ktap = None
            else:
                ktap.append(line)
            continue
        if line.startswith('# TCPK-KTAP-BEGIN'):
            ktap = []
            continue
        m = BEGIN_RE.match(line)
        if m:
            if cur and framed and cur.rc is None:
                cur.problems.append('never finished')
            cur = Segment(m.group(1))
            segs.append(cur)
            continue
        m = END_RE.match(line)
        if m and cur:
            cur.rc = int(m.group(2))
            continue
        if cur is None:
            continue
        m = PLAN_RE.match(line)
        if m:
            cur.plan = int(m.group(1))
            continue
        m = TAP_RE.match(line)
        if m:
            cur.seen += 1
            directive = m.group(3)
            if re.search(r'#\s*SKIP', directive, re.I):
                cur.skipped += 1
            elif m.group(1) == 'ok':
                cur.passed += 1
            else:
                cur.failed += 1
                cur.failures.append(directive)
    if framed and cur and cur.rc is None:
        cur.problems.append('never finished (guest died?)')
    if ktap is not None:
        host_problems.append('KTAP output was cut off')
    if host_problems:
        seg = Segment('host')
        seg.plan = 0
        seg.problems = host_problems
        segs.append(seg)
    return segs


def main():
    if len(sys.argv) < 2:
        print('usage: tap-summary.py LOG...', file=sys.stderr)
        return 2
    tp = tf = ts = 0
    for path in sys.argv[1:]:
        for seg in parse(path):
            seg.verdict()
            tag = 'FAIL' if seg.failed else 'ok'
            print(f'[{tag}] {os.path.basename(path)}: {seg.name}: '
                  f'{seg.passed} passed, {seg.failed} failed, '
                  f'{seg.skipped} skipped')
            for what in seg.failures + seg.problems:
                print(f'       - {what}')
            tp += seg.passed
            tf += seg.failed
            ts += seg.skipped
    if ts:
        print(f'{ts} skipped (not counted as passed)')
    print(f'{tp} passed, {tf} failed')
    return 1 if tf or not tp else 0


if __name__ == '__main__':
    sys.exit(main())
