package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a certificate made in the test: HTTP/1.1 and HTTP/2 on one port, and mutual TLS. */
class TlsHttpTest {
    static final String PEP_KEY = "pep-key-0123456789abcdef";
    static final String AUTH = "auth:\n  api_keys:\n    - {name: gateway, key: " + PEP_KEY + ", roles: [pep]}\n";

    @TempDir
    Path dir;

    static HttpResponse<String> evaluate(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(url + "/access/v1/evaluation"))
                        .header("Authorization", "Bearer " + PEP_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ExampleServer.ALLOWED_EVALUATION))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void https_http11AndHttp2_onOnePort() throws Exception {
        TestCerts.Identity id = TestCerts.selfSigned("localhost");
        Path[] files = id.write(dir, "server");
        try (PortcullisServer server =
                ExampleServer.start(dir, "tls: {cert: %s, key: %s}".formatted(files[0], files[1]), AUTH)) {
            assertThat(server.scheme()).isEqualTo("https");
            String url = "https://127.0.0.1:" + server.port();
            SSLContext trusting = TestCerts.context(id, null);
            for (HttpClient.Version v : HttpClient.Version.values()) {
                HttpClient client =
                        HttpClient.newBuilder().sslContext(trusting).version(v).build();
                HttpResponse<String> r = evaluate(client, url);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(v);
                assertThat(r.body()).contains("\"decision\":true");
            }
            // the discovery document names the https base
            HttpResponse<String> meta = HttpClient.newBuilder()
                    .sslContext(trusting)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/.well-known/authzen-configuration"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(meta.body()).contains("https://127.0.0.1:" + server.port() + "/access/v1/evaluation");

            // a client that does not trust the certificate fails the handshake
            assertThatThrownBy(() -> evaluate(HttpClient.newHttpClient(), url)).isInstanceOf(IOException.class);
            // and plain HTTP is not served on the TLS port
            assertThatThrownBy(() -> {
                        HttpResponse<String> r =
                                evaluate(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port());
                        assertThat(r.statusCode()).isNotEqualTo(200);
                        throw new IOException("answered " + r.statusCode());
                    })
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void mutualTls_requiresAClientCertificateFromTheCa() throws Exception {
        TestCerts.Identity serverId = TestCerts.selfSigned("localhost");
        TestCerts.Identity clientId = TestCerts.selfSigned("gateway");
        TestCerts.Identity stranger = TestCerts.selfSigned("stranger");
        Path[] s = serverId.write(dir, "server");
        Path[] c = clientId.write(dir, "client");
        try (PortcullisServer server =
                ExampleServer.start(dir, "tls: {cert: %s, key: %s, client_ca: %s}".formatted(s[0], s[1], c[0]), AUTH)) {
            String url = "https://127.0.0.1:" + server.port();
            HttpClient withCert = HttpClient.newBuilder()
                    .sslContext(TestCerts.context(serverId, clientId))
                    .build();
            assertThat(evaluate(withCert, url).statusCode()).isEqualTo(200);

            // no certificate, and one from another CA (which the JDK client does not even offer,
            // since the server names the CAs it accepts): both are refused in the handshake
            for (TestCerts.Identity wrong : new TestCerts.Identity[] {null, stranger}) {
                HttpClient client = HttpClient.newBuilder()
                        .sslContext(TestCerts.context(serverId, wrong))
                        .build();
                // the alert (certificate_required) or a reset, depending on timing
                assertThatThrownBy(() -> evaluate(client, url)).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void badKeyFile_isAConfigurationError() throws Exception {
        TestCerts.Identity id = TestCerts.selfSigned("localhost");
        Path[] files = id.write(dir, "server");
        Files.writeString(files[1], "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(
                        () -> ExampleServer.start(dir, "tls: {cert: %s, key: %s}".formatted(files[0], files[1]), AUTH))
                .hasMessageContaining("server.tls.key")
                .hasMessageContaining("PKCS#8");
        // PKCS#8 in form only: the server refuses it at start, naming the section
        Files.writeString(files[1], "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ExampleServer.start(
                        dir.resolve("again"), "tls: {cert: %s, key: %s}".formatted(files[0], files[1]), AUTH))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("server.tls: cannot use");
    }
}
