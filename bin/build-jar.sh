# Sourced by bin/freshet and bin/run-example: builds shell/target/freshet.jar with Maven on first use, or when
# the sources changed since it was built. Sets JAR, and CDS_OPTS (below).
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

# Class-data sharing: a start maps the classes it needs (the JDK's, Calcite's, Arrow's, Freshet's) from an archive
# instead of loading them from the jar, which roughly halves its time. The archive is made once per built jar, on the
# first start that finds none, by a training run of bin/cds-training.sql (a dynamic AppCDS archive of the classes
# that run loaded), next to the jar, so that a rebuild or `mvn clean` drops it. Sets CDS_OPTS, the JVM options that
# use it: none when FRESHET_CDS=off or when no archive could be made. The JVM checks the archive (-Xshare:auto,
# VerifySharedSpaces) and quietly starts without it when it does not fit (another JDK, JVM options it cannot share
# with, a changed jar) or is damaged.
CDS_ARCHIVE="${JAR%.jar}.jsa"
# What the archive was made for: "<its size in bytes> <java>", or "failed <java>" after a failed training run
# (tried again once the jar or the java changes). A truncated archive would crash the JVM: its size tells it.
CDS_STAMP="$CDS_ARCHIVE.stamp"
CDS_JAVA="$(command -v java || echo java)"
# -Xlog:...=off: the JVM says nothing when it cannot use the archive (it would say it on standard output).
CDS_QUIET=(-Xshare:auto -XX:+VerifySharedSpaces '-Xlog:cds*=off' '-Xlog:class+path=off')
CDS_OPTS=()

# Whether the stamp is newer than the jar and is that of this java and of the archive there (or of a failed run).
# Sets CDS_STATE to its first word.
cds_current() {
  local java=""
  CDS_STATE=""
  [ -f "$CDS_STAMP" ] && [ ! "$JAR" -nt "$CDS_STAMP" ] && read -r CDS_STATE java < "$CDS_STAMP" \
    && [ "$java" = "$CDS_JAVA" ] \
    && { [ "$CDS_STATE" = failed ] \
      || { [ -f "$CDS_ARCHIVE" ] && [ "$(( $(wc -c < "$CDS_ARCHIVE") ))" = "$CDS_STATE" ]; }; }
}

# The training run: the shell runs bin/cds-training.sql, its output discarded and its log in a directory of its own;
# the JVM writes the archive as it exits into a temporary file, which then replaces the archive in one step.
cds_train() {
  echo "Freshet: preparing quicker starts for this build (a class-data-sharing archive;" \
    "FRESHET_CDS=off skips it)..." >&2
  local work tmp="$CDS_ARCHIVE.$$.tmp" status=0
  # What a training run stopped by a signal (Ctrl-C) left behind.
  find "$(dirname "$JAR")" -maxdepth 1 -name "$(basename "$CDS_ARCHIVE").*.tmp*" -mmin +10 -exec rm -f {} + \
    2>/dev/null || true
  work="$(mktemp -d "${TMPDIR:-/tmp}/freshet-cds.XXXXXX")" || return 0
  java --add-opens=java.base/java.nio=ALL-UNNAMED "-XX:ArchiveClassesAtExit=$tmp" "${CDS_QUIET[@]}" \
    -Dfreshet.stdin.tty=false -Dfreshet.log.dir="$work" -Dfreshet.home="$HERE" -cp "$JAR" \
    io.freshet.shell.Main -o csv -f "$HERE/bin/cds-training.sql" </dev/null >"$work/output" 2>&1 || status=$?
  if [ "$status" = 0 ] && [ -s "$tmp" ]; then
    printf '%s %s\n' "$(( $(wc -c < "$tmp") ))" "$CDS_JAVA" > "$tmp.stamp"
    mv -f "$tmp" "$CDS_ARCHIVE" && mv -f "$tmp.stamp" "$CDS_STAMP"
    rm -rf "$work"
    echo "Freshet: done." >&2
  else
    rm -f "$tmp"
    # A run stopped by a signal (Ctrl-C) is tried again at the next start; a failed one once the jar changes.
    if [ "$status" -le 128 ]; then
      printf 'failed %s\n' "$CDS_JAVA" > "$tmp.stamp" && mv -f "$tmp.stamp" "$CDS_STAMP"
    fi
    echo "Freshet: could not prepare the archive (output and log: $work); starting without it." >&2
  fi
}

case "${FRESHET_CDS:-on}" in
  off | false | no | 0) ;;
  *)
    if ! cds_current && [ -w "$(dirname "$JAR")" ]; then
      if command -v flock >/dev/null; then
        # One training run at a time: a start that finds another one training starts without the archive.
        (flock -n 9 && { cds_current || cds_train; }) 9>"$CDS_ARCHIVE.lock" || true
      else
        cds_train || true
      fi
    fi
    if cds_current && [ "$CDS_STATE" != failed ]; then
      CDS_OPTS=("-XX:SharedArchiveFile=$CDS_ARCHIVE" "${CDS_QUIET[@]}")
    fi
    ;;
esac
