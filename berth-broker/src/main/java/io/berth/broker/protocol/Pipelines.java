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
        p.addLast("decoder", MqttDecoder.forServer(config.maxPacketSize()));
        p.addLast("encoder", new MqttEncoder());
        p.addLast("mqtt", handler);
    }
}
