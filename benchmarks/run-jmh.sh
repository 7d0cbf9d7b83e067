#!/usr/bin/env bash
# The JMH micro-benchmarks with the allocation profiler (time and bytes allocated per operation). Arguments go to
# JMH, e.g. a benchmark name pattern: benchmarks/run-jmh.sh InboundDispatch
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -Pbenchmarks -pl benchmarks -am -DskipTests
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main -prof gc "$@"
