#!/bin/sh
# One run of the validation figures in BENCHMARKS.md, side by side, from the repository root after
# `mvn -B -q install -DskipTests`: ValidationBenchmark on JDK 17 (the `java` on the PATH) and on JDK 25 when installed
# (JDK25=/path/to/jdk to choose another), each with every peer and allocation per operation on 1 thread, TokenGuard
# again on 2 threads, the Ed25519 engines and the RSA and ECDSA providers; then the tables
# (benchmarks/target/results/report.md). RS256 and ES256 run in three JVMs each (a JVM's compiled form of the JDK's
# RSA and EC code moves a single fork's figure by up to 20%); the report takes the median iteration over all of them.
# About 70 minutes.
set -eu
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/target/results
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
# four warm-up iterations: with two, the first measured iteration often ran 10-30% low (C2 still compiling)
OPTS="-wi 4 -i 5 -w 2s -r 2s"
METHODS="ValidationBenchmark.(rawJca|tokenguardUncached|tokenguardCached|nimbus|spring|auth0|jose4j|smallrye)$"
mkdir -p "$OUT"
rm -f "$OUT"/*.json
run() { # name java
  "$2" -jar "$JAR" "$METHODS" -p alg=RS256,ES256 -f 3 $OPTS -t 1 -prof gc -rf json -rff "$OUT/validation-$1-1t-rsa-ec.json"
  "$2" -jar "$JAR" "$METHODS" -p alg=EdDSA,HS256 -f 1 $OPTS -t 1 -prof gc -rf json -rff "$OUT/validation-$1-1t.json"
  "$2" -jar "$JAR" "ValidationBenchmark.(tokenguardUncached|tokenguardCached)$" -f 1 $OPTS -t 2 -rf json -rff "$OUT/validation-$1-2t.json"
  "$2" -jar "$JAR" Ed25519Benchmark -f 1 $OPTS -t 1 -rf json -rff "$OUT/ed25519-$1.json"
  "$2" -jar "$JAR" SignatureEngineBenchmark -f 1 $OPTS -t 1 -rf json -rff "$OUT/providers-$1.json"
}
run jdk17 java
if [ -x "$JDK25/bin/java" ]; then
  run jdk25 "$JDK25/bin/java"
fi
java -cp "$JAR" dev.tokenguard.bench.Report "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
