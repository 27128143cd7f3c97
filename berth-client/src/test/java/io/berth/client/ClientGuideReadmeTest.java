package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's client guide quotes {@link ClientGuideExamples} as compiled, snippet by snippet. */
class ClientGuideReadmeTest {
    private static final Pattern SNIPPET = Pattern.compile("// guide:(\\w+)\\n(.*?)\\n\\s*// end:\\1", Pattern.DOTALL);

    @Test
    void everyCompiledSnippet_isQuotedInTheReadme() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/berth/client/ClientGuideExamples.java"));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher m = SNIPPET.matcher(source);
        int snippets = 0;
        while (m.find()) {
            snippets++;
            assertThat(readme)
                    .as("README quotes snippet '%s'", m.group(1))
                    .contains(m.group(2).stripIndent());
        }
        assertThat(snippets).isEqualTo(10);
    }
}
