#!/usr/bin/env python3
# Hot frames of a JFR recording: jfr print --stack-depth 200 --events jdk.ExecutionSample fleet-N.jfr | python3 benchmarks/jfr-summary.py 25
import sys, re, collections
# reads `jfr print --stack-depth 200 --events jdk.ExecutionSample` output on stdin
self_c = collections.Counter(); incl = collections.Counter(); n = 0
stack = None
for line in sys.stdin:
    s = line.strip()
    if s.startswith('jdk.ExecutionSample'):
        stack = []
    elif s.startswith('stackTrace = ['):
        stack = []
    elif stack is not None and s == ']':
        if stack:
            n += 1
            self_c[stack[0]] += 1
            for m in set(f for f in stack if f.startswith('io.stratos')):
                incl[m] += 1
        stack = None
    elif stack is not None and s and not s.startswith('...') and '(' in s and '=' not in s.split('(')[0]:
        stack.append(s.split('(')[0])
print('samples', n)
for m, c in self_c.most_common(int(sys.argv[1]) if len(sys.argv) > 1 else 25):
    print(f'{c:6d} {100*c/n:5.1f}%  {m}')
print('--- inclusive stratos frames')
for m, c in incl.most_common(30):
    print(f'{c:6d} {100*c/n:5.1f}%  {m}')
