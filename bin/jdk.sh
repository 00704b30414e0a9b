# Sourced by ./rlx, ./test.sh and .ci/run: finds a JDK 25+ and exports JAVA_HOME and JAVA.
# Order: JAVA_HOME when it is 25 or newer, else the newest 25+ JDK under /usr/lib/jvm.

rlx_java_version() { # prints the full version (e.g. 25.0.3) of the JDK whose java binary is $1
  local home; home=$(dirname "$(dirname "$1")")
  if [ -f "$home/release" ]; then  # no JVM start needed
    sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release"
  else
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = \(.*\)/\1/p'
  fi
}

rlx_java_feature() { # prints the feature version (e.g. 25) of the java binary $1
  local v; v=$(rlx_java_version "$1"); echo "${v%%[.+-]*}"
}

rlx_find_jdk() {
  local candidate best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(rlx_java_feature "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge 25 ]; then best="$JAVA_HOME"; best_v=$v; fi
  fi
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/*; do
      [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
      v=$(rlx_java_feature "$candidate/bin/java")
      if [ "${v:-0}" -ge 25 ] && [ "$v" -gt "$best_v" ]; then best="$candidate"; best_v=$v; fi
    done
  fi
  if [ -z "$best" ]; then
    echo "rlx: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; searched /usr/lib/jvm)." >&2
    echo "rlx: install one (e.g. Temurin 25: https://adoptium.net) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export JAVA="$best/bin/java"
  JAVA_VERSION_FULL=$(rlx_java_version "$JAVA")
}
