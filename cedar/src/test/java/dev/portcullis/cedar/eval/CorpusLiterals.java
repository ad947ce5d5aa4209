package dev.portcullis.cedar.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Extension-constructor literals ({@code decimal("...")}, {@code ip("...")}, ...) found in the
 * policies of the conformance corpus, read straight from its tarball; empty when it is absent.
 */
final class CorpusLiterals {
    private static final Pattern LITERAL =
            Pattern.compile("\\b(decimal|ip|datetime|duration)\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)");

    private CorpusLiterals() {}

    static Path tarball() {
        String shared = System.getProperty("portcullis.shared");
        return shared == null ? null : Path.of(shared, "conformance", "cedar", "corpus-tests.tar.gz");
    }

    /** Each literal once, as {fn, escaped string text}. */
    static List<String[]> read() throws IOException {
        Path tar = tarball();
        TreeSet<String> seen = new TreeSet<>();
        List<String[]> out = new ArrayList<>();
        if (tar == null || !Files.exists(tar)) {
            return out;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tar), 1 << 16)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = cString(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (name.endsWith(".cedar")) {
                    Matcher m = LITERAL.matcher(new String(body, StandardCharsets.UTF_8));
                    while (m.find()) {
                        if (seen.add(m.group())) {
                            out.add(new String[] {m.group(1), m.group(2)});
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** Decodes Cedar string-literal escapes: {@code \n \r \t \0 \\ \' \"} and {@code \\u{hex}}. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case 'u' -> {
                    int close = s.indexOf('}', i);
                    b.appendCodePoint(Integer.parseInt(s.substring(i + 2, close), 16));
                    i = close;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
