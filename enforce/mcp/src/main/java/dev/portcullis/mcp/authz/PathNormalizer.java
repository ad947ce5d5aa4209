package dev.portcullis.mcp.authz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Path arguments, made into what the upstream will actually open. Policies on raw strings are
 * bypassed by {@code /data/public/../secret}, {@code //}, {@code ./} and symbolic links; so a path
 * argument is normalized <em>before</em> the decision, the normalized form is what the policies see
 * and what is forwarded, and a path that cannot be normalized safely is refused.
 *
 * <pre>
 *   refused     empty, NUL or other control characters, a backslash, a leading ~ (home
 *               expansion in some servers), a URI (scheme://), a relative path without a root,
 *               .. above /, anything outside the configured root
 *   normalized  relative paths resolved against the root; // → /; ./ removed; a/b/.. → a;
 *               no trailing /
 *   realpath    (optional) symbolic links resolved with the local file system; for a path that
 *               does not exist yet, its deepest existing ancestor is resolved
 * </pre>
 *
 * Percent-encoded forms ({@code %2e%2e}) are not decoded: to a file-system server they are file
 * names, and deciding on a decoded form would differ from what is executed.
 */
final class PathNormalizer {
    private PathNormalizer() {}

    /** A path argument that is refused, with why. */
    static final class PathException extends RuntimeException {
        PathException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The lexically normalized absolute path, or {@code null} when it cannot be normalized (see
     * above; {@code root} {@code null}: no containment check and no relative paths).
     */
    static String normalize(String raw, String root) {
        try {
            return normalizeOrThrow(raw, root, false);
        } catch (PathException e) {
            return null;
        }
    }

    static String normalizeOrThrow(String raw, String root, boolean realpath) {
        if (raw == null || raw.isEmpty()) {
            throw new PathException("empty path");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new PathException("control character in path");
            }
            if (c == '\\') {
                throw new PathException("backslash in path `" + raw + "`");
            }
        }
        if (raw.startsWith("~")) {
            throw new PathException("`" + raw + "`: home-relative paths are not allowed");
        }
        if (raw.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            throw new PathException("`" + raw + "`: expected a file path, not a URI");
        }
        String abs;
        if (raw.startsWith("/")) {
            abs = raw;
        } else if (root != null) {
            abs = root + "/" + raw;
        } else {
            throw new PathException("`" + raw + "`: relative path (no root configured to resolve it against)");
        }
        String normal = lexical(abs, raw);
        if (realpath) {
            normal = lexical(real(normal), raw);
        }
        if (root != null && !within(normal, root)) {
            throw new PathException("`" + raw + "` is outside `" + root + "`");
        }
        return normal;
    }

    private static String lexical(String abs, String raw) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : abs.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    throw new PathException("`" + raw + "` escapes the file system root");
                }
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
    }

    /** Resolves symbolic links of the longest existing prefix; the rest is appended as is. */
    private static String real(String normal) {
        try {
            Path p = Path.of(normal);
            List<String> rest = new ArrayList<>();
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                rest.add(0, existing.getFileName().toString());
                existing = existing.getParent();
            }
            if (existing == null) {
                return normal;
            }
            Path r = existing.toRealPath();
            for (String s : rest) {
                r = r.resolve(s);
            }
            return r.toString();
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new PathException("`" + normal + "` cannot be resolved: " + e.getMessage());
        }
    }

    /** Whether {@code path} is {@code root} or below it. */
    static boolean within(String path, String root) {
        if (root.equals("/")) {
            return true;
        }
        return path.equals(root) || path.startsWith(root + "/");
    }

    /** {@code /a/b/c} → {@code /}, {@code /a}, {@code /a/b}, {@code /a/b/c}. */
    static List<String> selfAndAncestors(String normal) {
        List<String> out = new ArrayList<>();
        out.add("/");
        if (normal.equals("/")) {
            return out;
        }
        int i = 0;
        while ((i = normal.indexOf('/', i + 1)) > 0) {
            out.add(normal.substring(0, i));
        }
        out.add(normal);
        return out;
    }
}
