package org.livingwell.routes.trust;

import java.nio.file.Path;
import java.util.List;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Who may connect to the trust feed's MLLP listener: the source addresses allowed, and TLS when configured.
 *
 * @param allowedSources CIDR blocks; a connection from anywhere else is closed at once, before any byte is read
 * @param tls null for plain TCP
 */
public record MllpAccess(SourceAddresses allowedSources, Tls tls) {

    /** Connections from this machine only, over plain TCP: the default. */
    public static MllpAccess loopbackOnly() {
        return new MllpAccess(SourceAddresses.parse(List.of("127.0.0.1/32", "::1/128")), null);
    }

    /**
     * TLS on the listener.
     *
     * @param keyStore PKCS12 (or JKS) file with the listener's private key and certificate
     * @param trustStore the certificates (or their CAs) of senders allowed in; needed when client certificates are required
     * @param requireClientCertificate refuse senders that do not present a certificate the trust store vouches for
     */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
            boolean requireClientCertificate) {

        /** As camel-mllp takes it. */
        SSLContextParameters sslContextParameters() {
            KeyManagersParameters keyManagers = new KeyManagersParameters();
            keyManagers.setKeyStore(store(keyStore, keyStorePassword));
            keyManagers.setKeyPassword(keyStorePassword);
            SSLContextParameters parameters = new SSLContextParameters();
            parameters.setKeyManagers(keyManagers);
            if (trustStore != null) {
                TrustManagersParameters trustManagers = new TrustManagersParameters();
                trustManagers.setKeyStore(store(trustStore, trustStorePassword));
                parameters.setTrustManagers(trustManagers);
            } else if (requireClientCertificate) {
                throw new IllegalArgumentException("Requiring client certificates needs a trust store to check them against");
            }
            SSLContextServerParameters server = new SSLContextServerParameters();
            server.setClientAuthentication((requireClientCertificate ? ClientAuthentication.REQUIRE : ClientAuthentication.NONE).name());
            parameters.setServerParameters(server);
            return parameters;
        }

        private static KeyStoreParameters store(Path file, String password) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource("file:" + file.toAbsolutePath());
            store.setPassword(password);
            return store;
        }
    }
}
