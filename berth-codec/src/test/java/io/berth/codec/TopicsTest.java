package io.berth.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "/", "a/b", "/a/", "$SYS/x", "a b", "é/€", "//"})
  void validTopicNames(String topic) {
    assertThat(Topics.isValidTopicName(topic)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "a+b", "a#", "a\u0000b"})
  @DisplayName("[MQTT-4.7.1-1] [MQTT-4.7.3-1] [MQTT-4.7.3-2] invalid topic names")
  void invalidTopicNames(String topic) {
    assertThat(Topics.isValidTopicName(topic)).isFalse();
  }

  @Test
  void topicName_lengthIsCountedInUtf8Bytes() {
    assertThat(Topics.isValidTopicName("a".repeat(65_535))).isTrue();
    assertThat(Topics.isValidTopicName("a".repeat(65_536))).isFalse();
    assertThat(Topics.isValidTopicName("é".repeat(32_767))).isTrue(); // 65534 bytes
    assertThat(Topics.isValidTopicName("é".repeat(32_768))).isFalse(); // 65536 bytes
    assertThat(Topics.isValidTopicFilter("é".repeat(32_768))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "#", "+", "a/#", "a/+", "+/+", "+/b/#", "/", "/+", "a//b", "$SYS/#",
    "$share/g/a/b", "$share/g/#", "$share/g/+", "$share/group-1/+/x/#", "$share/g//"
  })
  void validTopicFilters(String filter) {
    assertThat(Topics.isValidTopicFilter(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "a#", "#/a", "a/#/b", "a+", "+a", "a/b+/c", "##", "++", "a\u0000",
    "$share/", "$share/g", "$share/g/", "$share//a", "$share/g+/a", "$share/g#/a", "$share/g/a#"
  })
  @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.8.2-1] [MQTT-4.8.2-2] invalid topic filters")
  void invalidTopicFilters(String filter) {
    assertThat(Topics.isValidTopicFilter(filter)).isFalse();
  }

  @Test
  void sharedFilter_parts() {
    assertThat(Topics.isShared("$share/g/a/b")).isTrue();
    assertThat(Topics.isShared("$SHARE/g/a")).isFalse();
    assertThat(Topics.isShared("a/$share/g")).isFalse();
    assertThat(Topics.shareGroup("$share/g/a/b")).isEqualTo("g");
    assertThat(Topics.shareFilter("$share/g/a/b")).isEqualTo("a/b");
    assertThat(Topics.shareGroup("a/b")).isNull();
    assertThat(Topics.shareFilter("a/b")).isNull();
  }

  @ParameterizedTest(name = "{0} matches {1}")
  @CsvSource({
    "#, a",
    "#, a/b/c",
    "#, /",
    "sport/tennis/player1/#, sport/tennis/player1",
    "sport/tennis/player1/#, sport/tennis/player1/ranking",
    "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon",
    "sport/#, sport",
    "sport/tennis/+, sport/tennis/player1",
    "sport/+, sport/",
    "+/+, /finance",
    "/+, /finance",
    "+, a",
    "a/+/c, a/b/c",
    "a/+/c, a//c",
    "+/b/#, a/b",
    "$SYS/#, $SYS/broker",
    "$SYS/+/x, $SYS/a/x",
    "a/b, a/b",
    "$share/g/a/+, a/b",
    "$share/g/#, a"
  })
  void matches(String filter, String topic) {
    assertThat(Topics.matches(filter, topic)).isTrue();
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @CsvSource({
    "sport/tennis/+, sport/tennis/player1/ranking",
    "sport/+, sport",
    "+, /finance",
    "a/b, a/b/",
    "a/b, a",
    "a/b/c, a/b",
    "a/+, a",
    "a, A",
    "ab, a",
    "a, ab",
    "#, $SYS/broker",
    "+/broker, $SYS/broker",
    "+, $SYS",
    "$share/g/#, $SYS/x",
    "a/#, b"
  })
  @DisplayName("[MQTT-4.7.2-1] and other non-matches")
  void doesNotMatch(String filter, String topic) {
    assertThat(Topics.matches(filter, topic)).isFalse();
  }
}
