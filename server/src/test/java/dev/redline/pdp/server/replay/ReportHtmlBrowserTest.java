package dev.redline.pdp.server.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.Violation;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report drawn by a real headless Chromium: its charts are in the picture (the bar colours
 * of deny→allow and allow→deny are on screen). Skipped where no chromium is installed.
 */
class ReportHtmlBrowserTest {
    private static final BundleRef BUNDLE = new BundleRef("candidate.tar.gz", "r2", "sha256:00");

    private static Optional<Path> chromium() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    private static void decide(ReplayTally tally, String id, String day, boolean loggedAllow, String code) {
        LoggedDecision logged = new LoggedDecision("00000001.jsonl", 1, "h", id, "", Instant.parse(day + "T10:00:00Z"),
                new Caller(Optional.empty(), Optional.empty()), "p", MissingNode.getInstance(), List.of(),
                Optional.empty(), MissingNode.getInstance(), loggedAllow,
                loggedAllow ? List.of() : List.of(code), List.of(), BUNDLE, 0, OptionalLong.empty());
        Decision answer = new Decision("new", "", "p", !loggedAllow,
                loggedAllow ? List.of(new Violation(code, "", "")) : List.of(), List.of(), MissingNode.getInstance(),
                BUNDLE, 0, OptionalLong.empty());
        tally.answered(logged, answer);
    }

    @Test
    void chromiumDrawsTheChartsOfChangesByCodeAndByDay(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on PATH");
        ReplayTally tally = new ReplayTally(5);
        decide(tally, "0001", "2026-11-30", false, "SURVEILLANCE");
        decide(tally, "0002", "2026-12-01", false, "SURVEILLANCE");
        decide(tally, "0003", "2026-12-01", true, "MEDICAL");
        Path html = Files.writeString(dir.resolve("report.html"), ReportHtml.of(tally.report(BUNDLE)),
                StandardCharsets.UTF_8);
        Path png = dir.resolve("report.png");

        Process browser = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")), "--window-size=1000,1000",
                "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean finished = browser.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            browser.destroyForcibly();
        }

        assertTrue(finished, "chromium did not finish within its bound");
        assertEquals(0, browser.exitValue(), Files.readString(dir.resolve("chromium.log")));
        BufferedImage picture = ImageIO.read(png.toFile());
        assertTrue(pixels(picture, 0xc62828) > 2000, "the deny→allow bars are drawn");
        assertTrue(pixels(picture, 0x1565c0) > 2000, "the allow→deny bars are drawn");
    }

    private static int pixels(BufferedImage picture, int rgb) {
        int count = 0;
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                if ((picture.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
