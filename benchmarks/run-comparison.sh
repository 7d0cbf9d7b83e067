#!/usr/bin/env bash
# The whole comparison in one command (see docs/BENCHMARKS.md): builds the benchmarks module and what it needs
# (package, no install, no tests), installs phoenix.js from its lock file, then runs every workload with every
# client against the reference app in its own JVM and prints the table. Arguments go to Compare:
#   --url ws://HOST:PORT/socket   --clients ours,ours-netty,phoenixjs,javaphoenixclient,raw   --workloads w1,w1x4,w2,w3,w4
#   --workloads crowd (300 and 800 users in one room, each with its own Presence: ours and phoenixjs only)
#   --phoenix 1.7|1.8 (start that real Phoenix server on a free port, stop it at the end; --phoenix-port N)
#   --quick (a smoke test, not a measurement)   key=value options for the clients
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -Pbenchmarks -pl benchmarks -am -DskipTests
if [ ! -d benchmarks/phoenixjs/node_modules ]; then
  npm ci --prefix benchmarks/phoenixjs --no-audit --no-fund
fi
exec java -Xmx1g -Dbench.phoenixjs=benchmarks/phoenixjs \
  -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.phoenixchannels.benchmarks.Compare "$@"
