#!/bin/sh
# One run of the validation figures in BENCHMARKS.md, side by side, from the repository root after
# `mvn -B -q install -DskipTests`: ValidationBenchmark on JDK 17 (the `java` on the PATH) and on JDK 25 when installed
# (JDK25=/path/to/jdk to choose another), each with every peer and allocation per operation on 1 thread, TokenGuard
# again on 2 threads, and the Ed25519 engines; then the tables (benchmarks/target/results/report.md). About 30 minutes.
set -eu
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/target/results
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
# four warm-up iterations: with two, the first measured iteration often ran 10-30% low (C2 still compiling)
OPTS="-f 1 -wi 4 -i 5 -w 2s -r 2s"
METHODS="ValidationBenchmark.(rawJca|tokenguardUncached|tokenguardCached|nimbus|spring|auth0|jose4j|smallrye)$"
mkdir -p "$OUT"
rm -f "$OUT"/*.json
run() { # name java
  "$2" -jar "$JAR" "$METHODS" $OPTS -t 1 -prof gc -rf json -rff "$OUT/validation-$1-1t.json"
  "$2" -jar "$JAR" "ValidationBenchmark.(tokenguardUncached|tokenguardCached)$" $OPTS -t 2 -rf json -rff "$OUT/validation-$1-2t.json"
  "$2" -jar "$JAR" Ed25519Benchmark $OPTS -t 1 -rf json -rff "$OUT/ed25519-$1.json"
}
run jdk17 java
if [ -x "$JDK25/bin/java" ]; then
  run jdk25 "$JDK25/bin/java"
fi
java -cp "$JAR" dev.tokenguard.bench.Report "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
