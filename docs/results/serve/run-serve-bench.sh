#!/bin/sh
# The service benchmark of docs/benchmarks.md: throughput and latency with 1, 4 and 16 concurrent clients, then a
# soak of 10,000 requests with bad uploads mixed in. Run from the repository root after `mvn -B -q -DskipTests package`.
# The server runs in its own JVM (the default 2 libtorch threads, 2 workers); the clients in another.
#   SERVE_ARGS='--workers 1' OUT=/tmp/one-worker docs/results/serve/run-serve-bench.sh   # the one-worker design
#   SOAK=0 ...                                                                         # throughput only
set -e
JAR=${JAR:-captioner-app/target/captioner.jar}
OUT=${OUT:-docs/results/serve}
SOAK=${SOAK:-10000}
mkdir -p "$OUT"
IMAGES=$(mktemp -d)
java -jar "$JAR" synth --out "$IMAGES" --images 64 --seed 99 > /dev/null
java -jar "$JAR" bench caption-one-image-beam3 | tail -1 > "$OUT/caption-one-image-beam3.json"
java -jar "$JAR" serve --port 8181 $SERVE_ARGS > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
until grep -q "serving" "$OUT/serve.log"; do sleep 0.5; done
java -cp "$JAR" dev.captioner.service.bench.ServiceLoad http://127.0.0.1:8181 "$IMAGES/images" $SERVER throughput 1 4 16 | tee "$OUT/throughput.jsonl"
if [ "$SOAK" -gt 0 ]; then
  java -cp "$JAR" dev.captioner.service.bench.ServiceLoad http://127.0.0.1:8181 "$IMAGES/images" $SERVER soak "$SOAK" | tee "$OUT/soak.json"
fi
kill -TERM $SERVER; wait $SERVER || true
cat "$OUT/serve.log"
rm -rf "$IMAGES"
