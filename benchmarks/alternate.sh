#!/bin/sh
# Compares versions of TokenGuard by JMH runs taken in turns, which is what resolves a change of 10-20% on a shared
# machine where two runs of the same jar differ by that much: each round runs every version once, so a slow spell of
# the machine hits them alike, and the range of each version over the rounds is what to compare.
#
#   benchmarks/alternate.sh ROUNDS "VERSION..." BENCHMARK-REGEX [JMH options...]
#
# A VERSION is a benchmarks jar, or a git commit (or anything git rev-parse takes), whose jar is built once in a
# worktree under benchmarks/target/alternate/. Each run is short: RUN="-f 1 -wi 3 -i 3 -w 2s -r 2s" unless RUN is set
# (JMH refuses an option given twice, so set those here, not among the JMH options). Add -prof gc to the JMH options for
# bytes allocated per operation. Run from the repository root, with nothing else running.
# Example: benchmarks/alternate.sh 3 "main HEAD" 'ValidationBenchmark.tokenguardBearerRequest$' -p alg=RS256
set -eu
if [ $# -lt 3 ]; then
  sed -n '5,12p' "$0"
  exit 2
fi
ROUNDS=$1
VERSIONS=$2
REGEX=$3
shift 3
RUN=${RUN:--f 1 -wi 3 -i 3 -w 2s -r 2s}
DIR=benchmarks/target/alternate
mkdir -p "$DIR"

jar_of() { # version -> path of its benchmarks jar
  if [ -f "$1" ]; then
    echo "$1"
    return
  fi
  sha=$(git rev-parse --short=12 "$1^{commit}")
  jar="$DIR/$sha.jar"
  if [ ! -f "$jar" ]; then
    tree="$DIR/tree-$sha"
    rm -rf "$tree"
    git worktree add -q --detach "$tree" "$sha"
    (cd "$tree" && mvn -B -q package -DskipTests -pl benchmarks -am) >&2
    cp "$tree/benchmarks/target/benchmarks.jar" "$jar"
    git worktree remove --force "$tree"
  fi
  echo "$jar"
}

JARS=""
for v in $VERSIONS; do
  JARS="$JARS $(jar_of "$v")"
done
round=1
while [ "$round" -le "$ROUNDS" ]; do
  for jar in $JARS; do
    # JMH's summary table: the lines after its "Benchmark ... Units" header
    # shellcheck disable=SC2086
    java -jar "$jar" "$REGEX" $RUN "$@" 2>&1 \
      | awk -v r="$round" -v j="$(basename "$jar")" '/^Benchmark / { table = 1; next } table && NF { print "round " r "  " j "  " $0 }'
  done
  round=$((round + 1))
done
