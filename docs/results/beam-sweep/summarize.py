#!/usr/bin/env python3
"""Mean ± sample std over seeds of a run-beam-sweep.sh TSV, one markdown row per model and beam width."""
import csv, statistics, sys
from collections import defaultdict

rows = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    rows[(r["model"], int(r["beam"]))].append(r)

def cell(values, digits=3, percent=False):
    values = [float(v) * (100 if percent else 1) for v in values if v != ""]
    if not values:
        return "–"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.{digits}f} ± {sd:.{digits}f}" if not percent else f"{statistics.mean(values):.1f} ± {sd:.1f} %"

print("| model | beam | seeds | CIDEr-D | 3 obj. | 4 obj. | BLEU-4 | words a caption | object words | hallucination | wrong size | wrong colour | wrong shape |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (model, beam), runs in sorted(rows.items()):
    col = lambda k: [r[k] for r in runs]
    print(f"| {model} | {beam} | {len(runs)} | {cell(col('CIDEr'))} | {cell(col('cider_3'))} | {cell(col('cider_4'))} | {cell(col('Bleu_4'))}"
          f" | {cell(col('words_per_caption'), 1)} | {cell(col('mentions'), 0)} | {cell(col('hallucination'), percent=True)}"
          f" | {cell(col('size'), percent=True)} | {cell(col('colour'), percent=True)} | {cell(col('shape'), percent=True)} |")
