#!/usr/bin/env bash
# SIGKILL crash test of a three-node cluster (mvn verify runs 3 cycles): kills a random node (the clients'
# own or another, leader or not) at random moments while QoS 1 and QoS 2 publishers run, restarts it, and
# checks that every acknowledged message reaches the persistent subscriber, QoS 2 exactly once, in order.
# Usage: scripts/cluster-crash-test.sh [cycles=100] [seed]
# SNAPSHOT_EVERY=N gives the nodes cluster.snapshot-every: N; DOWN_MILLIS=N keeps a killed node down for up to
# N ms. Both small and long (SNAPSHOT_EVERY=50 DOWN_MILLIS=8000): a restarted node installs the leader's
# snapshot in place of its replica.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-100}"
options=()
if [ $# -ge 2 ]; then options+=("-Dberth.crash.seed=$2"); fi
if [ -n "${SNAPSHOT_EVERY:-}" ]; then options+=("-Dberth.cluster.crash.snapshot-every=$SNAPSHOT_EVERY"); fi
if [ -n "${DOWN_MILLIS:-}" ]; then options+=("-Dberth.cluster.crash.down-millis=$DOWN_MILLIS"); fi
mvn -B -q -pl berth-broker -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ClusterKillNineIT -Dfailsafe.failIfNoSpecifiedTests=false -Dberth.cluster.crash.cycles="$cycles" \
  ${options[@]+"${options[@]}"}
cat berth-broker/target/cluster-crash-test.txt
