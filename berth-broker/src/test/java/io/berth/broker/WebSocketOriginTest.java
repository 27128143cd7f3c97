package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.SecurityConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Origin of a WebSocket upgrade, against cross-site WebSocket hijacking. */
class WebSocketOriginTest {
    @TempDir
    Path dir;

    /** Sends the upgrade request and returns the status line of the answer. */
    private static String upgrade(int port, String origin) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            String request = "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static TestBroker broker(ListenerConfig ws, SecurityConfig security) {
        return new TestBroker(b -> b.security(security.withListeners(List.of(ws))));
    }

    @Test
    void anonymousBroker_refusesBrowserOrigins_byDefault() throws Exception {
        try (TestBroker b = broker(ListenerConfig.ws("127.0.0.1", 0, "/mqtt"), SecurityConfig.DEFAULT)) {
            assertThat(upgrade(b.port(), "http://evil.example")).contains("403");
            // clients that are not browsers send no Origin
            assertThat(upgrade(b.port(), null)).contains("101");
        }
    }

    @Test
    void allowedOrigins_areTheOnlyOnesAccepted() throws Exception {
        ListenerConfig ws =
                ListenerConfig.ws("127.0.0.1", 0, "/mqtt").withAllowedOrigins(List.of("https://app.example"));
        try (TestBroker b = broker(ws, SecurityConfig.DEFAULT)) {
            assertThat(upgrade(b.port(), "https://app.example")).contains("101");
            assertThat(upgrade(b.port(), "http://evil.example")).contains("403");
        }
    }

    @Test
    void brokerWithPasswords_acceptsAnyOrigin_byDefault() throws Exception {
        Path file = AuthenticationTest.passwords(dir, "alice", "pw");
        try (TestBroker b =
                broker(ListenerConfig.ws("127.0.0.1", 0, "/mqtt"), SecurityConfig.DEFAULT.withPasswordFile(file))) {
            assertThat(upgrade(b.port(), "https://app.example")).contains("101");
        }
    }
}
