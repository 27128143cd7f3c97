#!/usr/bin/env bash
# SIGKILL crash test of a three-node cluster (mvn verify runs 3 cycles): kills a random node (the clients'
# own or another, leader or not) at random moments while QoS 1 and QoS 2 publishers run, restarts it, and
# checks that every acknowledged message reaches the persistent subscriber, QoS 2 exactly once, in order.
# Usage: scripts/cluster-crash-test.sh [cycles=100] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-100}"
seed_arg=()
if [ $# -ge 2 ]; then seed_arg=("-Dberth.crash.seed=$2"); fi
mvn -B -q -pl berth-broker -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ClusterKillNineIT -Dfailsafe.failIfNoSpecifiedTests=false -Dberth.cluster.crash.cycles="$cycles" \
  "${seed_arg[@]}"
cat berth-broker/target/cluster-crash-test.txt
