package org.livingwell.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The RSA key that signs access tokens, kept in {@code <data-dir>/security/token-signing-key.json} (readable by the
 * gateway's user only) so tokens stay valid across a restart; generated on first start.
 */
final class TokenSigningKey {

    private TokenSigningKey() {}

    static RSAKey load(Path dataDir) {
        Path file = dataDir.resolve("security").resolve("token-signing-key.json");
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(file.getParent());
            Path written = Files.createTempFile(file.getParent(), "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(written, file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write the token signing key " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("The token signing key " + file + " is unusable: " + e.getMessage(), e);
        }
    }
}
