package dev.portcullis.cedar.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token-level mutations of Cedar policy text (drop, duplicate, swap, replace, insert a token),
 * keeping the original whitespace between tokens, for the parse-acceptance differential test.
 */
final class Mutator {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\"(?:\\\\.|[^\"\\\\])*\"|//[^\\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|::|==|!=|<=|>=|&&|\\|\\||\\?[a-z]+|.)",
            Pattern.DOTALL);
    private static final List<String> VOCAB = List.of(
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ";",
            ".",
            "::",
            "==",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "+",
            "-",
            "*",
            "!",
            "&&",
            "||",
            "in",
            "is",
            "has",
            "like",
            "if",
            "then",
            "else",
            "when",
            "unless",
            "permit",
            "forbid",
            "principal",
            "action",
            "resource",
            "context",
            "true",
            "false",
            "?principal",
            "?resource",
            "?action",
            "@",
            "@id(\"x\")",
            "\"s\"",
            "\"\\q\"",
            "\"\\u{110000}\"",
            "0",
            "9223372036854775807",
            "9223372036854775808",
            "-",
            "decimal",
            "ip",
            "foo",
            "User",
            "Action",
            "__cedar",
            "__cedar::X",
            "%",
            "=",
            "&",
            "|",
            "/* c */",
            "// c\n",
            "\"unterminated",
            ":",
            "?");

    record Token(String space, String text) {}

    private Mutator() {}

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        int pos = 0;
        while (pos < s.length() && m.find(pos) && m.start() == pos) {
            String whole = m.group();
            String text = m.group(1);
            out.add(new Token(whole.substring(0, whole.length() - text.length()), text));
            pos = m.end();
        }
        return out;
    }

    static String mutate(String text, Random r) {
        List<Token> t = new ArrayList<>(tokenize(text));
        int n = 1 + (r.nextInt(4) == 0 ? 1 : 0);
        for (int k = 0; k < n && !t.isEmpty(); k++) {
            int i = r.nextInt(t.size());
            switch (r.nextInt(5)) {
                case 0 -> t.remove(i);
                case 1 -> t.add(i, t.get(i));
                case 2 -> {
                    if (i + 1 < t.size()) {
                        Token a = t.get(i), b = t.get(i + 1);
                        t.set(i, new Token(a.space(), b.text()));
                        t.set(i + 1, new Token(b.space(), a.text()));
                    }
                }
                case 3 -> t.set(i, new Token(t.get(i).space(), VOCAB.get(r.nextInt(VOCAB.size()))));
                default -> t.add(i, new Token(" ", VOCAB.get(r.nextInt(VOCAB.size()))));
            }
        }
        StringBuilder b = new StringBuilder();
        for (Token x : t) {
            b.append(x.space()).append(x.text());
        }
        return b.toString();
    }
}
