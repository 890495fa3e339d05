#!/bin/sh
# Issue 11, second round: the attention-entropy penalty of docs/results.md, one att-lstm run a row, with the
# headline's data, encoder, cache and protocol (2,500 steps, 10 validations, beam 3). Two runs at a time, one
# libtorch thread each. Run from the repository root after `mvn -B -q -DskipTests package`.
JAR=${JAR:-captioner-app/target/captioner.jar}
OUT=${OUT:-runs/entropy}
# compare's defaults of the day, pinned since: no supervised attention, no deep output, greedy validation, raw weights, beam 3.
THEN="--attention-supervision 0 --no-deep-output --validation-beam 1 --weight-average 0 --beam 3"
run() {  # NAME OPTIONS...
  name=$1; shift
  OMP_NUM_THREADS=1 java -jar "$JAR" compare --data data/synth-10k --encoder pretrained:models/encoder-r18c4-128 \
    --cache data/synth-10k/features-r18c4-128 --out "$OUT/$name" --models att-lstm --seeds 1 --steps 2500 \
    --validations 10 --jobs 1 $THEN "$@" > "$OUT/$name.log" 2>&1
}
mkdir -p "$OUT"
run ent05 --attention-entropy 0.5 & run ent05s1 --attention-entropy 0.5 --seed 1; wait
run ent05s2 --attention-entropy 0.5 --seed 2 & run ent01 --attention-entropy 0.1; wait
run ent05p --attention-entropy 0.5 --initial-state pooled & run ent05w --attention-entropy 0.5 --attention-entropy-warmup 625; wait
run ent10w --attention-entropy 1 --attention-entropy-warmup 625 &
NOUNS=circle,square,triangle,star,diamond,hexagon,cross
run nouns05 --attention-entropy 0.5 --attention-entropy-words $NOUNS; wait
run nouns05s1 --attention-entropy 0.5 --attention-entropy-words $NOUNS --seed 1
