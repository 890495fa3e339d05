#!/usr/bin/env bash
# Issue 12: the library refactor must not make the paired benchmarks slower. Our jar before the refactor
# (commit ebb9ce6, built into BASE_JAR) against the current one, alternately, on a quiet machine.
# Build first: mvn -B -q -DskipTests package; and the base: git worktree add /tmp/base ebb9ce6 && (cd /tmp/base && mvn -B -q -DskipTests package)
set -u
cd "$(dirname "$0")/../.."  # the repository root
BASE_JAR=${BASE_JAR:-/tmp/base/captioner-app/target/captioner.jar}
/usr/bin/python3 ../shared/bench/suite.py --rounds 2 --out docs/results/library-compare.jsonl \
  --workloads train-att-lstm,greedy-att-lstm,beam-att-lstm-k5-batch16,beam-att-lstm-k3-single \
  --impl before-ebb9ce6="java -jar $BASE_JAR bench {workload}" \
  --impl after="java -jar captioner-app/target/captioner.jar bench {workload}" > docs/results/library-compare.txt 2>&1
cat /proc/pressure/cpu >> docs/results/library-compare.txt
