#!/usr/bin/env bash
set -u
# Build first: mvn -B -q -DskipTests package. Needs ../shared/bench and python3 with torch (docs/benchmarks.md).
cd "$(dirname "$0")/../.."  # the repository root
J="java -jar captioner-app/target/captioner.jar"
/usr/bin/python3 ../shared/bench/suite.py --rounds 2 --out docs/results/decode-compare.jsonl --workloads beam-att-lstm-k5-batch16,greedy-att-lstm,beam-att-lstm-k3-single,beam-att-lstm-k3-batch16,beam-att-lstm-k5-single \
  --impl pytorch-1.13-cpu='/usr/bin/python3 ../shared/bench/reference/bench_torch.py {workload}' \
  --impl captioner="$J bench {workload}" > docs/results/decode-compare.txt 2>&1
cat /proc/pressure/cpu >> docs/results/decode-compare.txt
$J bench caption-one-image-beam3 > docs/results/caption-latency.txt 2>&1
echo BENCH-DONE >> docs/results/caption-latency.txt
