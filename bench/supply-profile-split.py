#!/usr/bin/env python3
# Splits a bench/supply-profile.ts statement log into request and background statements.
#   python3 bench/supply-profile-split.py /tmp/supply-profile.log [chains] [--shapes]
# A transaction (BEGIN ... COMMIT on one backend) or lone statement is "background" when it
# touches the outbox cursor, pg-boss, the consumer's advisory lock, rules or action runs; the
# rest are the API requests'. pg-boss's idle polling is counted apart (it is per second, not
# per chain). `chains`: how many chains the log covers (1 + PROFILE_LOGGED_CHAINS).
import collections, re, sys

args = [a for a in sys.argv[1:] if not a.startswith('--')]
path, chains = args[0], int(args[1]) if len(args) > 1 else 1
entries = []
for line in open(path).read().split('\n'):
    m = re.match(r'^\S+ \S+ UTC \[(\d+)\] LOG:\s+(statement|execute [^:]*): (.*)', line)
    if m:
        entries.append([m.group(1), m.group(3)])
    elif entries and not re.match(r'^\S+ \S+ UTC \[', line):
        entries[-1][1] += ' ' + line.strip()
label, started, open_tx, groups = None, False, {}, []
for pid, s in entries:
    m = re.search(r"MARK ([\w.]+)", s)
    if m:
        label, started = m.group(1), True
        continue
    if not started or s.startswith('ALTER SYSTEM'):
        continue
    if s.startswith('BEGIN'):
        open_tx[pid] = [(label, s)]
    elif pid in open_tx:
        open_tx[pid].append((label, s))
        if s.startswith('COMMIT') or s.startswith('ROLLBACK'):
            groups.append(open_tx.pop(pid))
    else:
        groups.append([(label, s)])
BG = re.compile(r'event_cursor|pg_try_advisory|pg_advisory_unlock|automation_rule|action_run|rule_run')
fg, bg, poll, shapes = collections.Counter(), collections.Counter(), 0, collections.Counter()
for g in groups:
    if len(g) == 1 and 'pgboss.job' in g[0][1] and g[0][1].lstrip().startswith('WITH next'):
        poll += 1
        continue
    kind = bg if any(BG.search(s) or 'pgboss' in s for _, s in g) else fg
    for lab, s in g:
        kind[lab] += 1
        if kind is bg:
            shapes[s[:110]] += 1
print(f'request statements: {sum(fg.values())} ({sum(fg.values()) / chains:.1f} per chain)', dict(fg))
print(f'background statements: {sum(bg.values())} ({sum(bg.values()) / chains:.1f} per chain)', dict(bg))
print(f'pg-boss idle polls (per second, not per chain): {poll}')
if '--shapes' in sys.argv:
    for s, n in shapes.most_common(20):
        print(f'  {n:5d} {s}')
