package io.berth.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client-chosen names cannot forge log lines nor flood the log. */
class LogTextTest {
    @Test
    void controlCharacters_areEscaped() {
        assertThat(LogText.safe("x\n[berth-auth-2-1] INFO login accepted for admin\r\u0000\u2028"))
                .isEqualTo("x\\n[berth-auth-2-1] INFO login accepted for admin\\r\\u0000\\u2028")
                .doesNotContain("\n");
    }

    @Test
    void longNames_areCut() {
        String logged = LogText.safe("a".repeat(65_535));
        assertThat(logged).startsWith("a".repeat(128) + "...").endsWith("(65535 chars)");
        assertThat(logged.length()).isLessThan(160);
    }

    @Test
    void passwordFile_refusesNamesItCouldNotReadBack() {
        for (String bad : new String[] {"bad\rname", "tab\tname", " lead", "trail ", "a:b", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> PasswordFile.empty().with(bad, "$pbkdf2-sha512$1$AA$AA"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PasswordFile.empty().with("café-1", "$pbkdf2-sha512$1$AA$AA").users())
                .containsExactly("café-1");
    }
}
