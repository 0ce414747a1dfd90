package io.vine.core.multiaddr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The go-multiaddr test vectors of multiaddr-vectors.txt. */
class MultiaddrVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static List<String[]> vectors(String kind) throws IOException {
        try (var in = MultiaddrVectorsTest.class.getResourceAsStream("multiaddr-vectors.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String[]> out = reader.lines()
                    .filter(l -> l.startsWith(kind + " "))
                    .map(l -> l.substring(kind.length() + 1).split(" ", -1))
                    .toList();
            assertThat(out).as(kind).isNotEmpty();
            return out;
        }
    }

    @Test
    void validTextParsesAndSurvivesBinaryRoundTrip() throws IOException {
        for (String[] v : vectors("valid")) {
            Multiaddr m = Multiaddr.parse(v[0]);
            Multiaddr back = Multiaddr.fromBytes(m.toBytes());
            assertThat(back).as(v[0]).isEqualTo(m);
            assertThat(back.toString()).as(v[0]).isEqualTo(m.toString());
            assertThat(Multiaddr.parse(m.toString())).as(v[0]).isEqualTo(m);
            assertThat(Multiaddr.of(m.components())).isEqualTo(m);
        }
    }

    @Test
    void invalidTextIsRejected() throws IOException {
        for (String[] v : vectors("invalid")) {
            assertThatThrownBy(() -> Multiaddr.parse(v[0])).as(v[0]).isInstanceOf(MultiaddrFormatException.class);
        }
    }

    @Test
    void binaryVectors() throws IOException {
        for (String[] v : vectors("binary")) {
            byte[] bytes = HEX.parseHex(v[1]);
            assertThat(Multiaddr.parse(v[0]).toBytes()).as(v[0]).isEqualTo(bytes);
            assertThat(Multiaddr.fromBytes(bytes).toString()).as(v[1]).isEqualTo(v[0]);
        }
    }

    @Test
    void textRoundTrips() throws IOException {
        for (String[] v : vectors("roundtrip")) {
            assertThat(Multiaddr.parse(v[0]).toString()).isEqualTo(v[0]);
        }
        for (String[] v : vectors("same")) {
            assertThat(Multiaddr.parse(v[0]).toString()).isEqualTo(v[1]);
            assertThat(Multiaddr.parse(v[0])).isEqualTo(Multiaddr.parse(v[1]));
        }
    }

    @Test
    void invalidBinaryIsRejected() throws IOException {
        for (String[] v : vectors("badbinary")) {
            assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(v[0])))
                    .as(v[0]).isInstanceOf(MultiaddrFormatException.class);
        }
    }
}
