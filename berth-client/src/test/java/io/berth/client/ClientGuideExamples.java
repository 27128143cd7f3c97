package io.berth.client;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.RetainHandling;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

/** The README client guide's examples, compiled with the tests so that they stay true. Not run. */
final class ClientGuideExamples {
    private ClientGuideExamples() {}

    static void session() throws Exception {
        // guide:session
        try (MqttClient client = MqttClient.builder()
                .serverAddress("localhost", 1883)
                .clientId("sensor-7") // a persistent session needs a fixed id
                .cleanStart(false) // resume the session the broker keeps
                .sessionExpiry(Duration.ofHours(1)) // MQTT 5: how long the broker keeps it
                .sessionStore(ClientSessionStore.file(Path.of("sensor-7.session")))
                .sendBuffer(10_000, 16 << 20, OverflowPolicy.DROP_OLDEST)
                .droppedListener((m, why) -> System.err.println("dropped " + m + ": " + why))
                .build()) {
            client.connect().join();
            client.subscribe(
                            "commands/sensor-7/#",
                            QoS.EXACTLY_ONCE,
                            m -> System.out.println(m.topic() + " " + m.payloadAsString()))
                    .join();

            PublishFuture f = client.publish(Message.of("readings/7", "21.5", QoS.EXACTLY_ONCE));
            f.stored().join(); // on disk: survives a crash of this process from here on
            f.join(); // acknowledged by the broker (PUBCOMP)
        }
        // end:session
    }

