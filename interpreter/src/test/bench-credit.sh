#!/usr/bin/env bash
# Runs dev.rlx.interpreter.bench.CreditLossBench with the Truffle JIT, as the rlx launcher does.
# Usage: interpreter/src/test/bench-credit.sh [runs] [threads]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
. "$ROOT/bin/jdk.sh"
rlx_find_jdk || exit 2
cd "$ROOT"
[ -d cli/target/jit ] || { echo "build first: ./rlx eval 1 (makes cli/target/jit)" >&2; exit 2; }
# in the reactor, sibling modules resolve to their target/classes; interpreter is built last, so its
# class path is the one left in the file
JAVA_HOME="$(dirname "$(dirname "$JAVA")")" MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow \
  mvn -B -q -o -pl interpreter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/interpreter/target/bench.cp" >/dev/null
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824
exec "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss16m \
  -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=cli/target/jit \
  -cp "interpreter/target/test-classes:interpreter/target/classes:$(cat interpreter/target/bench.cp)" \
  dev.rlx.interpreter.bench.CreditLossBench "$@"
