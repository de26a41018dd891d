package io.mpathgw.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the gateway is and who asks: {@code --url}, {@code --user}, {@code --password} (also as {@code --key=value}),
 * else MPATHGW_URL, MPATHGW_USER, MPATHGW_PASSWORD, else http://127.0.0.1:8080 and admin. Without a password
 * anywhere, the one the gateway generated into its data directory (MPATHGW_DATA_DIR, default .mpathgw) is used,
 * then "admin".
 */
record ClientOptions(URI url, String user, String password) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final List<String> NAMES = List.of("--url", "--user", "--password");

    /** Builds the options from the flags found ({@code flags}: name → value) and the environment. */
    static ClientOptions of(Map<String, String> flags, Map<String, String> env) {
        String url = first(flags.get("--url"), env.get("MPATHGW_URL"), DEFAULT_URL);
        String user = first(flags.get("--user"), env.get("MPATHGW_USER"), "admin");
        String password = first(flags.get("--password"), env.get("MPATHGW_PASSWORD"), null);
        if (password == null) password = first(generatedPassword(env), "admin", null);
        return new ClientOptions(parseUrl(url, flags.containsKey("--url") ? "--url" : "MPATHGW_URL"), user, password);
    }

    private static URI parseUrl(String url, String source) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI u = new URI(trimmed);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null)
                throw CliException.usage(source + ": '" + url + "' (expected: http[s]://HOST[:PORT], e.g. "
                        + DEFAULT_URL + ")");
            return u;
        } catch (URISyntaxException e) {
            throw CliException.usage(source + ": '" + url + "' is not a URL (" + e.getReason() + ")");
        }
    }

    private static String generatedPassword(Map<String, String> env) {
        Path file = Path.of(first(env.get("MPATHGW_DATA_DIR"), ".mpathgw", null), "admin-password");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            // readable but unreadable: say so rather than fall back to "admin" and report wrong credentials
            throw CliException.refused("cannot read " + file + ": " + e.getMessage() + " (or give --password)");
        }
    }

    private static String first(String a, String b, String c) {
        if (a != null && !a.isEmpty()) return a;
        if (b != null && !b.isEmpty()) return b;
        return c;
    }
}
