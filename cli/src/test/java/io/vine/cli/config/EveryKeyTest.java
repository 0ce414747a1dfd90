package io.vine.cli.config;

import static io.vine.cli.config.TestConfigs.ids;
import static io.vine.cli.config.TestConfigs.replaceLine;
import static io.vine.cli.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every key of the valid config, given a value of the wrong type, is refused naming its line and qualified key. */
class EveryKeyTest {
    private static final Pattern KEY = Pattern.compile("([a-z_]+) = (.*)");

    record Case(int line, String key, String wrong) {
        @Override
        public String toString() {
            return line + ": " + key + " = " + wrong;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        String[] lines = valid().split("\n");
        String table = "";
        int[] arrayIndex = new int[2];
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("[[")) {
                String name = l.substring(2, l.length() - 2);
                int slot = name.equals("allowed_peers") ? 0 : 1;
                table = name + "[" + arrayIndex[slot]++ + "]";
                continue;
            }
            if (l.startsWith("[")) {
                table = l.substring(1, l.length() - 1);
                continue;
            }
            Matcher m = KEY.matcher(l);
            if (m.matches()) {
                String value = m.group(2);
                String wrong = value.startsWith("\"") || value.startsWith("[") ? "12345" : "\"not-" + value + "\"";
                out.add(new Case(i + 1, table + "." + m.group(1), wrong));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wrongTypeNamesFileLineAndKey(Case c) {
        String key = c.key().substring(c.key().lastIndexOf('.') + 1);
        String text = ids(replaceLine(valid(), c.line(), key + " = " + c.wrong()));
        assertThatThrownBy(() -> ConfigLoader.parse(Path.of("vine.toml"), text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("vine.toml:" + c.line() + ": " + c.key() + ": ")
                .hasMessageContaining("expected");
    }
}
