// Reads the JFR profiles that `JFR=1 bench/load/run.sh` records (results/<time>/portcullis.jfr and
// null.jfr) and says where one server spends CPU per request that the other does not. Execution
// samples only (time in Java code; native code such as SQLite's shows as its Java caller's
// native-method samples, not here). A single-file program on the JDK alone:
//
//   java bench/load/JfrCompare.java diff A.jfr A_US B.jfr B_US [LINES [THREADS]]
//       methods by inclusive CPU per request in A and in B, largest difference first. A_US and
//       B_US are the threads' CPU per request that run.sh printed for that run (e.g. the event
//       loop's 68.9 and 59.3 us/req): the sample shares are scaled by them. THREADS is a thread
//       name prefix, default `armeria-eventloop`.
//   java bench/load/JfrCompare.java tree FILE METHOD [DEPTH [MIN_PERCENT [THREADS]]]
//       the callee tree under METHOD (`package.Class.method`), as shares of all samples of the
//       threads, branches under MIN_PERCENT (default 0.3) left out.
//
// Lambda classes are named `Outer$$Lambda` (their numbers differ between runs).

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

public class JfrCompare {
    static final String EVENT_LOOPS = "armeria-eventloop";

    public static void main(String[] args) throws Exception {
        boolean diff = args.length >= 5 && args[0].equals("diff");
        boolean tree = args.length >= 3 && args[0].equals("tree");
        if (!diff && !tree) {
            System.err.println("usage: java bench/load/JfrCompare.java diff A.jfr A_US B.jfr B_US [LINES [THREADS]]\n"
                    + "       java bench/load/JfrCompare.java tree FILE METHOD [DEPTH [MIN_PERCENT [THREADS]]]");
            System.exit(2);
        }
        try {
            if (diff) {
                diff(args);
            } else {
                tree(args);
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("JfrCompare: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The stacks (innermost frame first) of the execution samples of threads named {@code prefix}... */
    static List<List<String>> stacks(String file, String prefix) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (RecordingFile rf = new RecordingFile(Path.of(file))) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith(prefix)) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    frames.add(name(f.getMethod()));
                }
                out.add(frames);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no execution samples of threads named `" + prefix + "...`");
        }
        return out;
    }

    static String name(RecordedMethod m) {
        String type = m.getType().getName();
        int lambda = type.indexOf("$$Lambda");
        return (lambda < 0 ? type : type.substring(0, lambda + 8)) + "." + m.getName();
    }

    /** Per method, the samples it is on the stack of (once per sample, however deep it recurses). */
    static Map<String, Integer> inclusive(List<List<String>> stacks) {
        Map<String, Integer> m = new HashMap<>();
        for (List<String> s : stacks) {
            for (String f : new HashSet<>(s)) {
                m.merge(f, 1, Integer::sum);
            }
        }
        return m;
    }

    static void diff(String[] a) throws Exception {
        int lines = a.length > 5 ? (int) positive(a[5], "LINES", true) : 40;
        String threads = a.length > 6 ? a[6] : EVENT_LOOPS;
        List<List<String>> x = stacks(a[1], threads);
        List<List<String>> y = stacks(a[3], threads);
        double sx = positive(a[2], "A_US", false) / x.size();
        double sy = positive(a[4], "B_US", false) / y.size();
        Map<String, Integer> ix = inclusive(x);
        Map<String, Integer> iy = inclusive(y);
        Set<String> methods = new HashSet<>(ix.keySet());
        methods.addAll(iy.keySet());
        List<String> sorted = new ArrayList<>(methods);
        sorted.sort(Comparator.comparingDouble(
                k -> -Math.abs(ix.getOrDefault(k, 0) * sx - iy.getOrDefault(k, 0) * sy)));
        System.out.printf("%d and %d samples; inclusive us/req in A, in B, A - B%n", x.size(), y.size());
        for (String k : sorted.subList(0, Math.min(lines, sorted.size()))) {
            double ax = ix.getOrDefault(k, 0) * sx;
            double by = iy.getOrDefault(k, 0) * sy;
            System.out.printf("%7.2f %7.2f %+7.2f  %s%n", ax, by, ax - by, k);
        }
    }

    /** {@code text} as a number above zero (a whole one when {@code whole}), else a message naming {@code name}. */
    static double positive(String text, String name, boolean whole) {
        try {
            double n = Double.parseDouble(text);
            if (n > 0 && (!whole || n == Math.rint(n))) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a " + (whole ? "positive whole number" : "positive number") + ", got `" + text + "`");
    }

    static final class Node {
        int samples;
        final Map<String, Node> callees = new HashMap<>();
    }

    static void tree(String[] a) throws Exception {
        String root = a[2];
        int depth = a.length > 3 ? (int) positive(a[3], "DEPTH", true) : 8;
        double min = a.length > 4 ? Double.parseDouble(a[4]) : 0.3;
        List<List<String>> stacks = stacks(a[1], a.length > 5 ? a[5] : EVENT_LOOPS);
        Node top = new Node();
        for (List<String> s : stacks) {
            int start = s.lastIndexOf(root); // outermost call of root
            if (start < 0) {
                continue;
            }
            Node n = top;
            for (int i = start; i >= 0 && start - i < depth; i--) {
                n = n.callees.computeIfAbsent(s.get(i), k -> new Node());
                n.samples++;
            }
        }
        System.out.printf("%d samples%n", stacks.size());
        print(top, 0, stacks.size(), min);
    }

    static void print(Node n, int indent, int total, double min) {
        n.callees.entrySet().stream()
                .sorted((p, q) -> q.getValue().samples - p.getValue().samples)
                .filter(e -> 100.0 * e.getValue().samples / total >= min)
                .forEach(e -> {
                    System.out.printf("%s%5.2f%% %s%n", "  ".repeat(indent), 100.0 * e.getValue().samples / total, e.getKey());
                    print(e.getValue(), indent + 1, total, min);
                });
    }
}
