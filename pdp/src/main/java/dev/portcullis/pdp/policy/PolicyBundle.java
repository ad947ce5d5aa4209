package dev.portcullis.pdp.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The source files of one policy-set version: file name → text. The role of a file is given by its
 * name: {@code *.cedar} policies and templates, {@code *.cedarschema} or {@code *.cedarschema.json}
 * the schema (at most one), {@code *.links.json} template links in the Cedar CLI format. Other
 * files are not part of the bundle (editors' backups, READMEs, hidden files).
 *
 * <p>The {@link #version()} is the SHA-256 over the sorted (name, text) pairs, so the same sources
 * always give the same version, whichever machine or order loaded them.
 */
public final class PolicyBundle {
    private final SortedMap<String, String> files;
    private volatile String version;

    private PolicyBundle(SortedMap<String, String> files) {
        this.files = Collections.unmodifiableSortedMap(files);
    }

    /** A bundle of these files; names without a known suffix are dropped. */
    public static PolicyBundle of(Map<String, String> files) {
        SortedMap<String, String> kept = new TreeMap<>();
        files.forEach((name, text) -> {
            if (isBundleFile(name)) {
                kept.put(name, text);
            }
        });
        return new PolicyBundle(kept);
    }

    /**
     * Reads the bundle files directly inside {@code dir} (not its subdirectories). Unreadable files
     * and invalid UTF-8 refuse the bundle.
     */
    public static PolicyBundle fromDirectory(Path dir) {
        SortedMap<String, String> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> list = Files.list(dir)) {
            paths = list.filter(p -> isBundleFile(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new PolicyLoadException(new PolicyProblem(dir.toString(), 0, 0, "cannot list directory: " + e));
        }
        List<PolicyProblem> problems = new ArrayList<>();
        for (Path p : paths) {
            String name = p.getFileName().toString();
            try {
                if (Files.isRegularFile(p)) {
                    files.put(name, utf8(Files.readAllBytes(p)));
                }
            } catch (NoSuchFileException e) {
                // removed while listing: the next change event brings a consistent view
                problems.add(new PolicyProblem(name, 0, 0, "file vanished while loading"));
            } catch (CharacterCodingException e) {
                problems.add(new PolicyProblem(name, 0, 0, "invalid utf-8"));
            } catch (IOException e) {
                problems.add(new PolicyProblem(name, 0, 0, "cannot read: " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyLoadException(problems);
        }
        return new PolicyBundle(files);
    }

    static boolean isBundleFile(String name) {
        return !name.startsWith(".")
                && (name.endsWith(".cedar")
                        || name.endsWith(".cedarschema")
                        || name.endsWith(".cedarschema.json")
                        || name.endsWith(".links.json"));
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        String s = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        // a byte-order mark is not part of the content
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** All files of the bundle, sorted by name. */
    public SortedMap<String, String> files() {
        return files;
    }

    public List<String> policyFiles() {
        return files.keySet().stream().filter(n -> n.endsWith(".cedar")).toList();
    }

    public List<String> schemaFiles() {
        return files.keySet().stream()
                .filter(n -> n.endsWith(".cedarschema") || n.endsWith(".cedarschema.json"))
                .toList();
    }

    /** The schema file's name, when the bundle has exactly one. */
    public Optional<String> schemaFile() {
        List<String> s = schemaFiles();
        return s.size() == 1 ? Optional.of(s.get(0)) : Optional.empty();
    }

    public List<String> linkFiles() {
        return files.keySet().stream().filter(n -> n.endsWith(".links.json")).toList();
    }

    /** Hex SHA-256 over every (name, text) pair in name order, each part length-prefixed. */
    public String version() {
        String v = version;
        if (v == null) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                update(sha, f.getKey());
                update(sha, f.getValue());
            }
            v = HexFormat.of().formatHex(sha.digest());
            version = v;
        }
        return v;
    }

    // length-prefixed so that ("ab", "c") and ("a", "bc") hash differently
    private static void update(MessageDigest sha, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(8).putLong(b.length).array());
        sha.update(b);
    }
}
