package dev.portcullis.cedar.validation;

import java.util.Collection;

/** "Did you mean ...?" hints: the closest known name, when it is close enough to be a likely typo. */
final class Suggestions {
    private Suggestions() {}

    /** {@code "; did you mean `x`?"} or the empty string. */
    static String didYouMean(String wrong, Collection<String> known) {
        String best = closest(wrong, known);
        return best == null ? "" : "; did you mean `" + best + "`?";
    }

    static String closest(String wrong, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(wrong.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance || (d == bestDistance && best != null && k.compareTo(best) < 0)) {
                best = k;
                bestDistance = d;
            }
        }
        // Short names allow one edit, longer ones up to a third of their length (two to three):
        // enough for a typo, not so many that an unrelated name is offered.
        int limit = wrong.length() <= 3 ? 1 : Math.min(3, Math.max(2, wrong.length() / 3));
        return best != null && bestDistance <= limit ? best : null;
    }

    /** Damerau-Levenshtein distance (optimal string alignment): transpositions count as one edit. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }
}
