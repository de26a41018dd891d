package io.mpathgw.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The admin password when none is configured: 24 random bytes (Base64url), written once to
 * {@code DATA_DIR/admin-password} with mode 0600 and read back on later starts, so `serve` never runs with a known
 * password and the operator finds it where the log says. The log names the file, never the password.
 */
final class AdminPassword {

    static final String FILE = "admin-password";
    private static final Logger LOG = Logger.getLogger(AdminPassword.class.getName());

    private AdminPassword() {
    }

    static String readOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) return read(file);
            Files.createDirectories(dataDir);
            byte[] raw = new byte[24];
            new SecureRandom().nextBytes(raw);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warning("mpathgw.admin.password is not set: generated a password for the admin into "
                    + file.toAbsolutePath() + " (set MPATHGW_ADMIN_PASSWORD to choose one)");
            return password;
        } catch (FileAlreadyExistsException e) {
            return read(file);      // another start won the race; use its password
        } catch (IOException e) {
            throw new UncheckedIOException("admin password file " + file.toAbsolutePath()
                    + ": cannot create (" + e.getMessage() + "); set mpathgw.admin.password or mpathgw.data-dir", e);
        }
    }

    private static String read(Path file) {
        try {
            String p = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (p.isEmpty()) throw new IllegalStateException("admin password file " + file.toAbsolutePath()
                    + ": empty (expected: the password on one line; delete the file to generate a new one)");
            LOG.info("admin password from " + file.toAbsolutePath());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("admin password file " + file.toAbsolutePath() + ": cannot read ("
                    + e.getMessage() + ")", e);
        }
    }
}
