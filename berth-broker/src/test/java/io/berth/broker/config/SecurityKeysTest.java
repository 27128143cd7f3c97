package io.berth.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.config.ListenerConfig.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityKeysTest {
    @TempDir
    Path dir;

    private BrokerConfig read(String yaml) throws Exception {
        Path f = dir.resolve("berth.yml");
        Files.writeString(f, yaml);
        return ConfigFile.read(f);
    }

    @Test
    void listenersPasswordAclAndLimits_areRead() throws Exception {
        BrokerConfig c = read("""
        listeners:
          - type: tcp
            bind: 0.0.0.0
            port: 1883
          - type: tls
            port: 8883
            cert: server.crt
            key: server.key
            client-ca: ca.crt
            require-client-certificate: true
            certificate-as-username: true
          - type: wss
            port: 8443
            cert: server.crt
            key: server.key
            path: /ws
        password-file: passwd
        acl-file: berth.acl
        allow-anonymous: false
        max-connections-per-address: 50
        failed-connect-rate-per-address: 5
        logins-in-flight-per-address: 3
        max-connect-size: 16KiB
        max-unauthenticated-bytes: 8MiB
        login-backoff-max-ms: 2000
        max-client-id-length: 64
        max-subscriptions-per-session: 100
        max-topic-levels: 16
        max-sessions-per-principal: 500
        """);
        assertThat(c.listeners()).hasSize(3);
        assertThat(c.listeners().get(0).loopback()).isFalse();
        ListenerConfig tls = c.listeners().get(1);
        assertThat(tls.transport()).isEqualTo(Transport.TLS);
        assertThat(tls.bind()).isEqualTo("127.0.0.1");
        assertThat(tls.identifiesByCertificate()).isTrue();
        assertThat(c.listeners().get(2).path()).isEqualTo("/ws");
        assertThat(c.security().passwordFile()).isEqualTo(Path.of("passwd"));
        assertThat(c.security().aclFile()).isEqualTo(Path.of("berth.acl"));
        assertThat(c.security().abuse())
                .isEqualTo(new AbuseLimits(50, 5, 2000, 3, 16 * 1024, 8L << 20, 64, 100, 16, 500));
    }

    @Test
    void withoutListeners_theBindAndPortMakeOneTcpListener() throws Exception {
        BrokerConfig c = read("port: 1999\n");
        assertThat(c.listeners()).containsExactly(ListenerConfig.tcp("127.0.0.1", 1999));
    }

    @Test
    void mistakes_nameTheFileTheListenerAndTheKey() {
        assertThatThrownBy(() -> read("listeners:\n  - type: tls\n    port: 8883\n"))
                .hasMessageContaining("berth.yml")
                .hasMessageContaining("listener 1")
                .hasMessageContaining("cert and key");
        assertThatThrownBy(() -> read("listeners:\n  - type: quic\n    port: 1\n"))
                .hasMessageContaining("listener 1: type: expected tcp, tls, ws or wss");
        assertThatThrownBy(() -> read("listeners:\n  - port: 1\n    colour: red\n"))
                .hasMessageContaining("colour: unknown option");
        assertThatThrownBy(() -> read("max-client-id-length: 5\n")).hasMessageContaining("max-client-id-length");
    }
}
