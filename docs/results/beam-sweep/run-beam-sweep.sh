#!/bin/sh
# The beam width against CIDEr-D and hallucinations, on every run of a comparison.
# usage (from the repository root): docs/results/beam-sweep/run-beam-sweep.sh COMPARE_DIR ENCODER DATA SPLIT "BEAMS" > OUT.tsv
#   e.g. docs/results/beam-sweep/run-beam-sweep.sh runs/compare-deep-long pretrained:models/encoder-r18c4-128 data/synth-10k val "1 2 3 4 5"
# Each run's evaluated checkpoint is packaged (captioner package), then captioned from the images with
# captioner evaluate at each beam width; one TSV line per run and width.
set -e
COMPARE=$1; ENCODER=$2; DATA=$3; SPLIT=$4; BEAMS=$5
JAR=${JAR:-captioner-app/target/captioner.jar}
WORK=${WORK:-$(mktemp -d)}
printf 'model\tseed\tsplit\tbeam\tBleu_4\tCIDEr\tcider_1\tcider_2\tcider_3\tcider_4\tmentions\thallucination\tsize\tcolour\tcolour_and_size\tshape\tgrounding\twords_per_caption\n'
for run in "$COMPARE"/runs/*/seed-*; do
  model=$(basename "$(dirname "$run")"); seed=${run##*seed-}
  pkg="$WORK/$model-$seed"
  [ -d "$pkg" ] || java -jar "$JAR" package --checkpoint "$run/checkpoints" --encoder "$ENCODER" --out "$pkg" > /dev/null
  for beam in $BEAMS; do
    java -jar "$JAR" evaluate --model "$pkg" --data "$DATA" --split "$SPLIT" --beam "$beam" --out "$WORK/r.json" --json 2>/dev/null \
      | tail -n 1 | python3 -c '
import json, sys
d = json.loads(sys.stdin.read()); h = d["hallucination"]; c = d["cider_by_object_count"]; g = d.get("grounding")
r = json.load(open(sys.argv[5])); words = sum(len(x["caption"].split()) for x in r) / len(r)
k = h["by_kind"]; m = h["mentions"]
print("\t".join([sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], "%.4f" % d["Bleu_4"], "%.4f" % d["CIDEr"]]
      + ["%.4f" % c[n] for n in ("1", "2", "3", "4")] + [str(m), "%.4f" % h["rate"]]
      + ["%.4f" % (k[x] / m) for x in ("size", "colour", "colour_and_size", "shape")]
      + ["%.4f" % g["accuracy"] if g else "", "%.2f" % words]))' "$model" "$seed" "$SPLIT" "$beam" "$WORK/r.json"
  done
done
