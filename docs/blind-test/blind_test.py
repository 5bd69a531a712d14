#!/usr/bin/env python3
"""The blind tests of ../shared/item-writing.md (docs/bank-quality.md has the method and figures).

  blind_test.py options  BANK_DIR --seed S [--n 60] [--areas a,b] --out DIR
      Draw N single-answer items at random, shuffle each item's options, and write
      DIR/options-S.txt (ONLY the option texts: what the blind reader sees) and
      DIR/key-S.json (item number -> the letter of the key after shuffling; kept aside).
  blind_test.py scenario BANK_DIR --seed S [--n 30] --out DIR
      Draw N single-answer scenario items; write DIR/scenario-S.txt with each item's stem and
      shuffled options but NOT its scenario, and DIR/scenario-key-S.json.
  blind_test.py score KEY.json ANSWERS.txt
      ANSWERS has one line per item: "<number> <letter> [confidence]". Prints hits, the rate,
      and the exact binomial probability of doing at least that well by chance (25%).
"""
import argparse, glob, json, math, os, random, re, sys

def items(bank_dir):
    out, scen = [], {}
    for f in sorted(glob.glob(os.path.join(bank_dir, '**', '*.json'), recursive=True)):
        if os.path.basename(f) == 'bank.json':
            continue
        d = json.load(open(f, encoding='utf-8'))
        qs = d['questions'] if isinstance(d, dict) else d
        for s in (d.get('scenarios', []) if isinstance(d, dict) else []):
            scen[s['id']] = s['text']
        out += qs
    return out, scen

def draw(pool, n, seed):
    rng = random.Random(seed)
    pool = sorted(pool, key=lambda q: q['id'])
    picked = rng.sample(pool, min(n, len(pool)))
    shuffled = []
    for q in picked:
        opts = list(q['options'])
        rng.shuffle(opts)
        shuffled.append((q, opts))
    return shuffled

def write(out, name, lines, key):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, name + '.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    with open(os.path.join(out, name.replace('options', 'key').replace('scenario', 'scenario-key') + '.json'), 'w') as f:
        json.dump(key, f, indent=1)

def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    for c in ('options', 'scenario'):
        p = sub.add_parser(c)
        p.add_argument('bank'); p.add_argument('--seed', type=int, required=True)
        p.add_argument('--n', type=int, default=60 if c == 'options' else 30)
        p.add_argument('--areas', default='')
        p.add_argument('--out', required=True)
    p = sub.add_parser('score'); p.add_argument('key'); p.add_argument('answers')
    a = ap.parse_args()
    if a.cmd == 'score':
        key = json.load(open(a.key))
        answers = {}
        for line in open(a.answers, encoding='utf-8'):
            m = re.match(r'\s*(\d+)\W+([a-hA-H])\b', line)
            if m:
                answers[m.group(1)] = m.group(2).lower()
        n = len(key); hits = sum(answers.get(k) == v for k, v in key.items())
        missing = [k for k in key if k not in answers]
        p = sum(math.comb(n, i) * 0.25**i * 0.75**(n - i) for i in range(hits, n + 1))
        print(f"{hits} of {n} keys picked ({100*hits/n:.0f}%); chance 25%; "
              f"P(at least this many by chance) = {p:.3f}"
              + (f"; {len(missing)} items unanswered" if missing else ''))
        return
    qs, scen = items(a.bank)
    areas = set(filter(None, a.areas.split(',')))
    pool = [q for q in qs if q['type'] == 'single' and (not areas or q['domain'] in areas)]
    if a.cmd == 'scenario':
        pool = [q for q in pool if q.get('scenario')]
    lines, key = [], {}
    for i, (q, opts) in enumerate(draw(pool, a.n, a.seed), 1):
        letters = 'abcdefgh'
        key[str(i)] = letters[[o['correct'] for o in opts].index(True)]
        lines.append(f"Item {i}")
        if a.cmd == 'scenario':
            lines.append(f"  Question: {q['stem']}")
        for l, o in zip(letters, opts):
            lines.append(f"  {l}) {o['text']}")
        lines.append('')
    write(a.out, f"{a.cmd}-{a.seed}", lines, key)
    print(f"{len(key)} items from {len(pool)} written to {a.out}")

if __name__ == '__main__':
    main()
