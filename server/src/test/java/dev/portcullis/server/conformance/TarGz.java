package dev.portcullis.server.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a {@code .tar.gz} (ustar, with GNU long names and pax path records) in pure Java, so
 * that tests do not depend on a {@code tar} binary. Regular files and directories only.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {}

    /** Extracts {@code archive} under {@code target}; returns the number of regular files. */
    static int extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        int files = 0;
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break; // end-of-archive marker
                }
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                if (type == 'L' || type == 'x') {
                    String data = new String(readBytes(in, size), StandardCharsets.UTF_8);
                    skipPadding(in, size);
                    longName = type == 'L' ? data.replace("\0", "") : paxPath(data);
                    continue;
                }
                Path out = root.resolve(name).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("tar entry escapes the target directory: " + name);
                }
                if (type == '5') {
                    Files.createDirectories(out);
                } else if (type == '0' || type == '\0') {
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size);
                    }
                    files++;
                } else {
                    in.skipNBytes(size); // links, global pax headers, ...: not needed here
                }
                skipPadding(in, size);
            }
        }
        return files;
    }

    private static String name(byte[] h) {
        String name = field(h, 0, 100);
        boolean ustar = field(h, 257, 5).equals("ustar");
        String prefix = ustar ? field(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(String records) {
        // records are "<len> key=value\n"
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 6);
            }
        }
        return null;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte b = h[i];
            if (b >= '0' && b <= '7') {
                v = v * 8 + (b - '0');
            } else if (b != ' ' && b != 0) {
                throw new IllegalStateException("unsupported tar size field");
            }
        }
        return v;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0) {
            return false;
        }
        if (n < buf.length) {
            throw new IOException("truncated tar header");
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        byte[] b = in.readNBytes((int) size);
        if (b.length != size) {
            throw new IOException("truncated tar entry");
        }
        return b;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("truncated tar entry");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        in.skipNBytes(pad);
    }
}
