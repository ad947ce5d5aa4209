package dev.portcullis.pdp.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reason a policy bundle was refused.
 *
 * @param file the bundle file at fault (a name relative to the bundle root)
 * @param line 1-based line, or 0 when unknown (JSON errors carry a JSON path in the message instead)
 * @param column 1-based column, or 0 when unknown
 * @param message one lowercase line saying what is wrong
 */
public record PolicyProblem(String file, int line, int column, String message) {
    private static final Pattern LEADING_LOCATION = Pattern.compile("^(\\d+):(\\d+):\\s*(.*)$", Pattern.DOTALL);

    /**
     * A problem from an exception message that may start with {@code line:col:} (the parser's and
     * the Cedar-syntax schema parser's convention); the location is lifted out of the message.
     */
    static PolicyProblem fromMessage(String file, String message) {
        String m = message == null ? "unknown error" : message.replace('\n', ' ');
        Matcher matcher = LEADING_LOCATION.matcher(m);
        if (matcher.matches()) {
            return new PolicyProblem(
                    file, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), matcher.group(3));
        }
        return new PolicyProblem(file, 0, 0, m);
    }

    /** {@code file:line:col: message}, or {@code file: message} without a location. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
