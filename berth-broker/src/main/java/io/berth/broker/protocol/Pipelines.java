package io.berth.broker.protocol;

import io.berth.broker.config.BrokerConfig;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.netty.channel.ChannelPipeline;

/** Builds the pipeline of a server connection. Threading: called on the channel's event loop. */
public final class Pipelines {
    private Pipelines() {}

    public static void server(ChannelPipeline p, BrokerConfig config, MqttConnectionHandler handler) {
        p.addLast(KeepAlive.NAME, KeepAlive.connectTimeout(config.connectTimeoutSeconds()));
        // until the login succeeds only CONNECT (and AUTH) may arrive: held to the smaller limit
        p.addLast(
                "decoder",
                MqttDecoder.forServer(Math.min(
                        config.maxPacketSize(), config.security().abuse().maxConnectSize())));
        p.addLast("encoder", new MqttEncoder());
        p.addLast("mqtt", handler);
    }
}
