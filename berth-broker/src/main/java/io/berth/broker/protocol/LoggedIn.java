package io.berth.broker.protocol;

import io.berth.broker.session.SessionShard;

/**
 * What a login established for a connection, set once and together: before it the connection has no
 * session, after it every packet goes to {@code shard} for {@code connection}.
 *
 * @param connection the session's view of the channel
 * @param shard the session's shard, whose event loop the channel moved to
 * @param expiry the session expiry interval of the CONNECT, in seconds
 *     ([MQTT-3.14.2-2]: zero there cannot become non-zero in DISCONNECT)
 */
record LoggedIn(ChannelConnection connection, SessionShard shard, long expiry) {}
