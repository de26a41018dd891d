package io.mpathgw.gateway.api;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code mpathgw.admin.user} / {@code mpathgw.admin.password} into the properties-file realm's embedded user
 * ({@code quarkus.security.users.embedded.users."USER"}, role {@code admin}): the realm keys its users by name, so
 * the name has to become part of a property key, which application.properties cannot express. Without a password
 * the value comes from {@link AdminPassword} (generated once into the data directory), asked for only when the realm
 * reads it, so building the application writes nothing. Registered in META-INF/services; ordinal 50, so an explicit
 * {@code quarkus.security.users.embedded.*} line still wins.
 */
public final class AdminUserConfigSource implements ConfigSource {

    public static final String ROLE = "admin";
    static final String USER = "mpathgw.admin.user", PASSWORD = "mpathgw.admin.password", DATA_DIR = "mpathgw.data-dir";

    private final String userKey, roleKey;
    private final String password;      // null: generated on first read
    private final String dataDir;
    private volatile String generated;

    AdminUserConfigSource(String user, String password, String dataDir) {
        String quoted = "\"" + user + "\"";
        this.userKey = "quarkus.security.users.embedded.users." + quoted;
        this.roleKey = "quarkus.security.users.embedded.roles." + quoted;
        this.password = password;
        this.dataDir = dataDir;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(userKey, roleKey);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(userKey, getValue(userKey), roleKey, ROLE);
    }

    @Override
    public String getValue(String name) {
        if (name.equals(roleKey)) return ROLE;
        if (!name.equals(userKey)) return null;
        if (password != null) return password;
        if (generated == null) generated = AdminPassword.readOrCreate(java.nio.file.Path.of(dataDir));
        return generated;
    }

    @Override
    public String getName() {
        return "mpathgw admin user (" + USER + ", " + PASSWORD + ")";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    /** The ServiceLoader entry point: reads the two keys (profiles, env and expressions applied) once at startup. */
    public static final class Factory implements ConfigSourceFactory {
        @Override
        public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
            String user = value(context, USER, "admin");
            if (user.isBlank() || user.contains("\""))
                throw new IllegalArgumentException(USER + ": '" + user + "' (expected: a non-empty name without '\"')");
            String password = value(context, PASSWORD, null);
            if (password != null && password.isEmpty()) password = null;
            return List.of(new AdminUserConfigSource(user, password, value(context, DATA_DIR, ".mpathgw")));
        }

        private static String value(ConfigSourceContext context, String key, String fallback) {
            ConfigValue v = context.getValue(key);
            return v == null || v.getValue() == null ? fallback : v.getValue();
        }
    }
}
