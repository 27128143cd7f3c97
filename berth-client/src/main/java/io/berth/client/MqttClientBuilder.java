package io.berth.client;

import io.berth.client.internal.ClientConfig;
import io.berth.client.internal.DefaultMqttClient;
import io.berth.client.store.ClientSessionStore;
import io.berth.codec.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures and builds an {@link MqttClient}. Each setter documents its default; {@link #build()}
 * validates the whole and loads the session store, so that messages can be published (into the send
 * buffer) even before the first {@link MqttClient#connect()}.
 *
 * <p>Threading: a builder is used by one thread at a time.
 */
public final class MqttClientBuilder {
    private String host = "localhost";
    private int port = 1883;
    private MqttVersion version = MqttVersion.V5;
    private String clientId = "";
    private @Nullable String username;
    private byte @Nullable [] password;
    private boolean cleanStart = true;
    private long sessionExpirySeconds;
    private int keepAliveSeconds = 60;
    /** 3.1.1 has no Receive Maximum; Mosquitto drops QoS 1/2 beyond 20 in flight without telling. */
    private static final int DEFAULT_MAX_INFLIGHT_3_1_1 = 20;

    private @Nullable Integer maxInflight;
    private int maxPacketSize = 268_435_460;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration reconnectMinDelay = Duration.ofMillis(100);
    private Duration reconnectMaxDelay = Duration.ofSeconds(30);
    private int maxBufferedMessages = 100_000;
    private long maxBufferedBytes = 64L * 1024 * 1024;
    private OverflowPolicy overflowPolicy = OverflowPolicy.REJECT;
    private boolean resendOnSessionLoss = true;
    private @Nullable ClientSessionStore store;
    private @Nullable MessageHandler defaultHandler;
    private DroppedMessageListener droppedListener = (m, r) -> {};
    private ConnectionListener connectionListener = new ConnectionListener() {};
    private @Nullable Message will;
    private long willDelaySeconds;
    private int receiveMaximum = 65_535;
    private int topicAliasMaximum;
    private @Nullable String scramUsername;
    private char @Nullable [] scramPassword;
    private @Nullable TlsConfig tls;
    private @Nullable String webSocketPath;

    MqttClientBuilder() {}

    /** The broker's host and port; default localhost:1883. */
    public MqttClientBuilder serverAddress(String host, int port) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        return this;
    }

    /** The protocol version, {@code V3_1_1} or {@code V5}; default 5. */
    public MqttClientBuilder version(MqttVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return this;
    }

    /** The client identifier; default empty (5.0: the broker assigns one). A persistent session needs one. */
    public MqttClientBuilder clientId(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /**
     * User name and password, sent in CONNECT (over TLS, or the password crosses the network readable);
     * default none.
     */
    public MqttClientBuilder credentials(String username, @Nullable String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * Whether the first connection starts a new session (5.0 Clean Start; 3.1.1 Clean Session, which then
     * applies to every connection); default true. Reconnects on 5.0 always resume.
     */
    public MqttClientBuilder cleanStart(boolean cleanStart) {
        this.cleanStart = cleanStart;
        return this;
    }

    /** How long the broker keeps the session after a disconnect (5.0); default 0 (ends with the connection). */
    public MqttClientBuilder sessionExpiry(Duration expiry) {
        this.sessionExpirySeconds = expiry.getSeconds();
        return this;
    }

    /** The keep-alive interval (0 turns it off); default 60 s. */
    public MqttClientBuilder keepAlive(Duration keepAlive) {
        this.keepAliveSeconds = (int) Math.min(Integer.MAX_VALUE, keepAlive.getSeconds());
        return this;
    }

    /**
     * The most QoS 1 and 2 messages in flight at once; the broker's Receive Maximum (5.0) lowers it
     * further; default 65535 on 5.0 and 20 on 3.1.1, which has no Receive Maximum (Mosquitto silently
     * drops QoS 1 and 2 messages beyond its limit of 20 from a 3.1.1 client).
     */
    public MqttClientBuilder maxInflight(int maxInflight) {
        this.maxInflight = maxInflight;
        return this;
    }

    /**
     * The largest packet the client accepts from the broker, announced as Maximum Packet Size (5.0); a
     * larger packet ends the connection with Packet too large (0x95). Default the MQTT maximum. The
     * broker's own Maximum Packet Size limits what {@link MqttClient#publish} accepts.
     */
    public MqttClientBuilder maxPacketSize(int maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
        return this;
    }

    /**
     * The will message the broker publishes when the connection ends without a normal DISCONNECT (or with
     * {@link Disconnect#WITH_WILL}), with its properties (5.0) and the Will Delay Interval (5.0): how long
     * the broker waits before publishing it, so that a quick reconnect cancels it. Default none.
     */
    public MqttClientBuilder will(Message will, Duration delay) {
        this.will = Objects.requireNonNull(will, "will");
        this.willDelaySeconds = delay.getSeconds();
        return this;
    }

    /**
     * How many QoS 1 and 2 messages the broker may send before the client acknowledged them, announced
     * as Receive Maximum (5.0); more ends the connection with Receive Maximum exceeded (0x93). Default
     * 65535.
     */
    public MqttClientBuilder receiveMaximum(int receiveMaximum) {
        this.receiveMaximum = receiveMaximum;
        return this;
    }

    /**
     * How many topic aliases the broker may use towards this client, announced as Topic Alias Maximum
     * (5.0); default 0 (none). The client's own PUBLISHes use aliases by themselves, as many as the
     * broker's Topic Alias Maximum allows.
     */
    public MqttClientBuilder topicAliasMaximum(int topicAliasMaximum) {
        this.topicAliasMaximum = topicAliasMaximum;
        return this;
    }

    /**
     * Authenticates with SCRAM-SHA-256 (RFC 5802, RFC 7677) through MQTT 5 enhanced authentication: the
     * password never crosses the network, and the broker proves that it knows the user's keys too (a
     * CONNACK whose server signature does not verify ends the connection). Default none.
     */
    public MqttClientBuilder scramSha256(String username, char[] password) {
        this.scramUsername = Objects.requireNonNull(username, "username");
        this.scramPassword = password.clone();
        return this;
    }

    /** Connects over TLS; default plain TCP. See {@link TlsConfig}. */
    public MqttClientBuilder tls(TlsConfig tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /**
     * Connects over WebSocket (subprotocol {@code mqtt}) to {@code path} on the server address, for
     * example {@code "/mqtt"}: {@code ws://}, or {@code wss://} together with {@link #tls}. Default plain
     * MQTT over TCP.
     */
    public MqttClientBuilder webSocket(String path) {
        this.webSocketPath = Objects.requireNonNull(path, "path");
        return this;
    }

    /** How long to wait for TCP connect and for CONNACK; default 10 s. */
    public MqttClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** The reconnect backoff: first delay and the cap of its doubling; default 100 ms to 30 s. */
    public MqttClientBuilder reconnectDelay(Duration min, Duration max) {
        this.reconnectMinDelay = Objects.requireNonNull(min, "min");
        this.reconnectMaxDelay = Objects.requireNonNull(max, "max");
        return this;
    }

    /**
     * Bounds of the send buffer (messages handed over and not yet sent) and what happens when it is full;
     * default 100,000 messages, 64 MiB of payload, {@link OverflowPolicy#REJECT}.
     */
    public MqttClientBuilder sendBuffer(int maxMessages, long maxBytes, OverflowPolicy policy) {
        this.maxBufferedMessages = maxMessages;
        this.maxBufferedBytes = maxBytes;
        this.overflowPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * What to do with unacknowledged messages when the broker answers a reconnect with Session Present 0:
     * true sends them again as new messages (none lost; a QoS 2 message may then arrive twice if the broker
     * had delivered it before losing the session), false fails them and reports them as dropped. Messages
     * whose PUBREC came are complete either way. Default true.
     */
    public MqttClientBuilder resendOnSessionLoss(boolean resend) {
        this.resendOnSessionLoss = resend;
        return this;
    }

    /** Where the session is kept; default {@link ClientSessionStore#inMemory()}. */
    public MqttClientBuilder sessionStore(ClientSessionStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** Receives messages that match no subscription of this client (a resumed session's queue); default none. */
    public MqttClientBuilder defaultHandler(MessageHandler handler) {
        this.defaultHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Told about messages dropped from the send buffer or lost with the session; default none. */
    public MqttClientBuilder droppedListener(DroppedMessageListener listener) {
        this.droppedListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Told when connections come and go; default none. */
    public MqttClientBuilder connectionListener(ConnectionListener listener) {
        this.connectionListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Validates the configuration and loads the session store.
     *
     * @throws IllegalArgumentException for an invalid combination, with what is wrong
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    public MqttClient build() {
        ClientConfig config = new ClientConfig(
                host,
                port,
                version,
                clientId,
                username,
                password,
                cleanStart,
                sessionExpirySeconds,
                keepAliveSeconds,
                maxInflight != null ? maxInflight : version.isV5() ? 65_535 : DEFAULT_MAX_INFLIGHT_3_1_1,
                maxPacketSize,
                connectTimeout,
                reconnectMinDelay,
                reconnectMaxDelay,
                maxBufferedMessages,
                maxBufferedBytes,
                overflowPolicy,
                resendOnSessionLoss,
                store == null ? ClientSessionStore.inMemory() : store,
                defaultHandler,
                droppedListener,
                connectionListener,
                will,
                willDelaySeconds,
                receiveMaximum,
                topicAliasMaximum,
                scramUsername,
                scramPassword,
                tls,
                webSocketPath);
        return new DefaultMqttClient(config);
    }
}
