# Sourced by bin/freshet and bin/run-example: builds shell/target/freshet.jar with Maven on first use, or when
# the sources changed since it was built. Sets JAR.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$HERE/shell/target/freshet.jar"

if [ ! -f "$JAR" ] || [ -n "$(find "$HERE" \( -path '*/src/main/*' -o -name pom.xml \) -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "Freshet: building with Maven (first run or changed sources; this takes a minute or two)..." >&2
  LOG="$(mktemp "${TMPDIR:-/tmp}/freshet-build.XXXXXX")"
  if ! (cd "$HERE" && mvn -B -DskipTests -pl shell -am package >"$LOG" 2>&1); then
    tail -n 40 "$LOG" >&2
    echo "Freshet: the build failed (full log: $LOG)." >&2
    exit 1
  fi
  rm -f "$LOG"
  echo "Freshet: build done." >&2
fi
