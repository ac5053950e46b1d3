package dev.redline.pdp.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.tls.TestCertificates;
import dev.redline.pdp.server.tls.TlsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pdp bundle} and {@code pdp audit} reach an admin port that requires mTLS. */
class AdminTlsCliTest {
    @TempDir
    static Path dir;

    private static PdpServer pdp;
    private static Path serverCa;
    private static TestCertificates.PemFiles operator;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Authority serverAuthority = TestCertificates.authority("server CA");
        TestCertificates.Authority clientAuthority = TestCertificates.authority("client CA");
        TestCertificates.PemFiles server = serverAuthority.server("pdp").write(dir, "server");
        serverCa = serverAuthority.writeCertificate(dir.resolve("server-ca.crt"));
        operator = clientAuthority.issue("CN=operator", Duration.ofDays(1)).write(dir, "operator");
        PdpConfig config = PdpConfig.defaults().withWarmupTimeout(Duration.ZERO).withPort(0).withAdminPort(0).withDataDir(dir.resolve("data"));
        pdp = PdpServer.builder(config.withSecurity(config.security().withTls(TlsSettings.mutual(server.cert(),
                server.key(), clientAuthority.writeCertificate(dir.resolve("client-ca.crt")))))).start();
    }

    @AfterAll
    static void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    private int pdp(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--address", "127.0.0.1:" + pdp.adminPort(), "--tls-server-name", "localhost",
                "--token-file", dir.resolve("data").resolve("admin.tokens").toString()));
        CommandLine cli = PdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return cli.execute(command.toArray(String[]::new));
    }

    @Test
    void bundleStatusWithTheCaAndAClientCertificateAnswers() throws Exception {
        int exit = pdp("bundle", "status", "--tls-ca", serverCa.toString(), "--tls-cert", operator.cert().toString(),
                "--tls-key", operator.key().toString());

        assertEquals(0, exit, err.toString());
        assertEquals(pdp.activeBundle().orElseThrow().revision(),
                new ObjectMapper().readTree(out.toString()).path("active").path("revision").asText());
    }

    @Test
    void auditTailWithTheCaAndAClientCertificateAnswers() {
        int exit = pdp("audit", "tail", "--tls-ca", serverCa.toString(), "--tls-cert", operator.cert().toString(),
                "--tls-key", operator.key().toString());

        assertEquals(0, exit, err.toString());
    }

    @Test
    void withoutAClientCertificateTheCommandFailsUnavailable() {
        int exit = pdp("bundle", "status", "--tls-ca", serverCa.toString());

        assertTrue(exit != 0);
        assertTrue(err.toString().contains("UNAVAILABLE"), err.toString());
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefusedNamingBoth() {
        int exit = pdp("bundle", "status", "--tls-ca", serverCa.toString(), "--tls-cert", operator.cert().toString());

        assertEquals(2, exit);
        assertEquals("pdp: --tls-cert and --tls-key go together: give both to present a client certificate",
                err.toString().strip());
    }
}
