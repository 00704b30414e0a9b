#!/usr/bin/env bash
# Runs the whole test suite (all modules) on JDK 25. Extra arguments go to Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$ROOT/bin/jdk.sh"
rlx_find_jdk || exit 2
cd "$ROOT"
MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}" exec mvn -B verify "$@"
