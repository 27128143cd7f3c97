package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A malformed packet from the broker ends the connection with reason code 0x81 (a DISCONNECT on 5.0, a
 * plain close on 3.1.1) and the client connects again. A scripted broker on a raw socket plays the
 * broker's part byte by byte.
 */
class MalformedBrokerPacketIT {
  private static final byte[] CONNACK_V5 = {
    0x20, 0x03, // CONNACK, remaining length 3
    0x00, // no session present
    0x00, // reason code Success
    0x00 // no properties
  };
  private static final byte[] CONNACK_V311 = {0x20, 0x02, 0x00, 0x00};
  private static final byte[] RESERVED_TYPE_0 = {0x00, 0x00}; // packet type 0 is reserved: malformed

  @Test
  void v5_malformedPacket_disconnectWithMalformedPacketThenReconnect() throws Exception {
    byte[] fromClient = scriptedBroker(MqttVersion.V5, CONNACK_V5);
    assertThat(tail(fromClient, 3)).containsExactly(0xE0, 0x01, 0x81); // DISCONNECT, 0x81 Malformed
  }

  @Test
  void v311_malformedPacket_closeThenReconnect() throws Exception {
    byte[] fromClient = scriptedBroker(MqttVersion.V3_1_1, CONNACK_V311);
    assertThat(fromClient).isEmpty(); // 3.1.1 has no DISCONNECT from the client with a reason: close
  }

  /** Accepts the client, answers CONNACK, sends the bad packet, returns what the client sent after. */
  private static byte[] scriptedBroker(MqttVersion version, byte[] connack) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      try (MqttClient client = MqttClient.builder().serverAddress("127.0.0.1", server.getLocalPort())
          .version(version).clientId("c").reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
          .build()) {
        client.connect();
        byte[] received;
        try (Socket first = server.accept()) {
          first.setSoTimeout(10_000);
          readPacket(first.getInputStream()); // CONNECT
          first.getOutputStream().write(connack);
          first.getOutputStream().write(RESERVED_TYPE_0);
          received = readAll(first.getInputStream());
        }
        try (Socket second = server.accept()) { // the client reconnects
          second.setSoTimeout(10_000);
          assertThat(readPacket(second.getInputStream())[0] & 0xF0).isEqualTo(0x10);
        }
        return received;
      }
    }
  }

  private static byte[] readPacket(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(in.read());
    int length = in.read(); // CONNECTs in these tests are shorter than 128 bytes
    out.write(length);
    out.write(in.readNBytes(length));
    return out.toByteArray();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static int[] tail(byte[] bytes, int n) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = bytes[bytes.length - n + i] & 0xFF;
    }
    return t;
  }
}
