/**
 * The cluster: sessions replicated with Apache Ratis. One Raft group (the session group) whose log
 * carries each store submission of every node as one entry and the claims of sessions; every node
 * applies it to its own RocksDB replica ({@link io.berth.broker.cluster.SessionStateMachine}), and a
 * submission completes once a majority committed it and this node applied it
 * ({@link io.berth.broker.cluster.ReplicatedSessionStore}). A session is served by the node that owns it;
 * a CONNECT claims it ({@link io.berth.broker.cluster.ClusterNode}). See docs/adr/0011.
 *
 * <p>Depends on the session and store packages; nothing but the broker's wiring ({@code Berth}) depends
 * on it. Threading: each class says which thread owns its state.
 */
package io.berth.broker.cluster;
