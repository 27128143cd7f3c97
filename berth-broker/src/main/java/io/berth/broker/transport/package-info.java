/**
 * The network: the TCP listener and the channel pipeline of each connection.
 *
 * <p>Threading: Netty's boss and worker event loops; a pipeline belongs to its channel's loop.
 */
package io.berth.broker.transport;
