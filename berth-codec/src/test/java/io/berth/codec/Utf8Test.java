package io.berth.codec;

import static io.berth.codec.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  private static String decode(byte[] b) {
    ByteBuf buf = Unpooled.wrappedBuffer(b);
    try {
      return Utf8.decodeString(buf, 0, b.length);
    } finally {
      buf.release();
    }
  }

  @Test
  void wellFormedStrings_decode() {
    assertThat(decode(Wire.utf8("a/b"))).isEqualTo("a/b");
    assertThat(decode(Wire.utf8("é€𝄞"))).isEqualTo("é€𝄞");
    assertThat(decode(bytes(0xEF, 0xBB, 0xBF))).isEqualTo("\uFEFF"); // [MQTT-1.5.4-3] kept as is
    assertThat(decode(bytes(0xF4, 0x8F, 0xBF, 0xBF))).isEqualTo("\uDBFF\uDFFF"); // U+10FFFF
    assertThat(decode(new byte[0])).isEmpty();
  }

  @Test
  @DisplayName("[MQTT-1.5.4-2] U+0000 in a string is rejected")
  void nullCharacter_rejected() {
    assertThat(decode(bytes('a', 0, 'b'))).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "ED A0 80", //     U+D800, a surrogate [MQTT-1.5.4-1]
    "ED BF BF", //     U+DFFF
    "C0 80", //        overlong U+0000
    "C1 BF", //        overlong
    "E0 80 AF", //     overlong '/'
    "F0 80 80 AF", //  overlong '/'
    "F4 90 80 80", //  above U+10FFFF
    "F5 80 80 80", //  no such lead byte
    "80", //           lone continuation byte
    "C3", //           truncated
    "E2 82", //        truncated
    "E2 28 A1", //     bad continuation
    "FF"
  })
  @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 is rejected")
  void illFormed_rejected(String hex) {
    String[] parts = hex.split(" ");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    assertThat(decode(b)).isNull();
    assertThat(Utf8.isWellFormed(b)).isFalse();
  }

  @Test
  void payloadCheck_allowsNullCharacter() {
    assertThat(Utf8.isWellFormed(bytes('a', 0))).isTrue();
    assertThat(Utf8.isWellFormed(Wire.utf8("ü€𝄞"))).isTrue();
  }
}
