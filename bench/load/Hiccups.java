// How much CPU time the machine itself takes away from a running thread: one thread per CPU spins
// on System.nanoTime() for SECONDS and counts the gaps between two readings, i.e. the moments the
// thread was not running although it never waited (the hypervisor running another guest, kernel
// work, interrupts, or another task of this machine that needed a CPU; with fewer threads than
// CPUs such tasks find an idle CPU, and what is left is the machine's own). Run it on an otherwise
// idle machine before a load benchmark: whatever it finds, every server's tail latency has too,
// and no server can answer a request faster than the CPU it is given. A single-file program on
// the JDK alone:
//
//   java bench/load/Hiccups.java [SECONDS [THREADS]]      (default: 5 seconds, one per CPU)
//
// Prints, over all threads, the share of the time lost in gaps of 20 µs or more, how many gaps of
// at least 0.1, 1 and 5 ms there were per second and thread, and the longest gap.

import java.util.ArrayList;
import java.util.List;

public class Hiccups {
    static final long MIN_GAP_NS = 20_000;

    /** One spinning thread's findings. */
    static final class Probe implements Runnable {
        final long durationNs;
        long lostNs;
        long over100us;
        long over1ms;
        long over5ms;
        long maxNs;

        Probe(long durationNs) {
            this.durationNs = durationNs;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long end = start + durationNs;
            long last = start;
            while (true) {
                long now = System.nanoTime();
                long gap = now - last;
                if (gap >= MIN_GAP_NS) {
                    lostNs += gap;
                    if (gap >= 100_000) {
                        over100us++;
                    }
                    if (gap >= 1_000_000) {
                        over1ms++;
                    }
                    if (gap >= 5_000_000) {
                        over5ms++;
                    }
                    maxNs = Math.max(maxNs, gap);
                }
                last = now;
                if (now >= end) {
                    return;
                }
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds;
        int threads;
        try {
            seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
            threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            System.err.println("Hiccups: SECONDS and THREADS are whole numbers, got " + String.join(" ", args));
            System.exit(2);
            return;
        }
        if (seconds < 1 || threads < 1 || args.length > 2) {
            System.err.println("usage: java bench/load/Hiccups.java [SECONDS [THREADS]] (both at least 1)");
            System.exit(2);
        }
        // a short warm-up, so that the loop runs compiled before it is measured
        new Probe(200_000_000L).run();
        List<Probe> probes = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Probe p = new Probe(seconds * 1_000_000_000L);
            probes.add(p);
            running.add(Thread.ofPlatform().name("hiccups-" + i).start(p));
        }
        for (Thread t : running) {
            t.join();
        }
        long lost = 0, a = 0, b = 0, c = 0, max = 0;
        for (Probe p : probes) {
            lost += p.lostNs;
            a += p.over100us;
            b += p.over1ms;
            c += p.over5ms;
            max = Math.max(max, p.maxNs);
        }
        double threadSeconds = (double) seconds * threads;
        System.out.printf(
                "host hiccups (%d %s spinning for %d s): %.2f %% of the time lost in gaps of 20 us or more;"
                        + " per second and thread %.1f gaps >= 0.1 ms, %.2f >= 1 ms, %.3f >= 5 ms; longest %.2f ms%n",
                threads,
                threads == 1 ? "thread" : "threads",
                seconds,
                100.0 * lost / (threadSeconds * 1e9),
                a / threadSeconds,
                b / threadSeconds,
                c / threadSeconds,
                max / 1e6);
    }
}
