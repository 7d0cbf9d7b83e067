#!/usr/bin/env bash
# The flood (see docs/BENCHMARKS.md): a server pushes far faster than the handler runs; prints the client's retained
# heap each second with the socket's inbound window on (the default, 1024 frames) and off (window=0, as phoenix.js),
# over the JDK and the Netty transports. Builds the benchmarks module (package, no install, no tests), starts the
# test server's reference app in its own JVM (or uses --url ws://HOST:PORT/socket, e.g. a real Phoenix server), and
# stops it at the end. Other arguments (key=value) go to every run: ticks=200000 handler_us=1000 seconds=10.
set -euo pipefail
cd "$(dirname "$0")/.."
url=""
if [ "${1:-}" = "--url" ]; then
  url="$2"
  shift 2
fi
mvn -B -q package -Pbenchmarks -pl benchmarks -am -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
work="$(mktemp -d)"
server=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$server" ]; then
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "$url" ]; then
  mkfifo "$work/stdin"
  java -Xmx2g -cp "$cp" io.phoenixchannels.benchmarks.BenchServer < "$work/stdin" > "$work/server.out" \
    2> "$work/server.log" &
  server=$!
  exec 3> "$work/stdin" # the server serves while this stays open
  for _ in $(seq 1 300); do
    url="$(sed -n 's/^URL //p' "$work/server.out")"
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the test server did not start; see $work/server.log" >&2; exit 1; }
  echo "server: the test server's reference app at $url (its own JVM)"
else
  echo "server: $url"
fi
echo "load average before: $(cat /proc/loadavg)"
for transport in jdk netty; do
  for window in 1024 0; do
    echo "== transport=$transport window=$window"
    java -Xmx1g -cp "$cp" io.phoenixchannels.benchmarks.Flood "$url" transport="$transport" window="$window" "$@"
  done
done
echo "load average after: $(cat /proc/loadavg)"
