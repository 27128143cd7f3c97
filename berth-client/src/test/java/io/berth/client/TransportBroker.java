package io.berth.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Mosquitto or HiveMQ CE with a listener for each transport: plain TCP (for the independent client that
 * checks the other side), TLS, TLS that requires a client certificate, WebSocket and secure WebSocket
 * (path {@code /mqtt}). Server certificates for 127.0.0.1 are made by {@link TestCertificates}; every
 * listener is on 127.0.0.1 and a port that was free a moment before (neither broker takes port 0).
 * Mosquitto 2.0's WebSocket listeners (libwebsockets) ignore the bind address and listen on every
 * interface while the test runs; the clients still connect to 127.0.0.1.
 */
final class TransportBroker implements AutoCloseable {
    /** A listener kind. */
    enum Transport {
        TCP,
        TLS,
        TLS_CLIENT_CERT,
        WS,
        WSS
    }

    static final String PASSWORD = "changeit";

    private final Map<Transport, Integer> ports;
    private final AutoCloseable stop;

    private TransportBroker(Map<Transport, Integer> ports, AutoCloseable stop) {
        this.ports = ports;
        this.stop = stop;
    }

    int port(Transport t) {
        return ports.get(t);
    }

    /** Ports that were free: all bound at once, so that no two are the same, then released. */
    private static Map<Transport, Integer> freePorts() throws IOException {
        Map<Transport, Integer> ports = new EnumMap<>(Transport.class);
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (Transport t : Transport.values()) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.put(t, s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    static TransportBroker mosquitto(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server)
            throws Exception {
        Map<Transport, Integer> ports = freePorts();
        String tls = String.join(
                "\n", "cafile " + ca.certFile(), "certfile " + server.certFile(), "keyfile " + server.keyFile());
        Path conf = dir.resolve("mosquitto-transports.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        // as root, mosquitto would switch to its own user, which cannot read the test's keys
                        "user " + System.getProperty("user.name"),
                        "per_listener_settings false",
                        "allow_anonymous true",
                        "persistence false",
                        "log_dest stderr",
                        "log_type error",
                        "listener " + ports.get(Transport.TCP) + " 127.0.0.1",
                        "listener " + ports.get(Transport.TLS) + " 127.0.0.1",
                        tls,
                        "listener " + ports.get(Transport.TLS_CLIENT_CERT) + " 127.0.0.1",
                        tls,
                        "require_certificate true",
                        "listener " + ports.get(Transport.WS) + " 127.0.0.1",
                        "protocol websockets",
                        "listener " + ports.get(Transport.WSS) + " 127.0.0.1",
                        "protocol websockets",
                        tls,
                        ""));
        Process p = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto-transports.log").toFile())
                .start();
        AutoCloseable stop = () -> {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        };
        awaitListening(ports, p::isAlive, stop, dir);
        return new TransportBroker(ports, stop);
    }

    static TransportBroker hivemq(Path dir, TestCertificates.Issued ca, TestCertificates.Issued server)
            throws Exception {
        Map<Transport, Integer> ports = freePorts();
        Path keyStore = dir.resolve("hivemq-server.p12");
        Path trustStore = dir.resolve("hivemq-trust.p12");
        write(keyStore, server, null);
        write(trustStore, null, ca.certificate());
        String tls = """
                <tls>
                  <keystore>
                    <path>%s</path>
                    <password>%s</password>
                    <private-key-password>%s</private-key-password>
                  </keystore>
                  %s
                </tls>""";
        String serverOnly = tls.formatted(keyStore, PASSWORD, PASSWORD, "");
        String clientCert = tls.formatted(
                keyStore,
                PASSWORD,
                PASSWORD,
                "<truststore><path>" + trustStore + "</path><password>" + PASSWORD + "</password></truststore>"
                        + "<client-authentication-mode>REQUIRED</client-authentication-mode>");
        String ws = """
                <port>%d</port>
                <bind-address>127.0.0.1</bind-address>
                <path>/mqtt</path>
                <subprotocols><subprotocol>mqttv3.1</subprotocol><subprotocol>mqtt</subprotocol></subprotocols>
                <allow-extensions>true</allow-extensions>""";
        String listener = "<port>%d</port><bind-address>127.0.0.1</bind-address>";
        Path config = dir.resolve("hivemq-transports.xml");
        Files.writeString(config, """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>%s</tcp-listener>
                    <tls-tcp-listener>%s%s</tls-tcp-listener>
                    <tls-tcp-listener>%s%s</tls-tcp-listener>
                    <websocket-listener>%s</websocket-listener>
                    <tls-websocket-listener>%s%s</tls-websocket-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(
                        listener.formatted(ports.get(Transport.TCP)),
                        listener.formatted(ports.get(Transport.TLS)),
                        serverOnly,
                        listener.formatted(ports.get(Transport.TLS_CLIENT_CERT)),
                        clientCert,
                        ws.formatted(ports.get(Transport.WS)),
                        ws.formatted(ports.get(Transport.WSS)),
                        serverOnly));
        HiveMqBroker h = HiveMqBroker.start(dir, ports.get(Transport.TCP), config);
        awaitListening(ports, () -> true, h, dir);
        return new TransportBroker(ports, h);
    }

    /** A PKCS#12 file with {@code key}'s certificate and key, or with {@code trusted} as a trusted entry. */
    private static void write(Path file, TestCertificates.Issued key, X509Certificate trusted) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        if (key != null) {
            ks.setKeyEntry("server", key.key(), PASSWORD.toCharArray(), new X509Certificate[] {key.certificate()});
        } else {
            ks.setCertificateEntry("ca", trusted);
        }
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
    }

    private interface Alive {
        boolean alive();
    }

    private static void awaitListening(Map<Transport, Integer> ports, Alive alive, AutoCloseable stop, Path dir)
            throws Exception {
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !alive.alive() || ports.values().stream().allMatch(TransportBroker::canConnect));
        } catch (RuntimeException e) {
            stop.close();
            throw new IOException("broker did not open its listeners " + ports + "; see " + dir, e);
        }
        if (!alive.alive()) {
            stop.close();
            throw new IOException("broker exited at start; see " + dir);
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
