package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS 1.2 offers forward-secret AEAD suites only, and a client cannot renegotiate. */
class TlsHardeningTest {
    @TempDir
    Path dir;

    private TestCertificates.Issued ca;
    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        ca = TestCertificates.ca(dir, "test-ca");
        TestCertificates.Issued server = TestCertificates.rsaServer(dir, "server", ca);
        broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT.withListeners(
                List.of(ListenerConfig.tls("127.0.0.1", 0, server.certFile(), server.keyFile())))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private SSLSocket tls12(String... suites) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, ca.trustManager().getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", broker.port());
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        if (suites.length > 0) {
            s.setEnabledCipherSuites(suites);
        }
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends a CONNECT and returns the first byte of the answer, -1 at the end of the stream. */
    private static int connectAndRead(SSLSocket s) throws IOException {
        ByteBuf buf = MqttEncoder.encode(
                UnpooledByteBufAllocator.DEFAULT,
                new ConnectPacket(MqttVersion.V3_1_1, "tls", true, 60, null, null, null, MqttProperties.EMPTY),
                MqttVersion.V3_1_1);
        try {
            s.getOutputStream().write(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
        InputStream in = s.getInputStream();
        return in.read();
    }

    @Test
    void tls12_withForwardSecrecyAndAead_connects() throws Exception {
        try (SSLSocket s = tls12("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            s.startHandshake();
            assertThat(connectAndRead(s)).isEqualTo(0x20); // CONNACK
        }
    }

    @Test
    void tls12_cbcSuites_areNotOffered() throws Exception {
        try (SSLSocket s = tls12("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA")) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void tls12_staticRsaSuites_withoutForwardSecrecy_areNotOffered() throws Exception {
        try (SSLSocket s = tls12("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA")) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void clientInitiatedRenegotiation_isRefused() throws Exception {
        try (SSLSocket s = tls12()) {
            s.startHandshake();
            // a second handshake on the same TLS 1.2 connection, asked by the client
            s.startHandshake();
            int answer;
            try {
                answer = connectAndRead(s);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no answer at all", e);
            } catch (IOException refused) {
                answer = -1; // the handshake was refused with an alert
            }
            assertThat(answer).isEqualTo(-1);
        }
    }
}
