#!/usr/bin/env bash
# SIGKILL crash test with many cycles (mvn verify runs 20): kills a child broker at random moments while
# QoS 1 and QoS 2 publishers run, and checks that every acknowledged message reaches the subscriber.
# Usage: scripts/crash-test.sh [cycles=100] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-100}"
seed_arg=()
if [ $# -ge 2 ]; then seed_arg=("-Dberth.crash.seed=$2"); fi
mvn -B -q -pl berth-broker -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KillNineIT -Dfailsafe.failIfNoSpecifiedTests=false -Dberth.crash.cycles="$cycles" "${seed_arg[@]}"
cat berth-broker/target/crash-test.txt
