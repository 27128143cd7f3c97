package io.berth.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicPatternsTest {
    @ParameterizedTest
    @CsvSource({
        "a/#, a, true",
        "a/#, a/b/c, true",
        "a/#, a/#, true",
        "a/#, a/+, true",
        "a/+, a/b, true",
        "a/+, a/+, true",
        "a/+, a/#, false",
        "a/+, a/b/c, false",
        "a/b, a/+, false",
        "a/b, a/b, true",
        "+/b, a/b, true",
        "+/b, $SYS/b, false",
        "#, $SYS/#, false",
        "#, a/#, true",
        "a/b, a, false",
    })
    void contains(String pattern, String filter, boolean expected) {
        assertThat(TopicPatterns.contains(pattern, filter)).isEqualTo(expected);
    }
}
