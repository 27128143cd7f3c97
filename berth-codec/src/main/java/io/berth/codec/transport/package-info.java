/** The Netty transport (native epoll or NIO) that the broker and the client share. */
@NullMarked
package io.berth.codec.transport;

import org.jspecify.annotations.NullMarked;
