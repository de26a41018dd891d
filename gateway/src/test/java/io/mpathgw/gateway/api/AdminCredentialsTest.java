package io.mpathgw.gateway.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin user as the embedded realm sees it, and the generated password of a gateway started without one. */
class AdminCredentialsTest {

    @Test
    void theConfiguredUserBecomesAnEmbeddedUserWithTheAdminRole() {
        AdminUserConfigSource s = new AdminUserConfigSource("ops", "s3cret", "/nonexistent");
        assertThat(s.getPropertyNames()).containsExactlyInAnyOrder("quarkus.security.users.embedded.users.\"ops\"",
                "quarkus.security.users.embedded.roles.\"ops\"");
        assertThat(s.getValue("quarkus.security.users.embedded.users.\"ops\"")).isEqualTo("s3cret");
        assertThat(s.getValue("quarkus.security.users.embedded.roles.\"ops\"")).isEqualTo("admin");
        assertThat(s.getValue("quarkus.security.users.embedded.users.\"admin\"")).isNull();
    }

    @Test
    void withoutAPasswordOneIsGeneratedOnceIntoTheDataDirReadableOnlyByUs(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("state");
        AdminUserConfigSource s = new AdminUserConfigSource("admin", null, data.toString());
        String key = "quarkus.security.users.embedded.users.\"admin\"";
        assertThat(Files.exists(data)).as("nothing written before the realm asks").isFalse();
        String p = s.getValue(key);
        assertThat(p).matches("[A-Za-z0-9_-]{32}");
        Path file = data.resolve(AdminPassword.FILE);
        assertThat(Files.readString(file).strip()).isEqualTo(p);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new AdminUserConfigSource("admin", null, data.toString()).getValue(key))
                .as("the next start reads the same password").isEqualTo(p);
    }

    @Test
    void anEmptyPasswordFileIsAnErrorThatSaysWhatToDo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(AdminPassword.FILE), "\n");
        assertThatThrownBy(() -> AdminPassword.readOrCreate(dir)).hasMessage("admin password file "
                + dir.resolve(AdminPassword.FILE).toAbsolutePath()
                + ": empty (expected: the password on one line; delete the file to generate a new one)");
    }
}
