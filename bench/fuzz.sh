#!/usr/bin/env bash
# Fuzzes rlx's front end (parse + resolve + check) for SECONDS (default 600) with Jazzer's command-line driver,
# starting from the committed corpus; prints libFuzzer's progress and, at the end, how many inputs it tried.
# New interesting inputs go to interpreter/target/fuzz-corpus; a crashing input to interpreter/target/fuzz-crash-*
# (copy it into the committed corpus folder to keep it as a regression test).
# Usage: bench/fuzz.sh [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
seconds=${1:-600}
. "$ROOT/bin/jdk.sh"
rlx_find_jdk || exit 2
cd "$ROOT"
# compile, and write the test class path (sibling modules as their target/classes: one reactor invocation)
cp_file="$ROOT/interpreter/target/fuzz-classpath.txt"
MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow" mvn -q -o -pl interpreter -am test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
corpus=interpreter/src/test/resources/dev/rlx/interpreter/FrontEndFuzzTestInputs/frontEnd
mkdir -p interpreter/target/fuzz-corpus
cd interpreter   # the fuzz target names its inputs ../examples/fuzz-input.rlx, as in the suite
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+EnableDynamicAgentLoading \
  -Dpolyglot.engine.WarnInterpreterOnly=false -Xss16m \
  -cp "target/test-classes:target/classes:$(cat "$cp_file")" com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.rlx.interpreter.FrontEndFuzzTest --instrumentation_includes='dev.rlx.**' \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=target/fuzz-crash- \
  target/fuzz-corpus "${corpus#interpreter/}"
