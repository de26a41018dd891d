package io.mpathgw.dm.handler;

import org.junit.jupiter.params.provider.Arguments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Case files under {@code /dm/handler/}: {@code |}-separated fields per line, {@code #} comments (STYLE §8). */
final class CaseFile {

    private CaseFile() {
    }

    static List<Arguments> load(String resource, int fields) {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = CaseFile.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\\|", -1);
                if (f.length != fields)
                    throw new IllegalArgumentException(resource + " line " + n + ": " + f.length + " fields (expected: "
                            + fields + ")");
                Object[] args = new Object[fields + 1];
                args[0] = resource.substring(resource.lastIndexOf('/') + 1) + ":" + n;
                System.arraycopy(f, 0, args, 1, fields);
                cases.add(Arguments.of(args));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
