package dev.portcullis.cedar.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Access to the shared conformance data (never copied into the repository): the directory named by
 * the {@code portcullis.shared} system property. Tests skip with a clear message when it is absent.
 */
public final class ConformanceData {
    private ConformanceData() {}

    /** The conformance directory, or a skipped test when it is not available. */
    public static Path dir() {
        String shared = System.getProperty("portcullis.shared");
        Path dir = shared == null ? null : Path.of(shared, "conformance");
        assumeTrue(
                dir != null && Files.isDirectory(dir),
                "conformance data not found: set -Dportcullis.shared to the directory holding conformance/");
        return dir;
    }

    /** Every file under the conformance directory whose name ends with {@code suffix}, by path. */
    public static Map<String, String> files(String suffix) {
        Path dir = dir();
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p :
                    walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The files of the generated corpus ({@code cedar/corpus-tests.tar.gz}) whose names match, read
     * straight from the archive: streaming it is faster than extracting thousands of small files.
     */
    public static Map<String, String> corpus(Predicate<String> nameFilter) {
        Path tgz = dir().resolve("cedar/corpus-tests.tar.gz");
        assumeTrue(Files.isRegularFile(tgz), "corpus archive not found: " + tgz);
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break; // end-of-archive marker
                }
                String name = longName != null ? longName : cString(header, 0, 100);
                longName = null;
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                byte type = header[156];
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') {
                    longName = cString(body, 0, body.length);
                } else if ((type == '0' || type == 0) && nameFilter.test(name)) {
                    out.put(name, new String(body, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
