#!/usr/bin/env bash
# Records an AppCDS archive of a Berth start: starts the broker from JAR on a free port and an empty
# store, stops it with SIGTERM once it listens, and the JVM writes the classes it loaded to ARCHIVE.
# Usage: scripts/cds-archive.sh JAR ARCHIVE
set -euo pipefail
jar="$1"
jsa="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -f "$jsa"
java -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" serve --port 0 \
  --data "$tmp/data" --admin-port -1 >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if grep -q "Berth listening" "$tmp/out" || ! kill -0 "$pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ ! -s "$jsa" ]; then
  echo "cds-archive: no archive written; broker output:" >&2
  cat "$tmp/out" >&2
  exit 1
fi
