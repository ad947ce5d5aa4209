package dev.portcullis.cedar.format;

import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.parser.SourceLayout;
import dev.portcullis.cedar.parser.SourceLayout.Lexeme;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats policy text keeping every {@code //} comment, as {@code cedar format} does.
 *
 * <p>Comments between policies (and before the first or after the last) stay where they are; blank
 * lines between comments are kept (at most one), and policies are separated by one blank line. A
 * comment on the line of a policy's closing {@code ;} stays on that line.
 *
 * <p>A comment inside a policy is attached to a token of the source: to the token before it when it
 * is on that token's line ("trailing"), otherwise to the token after it ("leading"). The policy is
 * printed by {@link PolicyFormatter}, the printed tokens are matched with the source tokens (a
 * longest common subsequence, since the printer may drop or add parentheses and sugar), and each
 * comment is re-emitted at its token. When some comment's token has no match the policy's source
 * text is kept verbatim instead: a comment is never dropped or moved to another place.
 */
final class SourceFormatter {
    private SourceFormatter() {}

    /** Above this many token pairs the matching falls back to exact comparison (memory bound). */
    private static final long MAX_LCS_CELLS = 4_000_000L;

    private static final String CONTINUATION = "  ";

    static String format(String src) {
        SourceLayout layout = SourceLayout.parse(src);
        List<Lexeme> comments = layout.comments();
        List<Lexeme> tokens = layout.tokens();
        StringBuilder out = new StringBuilder();
        Gap gap = new Gap(src, out);
        int ci = 0;
        int ti = 0;
        for (Policy p : layout.policies()) {
            int start = p.loc().start();
            int end = p.loc().end();
            while (ci < comments.size() && comments.get(ci).start() < start) {
                gap.comment(comments.get(ci++));
            }
            gap.separate(start);
            List<Lexeme> interior = new ArrayList<>();
            while (ci < comments.size() && comments.get(ci).start() < end) {
                interior.add(comments.get(ci++));
            }
            while (ti < tokens.size() && tokens.get(ti).start() < start) {
                ti++;
            }
            int first = ti;
            while (ti < tokens.size() && tokens.get(ti).start() < end) {
                ti++;
            }
            out.append(policy(src, p, tokens.subList(first, ti), interior));
            gap.policyEnded(end);
        }
        while (ci < comments.size()) {
            gap.comment(comments.get(ci++));
        }
        if (!out.isEmpty()) {
            out.append('\n');
        }
        return out.toString();
    }

    /** The text between items (policies and comments outside policies). */
    private static final class Gap {
        private final String src;
        private final StringBuilder out;
        private int prevEnd = -1;
        private boolean afterPolicy;

        Gap(String src, StringBuilder out) {
            this.src = src;
            this.out = out;
        }

        void comment(Lexeme c) {
            if (afterPolicy && !hasNewline(src, prevEnd, c.start())) {
                out.append(' ').append(text(c)); // on the line of the policy's `;`
                prevEnd = c.end();
                return;
            }
            separate(c.start());
            out.append(text(c));
            prevEnd = c.end();
            afterPolicy = false;
        }

        /** The line breaks before an item starting at {@code next}. */
        void separate(int next) {
            if (out.isEmpty()) {
                return;
            }
            out.append('\n');
            if (afterPolicy || newlines(src, prevEnd, next) >= 2) {
                out.append('\n');
            }
        }

        void policyEnded(int end) {
            prevEnd = end;
            afterPolicy = true;
        }
    }

    private static String policy(String src, Policy p, List<Lexeme> in, List<Lexeme> comments) {
        String printed = PolicyFormatter.format(p);
        if (comments.isEmpty()) {
            return printed;
        }
        List<Lexeme> outToks = SourceLayout.tokens(printed);
        int[] map = align(in, outToks);
        int m = outToks.size();
        @SuppressWarnings("unchecked")
        List<String>[] leading = new List[m];
        String[] trailing = new String[m];
        int ti = 0;
        for (Lexeme c : comments) {
            while (ti < in.size() && in.get(ti).end() <= c.start()) {
                ti++;
            }
            // in.get(ti - 1) ends before the comment, in.get(ti) starts after it. The comment goes
            // after the printed form of the first, or before that of the second; when its own token
            // was not printed (a dropped parenthesis) the other side is as close.
            int before = ti > 0 && map != null ? map[ti - 1] : -1;
            int after = ti < in.size() && map != null ? map[ti] : -1;
            boolean trails = ti > 0 && !hasNewline(src, in.get(ti - 1).end(), c.start());
            if (trails ? before < 0 || trailing[before] != null : after < 0) {
                trails = !trails;
            }
            int target = trails ? before : after;
            if (trails && target >= 0 && trailing[target] != null) {
                target = -1;
            }
            if (target < 0) {
                return src.substring(p.loc().start(), p.loc().end());
            }
            if (trails) {
                trailing[target] = text(c);
            } else {
                if (leading[target] == null) {
                    leading[target] = new ArrayList<>(1);
                }
                leading[target].add(text(c));
            }
        }
        return weave(printed, outToks, leading, trailing);
    }

    private static String weave(String printed, List<Lexeme> toks, List<String>[] leading, String[] trailing) {
        StringBuilder b = new StringBuilder(printed.length() + 64);
        int pos = 0;
        for (int i = 0; i < toks.size(); i++) {
            Lexeme t = toks.get(i);
            String gap = printed.substring(pos, t.start());
            if (i > 0 && trailing[i - 1] != null) {
                b.append(' ').append(trailing[i - 1]);
                if (gap.indexOf('\n') < 0) {
                    gap = "\n" + indentOfLine(printed, toks.get(i - 1).start()) + (closes(t) ? "" : CONTINUATION);
                }
            }
            if (leading[i] != null) {
                int nl = gap.lastIndexOf('\n');
                String indent;
                if (nl >= 0) {
                    b.append(gap, 0, nl + 1);
                    indent = gap.substring(nl + 1);
                } else {
                    b.append('\n');
                    indent = indentOfLine(printed, t.start()) + (closes(t) ? "" : CONTINUATION);
                }
                for (String c : leading[i]) {
                    b.append(indent).append(c).append('\n');
                }
                b.append(indent);
            } else {
                b.append(gap);
            }
            b.append(t.text());
            pos = t.end();
        }
        b.append(printed, pos, printed.length());
        return b.toString();
    }

    /**
     * For each source token, the index of the printed token it corresponds to, or -1. Identical
     * sequences (the usual case) match one to one; otherwise a longest common subsequence of the
     * token texts, or null when the sequences are too long for that.
     */
    static int[] align(List<Lexeme> in, List<Lexeme> out) {
        int n = in.size();
        int m = out.size();
        int[] map = new int[n];
        if (n == m) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = in.get(i).text().equals(out.get(i).text());
                map[i] = i;
            }
            if (same) {
                return map;
            }
        }
        if ((long) (n + 1) * (m + 1) > MAX_LCS_CELLS) {
            return null;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = in.get(i).text().equals(out.get(j).text())
                        ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        java.util.Arrays.fill(map, -1);
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (in.get(i).text().equals(out.get(j).text()) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                map[i++] = j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return map;
    }

    private static boolean closes(Lexeme t) {
        return t.text().equals("}") || t.text().equals(")") || t.text().equals("]");
    }

    /** A comment's text without trailing white space. */
    private static String text(Lexeme c) {
        return c.text().stripTrailing();
    }

    private static String indentOfLine(String s, int at) {
        int lineStart = s.lastIndexOf('\n', at - 1) + 1;
        int i = lineStart;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(lineStart, i);
    }

    private static boolean hasNewline(String s, int from, int to) {
        return newlines(s, from, to) > 0;
    }

    private static int newlines(String s, int from, int to) {
        int count = 0;
        for (int i = Math.max(from, 0); i < to; i++) {
            char c = s.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= to || s.charAt(i + 1) != '\n'))) {
                count++;
            }
        }
        return count;
    }
}
