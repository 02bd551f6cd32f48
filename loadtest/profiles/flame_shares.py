#!/usr/bin/env python3
"""Shares per thread, inclusive shares of named frames and the top self frames of an async-profiler
4.x HTML flame graph recorded with the `threads` option. Usage: flame_shares.py FILE [FRAME ...]"""
import bisect, collections, re, sys

def frames(path):
    text = open(path).read()
    pool_src = text[text.index('const cpool = [') + len('const cpool = ['):]
    pool_src = pool_src[:pool_src.index('\n];')]
    pool = [eval(line.rstrip(',')) for line in pool_src.strip().split('\n')]
    for i in range(1, len(pool)):
        pool[i] = pool[i - 1][:ord(pool[i][0]) - 32] + pool[i][1:]
    body = text[text.index('unpack(cpool);') + len('unpack(cpool);'):]
    out = []
    level0 = left0 = width0 = 0
    for m in re.finditer(r'^([fun])\(([^)]*)\)$', body, re.M):
        fn, args = m.group(1), [int(a) if a else 0 for a in m.group(2).split(',')]
        args += [0] * 7
        if fn == 'f':
            key, level, left, width = args[0], args[1], args[2], args[3]
        elif fn == 'u':
            key, level, left, width = args[0], level0 + 1, 0, args[1]
        else:
            key, level, left, width = args[0], level0, width0, args[1]
        level0 = level
        left0 += left
        width0 = width or width0
        out.append((level, left0, width0, pool[key >> 3]))
    return out

def main(path, *names):
    fr = frames(path)
    total = max(w for l, x, w, t in fr if l == 0)
    threads = [(x, w, t) for l, x, w, t in fr if l == 1]
    print(f'{path}: {total} samples')
    def thread_of(x):
        for tx, tw, tt in threads:
            if tx <= x < tx + tw:
                return tt
    bythread = collections.Counter()
    for tx, tw, tt in threads:
        name = re.sub(r' tid=\d+', '', tt)
        name = re.sub(r'\d+', '#', name) if 'C2' in name or 'C1' in name or 'GC' in name else name
        bythread[name] += tw
    for name, w in bythread.most_common(15):
        print(f'  {100.0 * w / total:5.1f}%  {name}')
    # inclusive samples of named frames (outermost occurrence per stack)
    for name in names:
        spans = sorted((x, w, l) for l, x, w, t in fr if name in t)
        covered, last_end = 0, -1
        per = collections.Counter()
        for x, w, l in spans:
            if x >= last_end:
                covered += w
                per[re.sub(r' tid=\d+', '', thread_of(x) or '?')] += w
                last_end = x + w
        print(f'  {100.0 * covered / total:5.1f}%  incl {name}  ' + ', '.join(f'{t}: {100.0*v/total:.1f}%' for t, v in per.most_common(3)))
    # self samples
    children = collections.Counter()
    bylevel = collections.defaultdict(list)
    for l, x, w, t in fr:
        bylevel[l].append((x, w, t))
    selfc = collections.Counter()
    for l, items in bylevel.items():
        kids = sorted(bylevel.get(l + 1, []))
        starts = [k[0] for k in kids]
        for x, w, t in items:
            i = bisect.bisect_left(starts, x)
            s = 0
            while i < len(kids) and kids[i][0] < x + w:
                s += kids[i][1]; i += 1
            selfc[t] += w - s
    print('  top self:')
    for t, w in selfc.most_common(25):
        print(f'    {100.0 * w / total:5.2f}%  {t[:110]}')

if __name__ == '__main__':
    main(*sys.argv[1:])
