#!/usr/bin/env bash
# The Spark job against `captioner caption DIR` on the same synth images and machine, in paired rounds
# (CLI, Spark with one model copy, Spark with two copies, then again), so that whatever else the machine runs
# weighs on every side alike. Prints one line a run and writes them to $WORK/runs.tsv; docs/benchmarks.md
# reports the medians.
#
#   docs/results/spark/run-spark-bench.sh               # 2,000 images, 3 rounds
#   IMAGES=200 ROUNDS=1 docs/results/spark/run-spark-bench.sh
#
# The Spark side runs as spark-submit runs a local job: one JVM with Spark 3.5.3's own class path (its
# Jackson 2.15 and all, resolved from Maven Central as a Spark distribution ships them), the job's shaded jar
# after it, the JDK module flags Spark's launcher adds, and master local[2].
set -euo pipefail
cd "$(dirname "$0")/../../.."
IMAGES=${IMAGES:-2000}
ROUNDS=${ROUNDS:-3}
WORK=${WORK:-/tmp/captioner-spark-bench}
CLI=captioner-app/target/captioner.jar
JOB=captioner-spark/target/captioner-spark.jar
MODEL=models/synth-att-lstm
mkdir -p "$WORK"

[ -f "$CLI" ] && [ -f "$JOB" ] || mvn -B -q -DskipTests package

# Spark's class path, as spark-submit would give it.
if [ ! -s "$WORK/spark.cp" ]; then
  mkdir -p "$WORK/sparkcp"
  cat > "$WORK/sparkcp/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>spark-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-sql_2.13</artifactId><version>3.5.3</version></dependency>
    <dependency><groupId>org.apache.spark</groupId><artifactId>spark-mllib_2.13</artifactId><version>3.5.3</version></dependency>
  </dependencies>
</project>
POM
  (cd "$WORK/sparkcp" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$WORK/spark.cp")
fi

if [ ! -d "$WORK/data/images" ]; then
  java -jar "$CLI" synth --out "$WORK/data" --images "$IMAGES" --seed 7 >/dev/null 2>&1
fi
N=$(ls "$WORK/data/images" | wc -l)

OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
# The CLI tunes glibc's malloc in-process (MallocTuning); the Spark JVM gets the same settings from the environment.
MALLOC="MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=134217728"

# spark COPIES THREADS: local[2], COPIES models, THREADS libtorch threads each.
spark() {
  env $MALLOC OMP_NUM_THREADS="$2" java $OPENS -Dspark.master='local[2]' -Dspark.ui.enabled=false \
    -Dspark.driver.bindAddress=127.0.0.1 -Dspark.driver.host=127.0.0.1 -Dai.djl.pytorch.num_threads="$2" \
    -Dlog4j2.level=error -cp "$(cat "$WORK/spark.cp"):$JOB" dev.captioner.spark.CaptionJob \
    --images "$WORK/data/images" --model "$MODEL" --out "$WORK/spark-out" --format jsonl --overwrite --model-copies "$1"
}

run() { # run NAME COMMAND...: wall seconds of the whole command, JVM start included
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  end=$(date +%s.%N)
  local s; s=$(echo "$end - $start" | bc)
  printf '%s\t%s\t%.1f\t%.2f\t%s\n' "$name" "$N" "$s" "$(echo "$N / $s" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/runs.tsv"
}

echo -e "run\timages\tseconds\timages/s\tload average before the next run" | tee "$WORK/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
  run "cli-2threads-$round" java -jar "$CLI" caption "$WORK/data/images"
  run "spark-1copy-2threads-$round" spark 1 2
  run "spark-2copies-1thread-$round" spark 2 1
done

# The same captions on both sides: the CLI's lines against the job's JSON lines.
python3 - "$WORK" <<'PY'
import json, glob, sys, os
work = sys.argv[1]
cli = {}
for line in open(os.path.join(work, "cli-2threads-1.out")):
    path, caption = line.rstrip("\n").split(": ", 1)
    cli[os.path.basename(path)] = caption
spark = {}
for part in glob.glob(os.path.join(work, "spark-out", "part-*.json")):
    for line in open(part):
        row = json.loads(line)
        spark[os.path.basename(row["path"])] = row.get("caption")
same = sum(1 for k in cli if spark.get(k) == cli[k])
print(f"captions identical on both sides: {same} of {len(cli)} (spark rows: {len(spark)})")
PY