    static void connection() throws InterruptedException {
        // guide:connection
        MqttClient client = MqttClient.builder()
                .serverAddress("localhost", 1883)
                .version(MqttVersion.V3_1_1) // default 5.0
                .maxInflight(20) // 3.1.1 has no Receive Maximum: the client's own limit (the default)
                .keepAlive(Duration.ofSeconds(30)) // default 60 s
                .connectTimeout(Duration.ofSeconds(10))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(30)) // backoff, doubling
                .resendOnSessionLoss(true) // Session Present 0: send unacknowledged messages again
                .defaultHandler(m -> System.out.println("matches no subscription: " + m.topic()))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(MqttClientException cause) {
                        System.err.println("connection lost, reconnecting: " + cause.getMessage());
                    }
                })
                .build();
        client.connect().join();
        try (MessageStream alerts = client.subscribeStream("alerts/#", QoS.AT_LEAST_ONCE)) {
            Message next = alerts.poll(Duration.ofSeconds(5)); // or take(); null when none came
            System.out.println(next == null ? "quiet" : next.payloadAsString());
        } // closing the stream unsubscribes
        client.unsubscribe("commands/#").join();
        client.close();
        // end:connection
    }

    static void properties(MqttClient client) {
        // guide:properties
        client.publish(Message.builder("readings/7")
                .payload("{\"t\":21.5}") // a String payload also sets Payload Format Indicator = UTF-8
                .qos(QoS.AT_LEAST_ONCE)
                .contentType("application/json")
                .messageExpiry(Duration.ofMinutes(10)) // counts down while the message waits offline
                .userProperty("unit", "celsius")
                .build());

        client.subscribe(
                Subscription.builder("readings/#")
                        .qos(QoS.AT_LEAST_ONCE)
                        .subscriptionIdentifier(42)
                        .build(),
                m -> {
                    MessageProperties p = m.properties();
                    System.out.println(p.contentType() + " " + p.userProperty("unit") + " "
                            + p.subscriptionIdentifiers() // [42]
                            + " expires in " + p.messageExpiry());
                });
        // end:properties
    }

    static void requestResponse(MqttClient service, MqttClient caller) {
        // guide:request
        // the responder answers on the request's Response Topic with its Correlation Data
        service.subscribe(
                "svc/time",
                QoS.AT_LEAST_ONCE,
                request -> service.publish(request.replyBuilder()
                        .payload(java.time.Instant.now().toString())
                        .build()));

        // the caller: subscribes to the response topic once, correlates, times out
        Message answer = caller.request(
                        Message.builder("svc/time")
                                .qos(QoS.AT_LEAST_ONCE)
                                .responseTopic("svc/replies/caller-1")
                                .build(),
                        Duration.ofSeconds(5))
                .join();
        // end:request
        System.out.println(answer.payloadAsString());
    }

    static void subscriptionOptions(MqttClient client) {
        // guide:options
        client.subscribe(
                Subscription.builder("chat/room-1")
                        .qos(QoS.EXACTLY_ONCE)
                        .noLocal(true) // not the messages this client published itself
                        .retainAsPublished(true) // keep the retain flag as the publisher set it
                        .retainHandling(RetainHandling.SEND_IF_NEW_SUBSCRIPTION) // retained only the first time
                        .build(),
                m -> System.out.println(m.payloadAsString()));
        // end:options
    }

    static void willAndDisconnect() {
        // guide:will
        MqttClient client = MqttClient.builder()
                .clientId("sensor-7")
                .will(
                        Message.builder("status/sensor-7")
                                .payload("offline")
                                .qos(QoS.AT_LEAST_ONCE)
                                .retain(true)
                                .userProperty("cause", "connection lost")
                                .build(),
                        Duration.ofSeconds(30)) // Will Delay: a reconnect within 30 s cancels it
                .build();
        client.connect().join();
        // ...
        client.close(new Disconnect(ReasonCode.SUCCESS, "shutting down", Duration.ZERO, List.of()));
        // or client.close(Disconnect.WITH_WILL): the broker publishes the will now
        // end:will
    }

    static void authentication(char[] password) {
        // guide:auth
        MqttClient plain = MqttClient.builder()
                .credentials("alice", "alice-pw") // CONNECT user name and password: use TLS
                .build();

        MqttClient scram = MqttClient.builder()
                .scramSha256("alice", password) // MQTT 5 enhanced authentication: the password never
                .build(); //                       leaves the client, and the broker proves itself too
        // end:auth
        plain.close();
        scram.close();
    }

    static void transports(KeyStore trustStore, KeyStore deviceKeys, char[] keyPassword) {
        // guide:tls
        MqttClient tls = MqttClient.builder()
                .serverAddress("broker.example.com", 8883)
                .tls(TlsConfig.builder()
                        .trustPem(Path.of("ca.crt")) // or .trustStore(keyStore); default: the JDK's CAs
                        .clientCertificatePem(Path.of("device.crt"), Path.of("device.key")) // optional
                        .build()) // host name verification is on unless .hostnameVerification(false)
                .build();

        MqttClient wss = MqttClient.builder()
                .serverAddress("broker.example.com", 443)
                .webSocket("/mqtt") // ws://, or wss:// together with .tls(...)
                .tls(TlsConfig.builder()
                        .trustStore(trustStore)
                        .clientKeyStore(deviceKeys, keyPassword)
                        .build())
                .build();
        // end:tls
        tls.close();
        wss.close();
    }

    static void limitsAndErrors() {
        // guide:limits
        MqttClient client = MqttClient.builder()
                .receiveMaximum(100) // at most 100 unacknowledged QoS 1/2 messages from the broker
                .maxPacketSize(64 * 1024) // the broker drops larger messages for this client
                .topicAliasMaximum(32) // the broker may use 32 topic aliases towards this client
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(MqttClientException cause) {
                        if (cause.isRedirection()) { // 0x9C Use another server, 0x9D Server moved
                            System.err.println("broker points to " + cause.serverReference());
                        }
                    }
                })
                .build();
        try {
            client.connect().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof MqttClientException refused) {
                System.err.println(refused.reasonCode() + ": " + refused.reasonString());
            }
        }
        // end:limits
        client.close();
    }

    static void durability() throws java.io.IOException {
        // guide:durability
        ClientSessionStore fsynced = ClientSessionStore.file(Path.of("sensor-7.session")); // the default: FSYNC
        ClientSessionStore written = ClientSessionStore.file(Path.of("logger.session"), FileDurability.OS);
        // end:durability
        MqttClient.builder().sessionStore(fsynced).build().close();
        MqttClient.builder().sessionStore(written).build().close();
    }
}
