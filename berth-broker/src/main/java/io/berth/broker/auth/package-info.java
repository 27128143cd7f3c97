/**
 * Who may connect and what they may do: the password file with salted slow hashes, the ACL file with
 * publish, subscribe and receive rights, the secure-by-default rule for anonymous clients, the
 * failed-login back-off and the per-address connection limits. Depends on configuration, metrics and
 * the codec's reason codes only; knows nothing of sessions or the network.
 *
 * <p>Threading: the password file and ACL are immutable snapshots behind volatile fields, replaced by
 * the reloader thread; password hashes are checked on a small dedicated executor, never on an event
 * loop; everything else is safe to call from any thread.
 */
@NullMarked
package io.berth.broker.auth;

import org.jspecify.annotations.NullMarked;
