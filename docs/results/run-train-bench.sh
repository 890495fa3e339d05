#!/usr/bin/env bash
set -u
# Build first: mvn -B -q -DskipTests package. Needs ../shared/bench and python3 with torch (docs/benchmarks.md).
cd "$(dirname "$0")/../.."  # the repository root
J="java -jar captioner-app/target/captioner.jar"
/usr/bin/python3 ../shared/bench/suite.py --rounds 2 --out docs/results/train-compare-5.jsonl --workloads train-att-lstm,train-att-gru,train-plain-lstm \
  --impl pytorch-1.13-cpu='/usr/bin/python3 ../shared/bench/reference/bench_torch.py {workload}' \
  --impl captioner="$J bench {workload}" > docs/results/train-compare-5.txt 2>&1
cat /proc/pressure/cpu >> docs/results/train-compare-5.txt
