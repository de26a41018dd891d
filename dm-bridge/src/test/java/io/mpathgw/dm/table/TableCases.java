package io.mpathgw.dm.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Case files under {@code /dm/}: one {@code input|expected} per line, {@code ERR:<kernel string>} for an error,
 * blank lines and {@code #} comments skipped (STYLE §8). Lines are kept byte for byte (no trimming).
 */
final class TableCases {

    private TableCases() {
    }

    static List<Arguments> load(String resource) {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = TableCases.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isEmpty() || line.startsWith("#")) continue;
                int bar = line.lastIndexOf('|');
                if (bar < 0) throw new IllegalArgumentException(resource + " line " + n + ": no '|'");
                cases.add(Arguments.of(resource.substring(resource.lastIndexOf('/') + 1) + ":" + n,
                        line.substring(0, bar), line.substring(bar + 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
