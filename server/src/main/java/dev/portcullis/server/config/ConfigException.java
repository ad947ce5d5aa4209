package dev.portcullis.server.config;

import java.util.List;

/** A configuration that cannot start a server; one line per problem, each naming the key. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
