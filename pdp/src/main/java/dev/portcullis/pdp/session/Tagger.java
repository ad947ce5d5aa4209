package dev.portcullis.pdp.session;

import dev.portcullis.cedar.Response;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prefixes the reasons of one check of a session ({@code agent:}, {@code user:}, {@code
 * boundary:}, ...) with the check's label, remembering each prefixed id: the same few policy ids
 * come back on every decision, and a lookup is cheaper than a new string each time.
 */
final class Tagger {
    /** Past this many ids (policy sets change), prefixed ids are built but no longer remembered. */
    private static final int MAX_REMEMBERED = 1024;

    private final String prefix;
    private final String defaultDeny;
    private final ConcurrentHashMap<String, String> tagged = new ConcurrentHashMap<>();
    /** The id tagged last and its tag: most checks give the same one reason decision after decision. */
    private volatile Last last = new Last("", "");

    private record Last(String id, String tagged) {}

    Tagger(String label) {
        this.prefix = label + ":";
        this.defaultDeny = prefix + SessionDecider.DEFAULT_DENY;
    }

    /** Adds the answer's reasons, prefixed, to {@code out}; {@code LABEL:default-deny} for none. */
    void tag(Response answer, List<String> out) {
        if (answer.reasons().isEmpty()) {
            out.add(defaultDeny);
            return;
        }
        for (String id : answer.reasons()) {
            out.add(tagged(id));
        }
    }

    String tagged(String id) {
        Last l = last;
        if (l.id() == id || l.id().equals(id)) {
            return l.tagged();
        }
        String t = tagged.get(id);
        if (t == null) {
            t = prefix + id;
            if (tagged.size() < MAX_REMEMBERED) {
                tagged.put(id, t);
            }
        }
        last = new Last(id, t);
        return t;
    }
}
