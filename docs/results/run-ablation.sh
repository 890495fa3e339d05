#!/usr/bin/env bash
# The ablation of docs/results.md (issue 11): one att-lstm run a row, seed 0, 900 steps, on synth-10k, two rows at a
# time with one libtorch thread each. From the repository root, after the set-up of docs/bundled-model.md
# (data/synth-10k, the 4 x 4 encoder of the first bundled model, and the 8 x 8 resnet18-c4 encoder).
set -euo pipefail
captioner() { java -jar captioner-app/target/captioner.jar "$@"; }
L4="--encoder pretrained:models/encoder-r18-128 --cache data/synth-10k/features-r18-128"     # 4 x 4 x 512 (the first bundled model's encoder)
C4="--encoder pretrained:models/encoder-r18c4-128 --cache data/synth-10k/features-r18c4-128"   # 8 x 8 x 256
# compare's defaults of the day, pinned since: no supervised attention, no deep output, greedy validation, raw weights, beam 3.
THEN="--attention-supervision 0 --no-deep-output --validation-beam 1 --weight-average 0 --beam 3"
row() { name=$1; shift; OMP_NUM_THREADS=1 captioner compare --data data/synth-10k --out runs/ablation/$name \
          --models att-lstm --seeds 1 --steps 900 --jobs 1 $THEN "$@" > runs/ablation/$name.log 2>&1; }
mkdir -p runs/ablation
row l4-lam1            $L4 --doubly-stochastic 1 --initial-state pooled &
row l4-lam1-word       $L4 --doubly-stochastic 1 --doubly-stochastic-scale word --initial-state pooled; wait
row l4-lam1-loc        $L4 --doubly-stochastic 1 --doubly-stochastic-scale location --initial-state pooled &
row l4-lam0            $L4 --doubly-stochastic 0 --initial-state pooled; wait
row l4-lam0-zero       $L4 --doubly-stochastic 0 --initial-state zero &
row l4-lam0-learned    $L4 --doubly-stochastic 0 --initial-state learned; wait
row l4-lam0-after      $L4 --doubly-stochastic 0 --initial-state pooled --attention-placement after-cell &
row l4-lam0-after-zero $L4 --doubly-stochastic 0 --initial-state zero --attention-placement after-cell; wait
row c4-lam0            $C4 --doubly-stochastic 0 --initial-state pooled &
row c4-lam0-zero       $C4 --doubly-stochastic 0 --initial-state zero; wait
row l4-lam0-zero-3k    $L4 --doubly-stochastic 0 --initial-state zero --steps 3000 --validations 12
