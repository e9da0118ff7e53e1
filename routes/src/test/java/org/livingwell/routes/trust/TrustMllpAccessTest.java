package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/**
 * Who may reach the trust feed's listener, on real sockets: a source address outside the allow-list has its
 * connection closed and nothing of it is kept; over TLS with client certificates required, a sender with a trusted
 * certificate is answered and one without is not (keys and certificates made here with the JDK's keytool).
 */
class TrustMllpAccessTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;

    @BeforeAll
    static void keysAndCertificates() throws Exception {
        for (String party : List.of("listener", "sender")) {
            keytool("-genkeypair", "-alias", party, "-keyalg", "EC", "-groupname", "secp384r1", "-dname", "CN=" + party,
                    "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-keystore", keys.resolve(party + ".p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-exportcert", "-alias", party, "-keystore", keys.resolve(party + ".p12").toString(), "-storepass", PASSWORD,
                    "-file", keys.resolve(party + ".crt").toString());
        }
        // Each trusts the other's certificate.
        keytool("-importcert", "-noprompt", "-alias", "sender", "-file", keys.resolve("sender.crt").toString(),
                "-keystore", keys.resolve("listener-trusts.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "listener", "-file", keys.resolve("listener.crt").toString(),
                "-keystore", keys.resolve("sender-trusts.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    @Test
    void aSourceOutsideTheAllowListIsClosedAndNothingIsKept() throws Exception {
        MllpAccess onlyDotTwo = new MllpAccess(SourceAddresses.parse(List.of("127.0.0.2/32")), null);
        try (TrustHl7TestGateway gateway = TrustHl7TestGateway.start(onlyDotTwo)) {
            try (MllpClient refused = new MllpClient(connectFrom("127.0.0.1", gateway.mllpPort), 5_000, StandardCharsets.ISO_8859_1)) {
                assertNoAnswer(refused, Hl7Fixtures.adtA04("ACL-REFUSED"));
            }
            try (MllpClient allowed = new MllpClient(connectFrom("127.0.0.2", gateway.mllpPort), 15_000, StandardCharsets.ISO_8859_1)) {
                assertThat(allowed.send(Hl7Fixtures.adtA04("ACL-ALLOWED"))).contains("MSA|AA|ACL-ALLOWED");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.messageLog().byMessageId("ACL-ALLOWED").isPresent());
            assertThat(gateway.messageLog().byMessageId("ACL-REFUSED")).isEmpty();
        }
    }

    @Test
    void overTlsOnlyASenderWithATrustedCertificateIsAnswered() throws Exception {
        MllpAccess tls = new MllpAccess(SourceAddresses.parse(List.of("127.0.0.1/32")), new MllpAccess.Tls(
                keys.resolve("listener.p12"), PASSWORD, keys.resolve("listener-trusts.p12"), PASSWORD, true));
        try (TrustHl7TestGateway gateway = TrustHl7TestGateway.start(tls)) {
            try (MllpClient sender = new MllpClient(tlsSocket(gateway.mllpPort, true), 15_000, StandardCharsets.ISO_8859_1)) {
                assertThat(sender.send(Hl7Fixtures.adtA04("TLS-WITH-CERT"))).contains("MSA|AA|TLS-WITH-CERT");
            }
            try (MllpClient noCertificate = new MllpClient(tlsSocket(gateway.mllpPort, false), 5_000, StandardCharsets.ISO_8859_1)) {
                assertNoAnswer(noCertificate, Hl7Fixtures.adtA04("TLS-NO-CERT"));
            }
            try (MllpClient plain = new MllpClient(connectFrom("127.0.0.1", gateway.mllpPort), 5_000, StandardCharsets.ISO_8859_1)) {
                assertNoAnswer(plain, Hl7Fixtures.adtA04("TLS-PLAIN"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.messageLog().byMessageId("TLS-WITH-CERT").isPresent());
            assertThat(gateway.messageLog().byMessageId("TLS-NO-CERT")).isEmpty();
            assertThat(gateway.messageLog().byMessageId("TLS-PLAIN")).isEmpty();
        }
    }

    /** The listener closes or fails the connection: no ACK comes back, whether as end of stream or as an error. */
    private static void assertNoAnswer(MllpClient client, String message) {
        String answer;
        try {
            answer = client.send(message);
        } catch (IOException closedOrFailed) {
            return;
        }
        assertThat(answer).as("answer on a connection that should have been refused").isNull();
    }

    private static Socket connectFrom(String localAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    private static Socket tlsSocket(int port, boolean withCertificate) throws Exception {
        KeyManagerFactory keyManagers = null;
        if (withCertificate) {
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load("sender.p12"), PASSWORD.toCharArray());
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(load("sender-trusts.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    private static KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", arguments[0], output).isZero();
    }
}
