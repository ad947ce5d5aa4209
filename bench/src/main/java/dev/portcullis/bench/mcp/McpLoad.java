package dev.portcullis.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop MCP load: {@code connections} clients, each with its own MCP session and its own
 * persistent HTTP/1.1 connection ({@link Http1Connection}), each sending {@code tools/call echo} as
 * fast as the answers come, first straight to an upstream, then to the same upstream through the
 * gateway. Prints latency percentiles and throughput of both and what the gateway adds.
 *
 * <p>Usage: {@code McpLoad DIRECT_URL GATEWAY_URL [seconds=20] [connections=1,4] [warmup=5] [ab]}:
 * {@code connections} is a comma-separated list; each count is measured direct then gateway (with
 * {@code ab}: twice, alternating), after one warm-up of both at the largest count, then more
 * warm-up until the JIT compilers of the gateway and the upstream are nearly idle ({@link #settle}). At 1 connection
 * nothing queues: the difference is what the gateway adds to a call; at more connections than cores
 * the latency is mostly waiting for a CPU, and the throughput is what to read. With {@code
 * -Dmcpload.gateway.pid=} and {@code -Dmcpload.upstream.pid=} it also prints the CPU time each
 * process spent per call (from {@code /proc}, 10 ms ticks), which a busy machine disturbs less than
 * latency.
 */
public final class McpLoad {
    private static final ObjectMapper M = new ObjectMapper();

    private McpLoad() {}

    /**
     * CPU time (user + system, all threads) of a process in nanoseconds from {@code /proc}, or -1
     * when it cannot be read (no pid given, not Linux).
     */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command (which may hold spaces): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * CPU time of a process's JIT compiler threads ({@code C1/C2 CompilerThread*}) in nanoseconds,
     * or -1 when it cannot be read.
     */
    static long compilerNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended while we listed: its time is no longer compiling
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * 10_000_000L;
    }

    static final int SETTLE_SLICE_SECONDS = 5;
    static final int SETTLE_MAX_SECONDS = Integer.getInteger("mcpload.settle.max", 180);

    /**
     * After the fixed warm-up: more warm-up slices of both sides (at {@code connections}) until the
     * JIT compilers of the measured processes are nearly idle (under 2 % of a slice each), at most
     * {@code mcpload.settle.max} seconds. On 2 cores the gateway's JIT can still be compiling long
     * after a fixed warm-up, and its compiling then shows as the gateway's CPU and latency. Returns
     * the errors counted.
     */
    static long settle(String first, URI direct, long firstPid, URI gateway, long gatewayPid, int connections)
            throws Exception {
        Map<String, Long> watched = new LinkedHashMap<>();
        watched.put("gateway", gatewayPid);
        watched.put("upstream", Long.getLong("mcpload.upstream.pid", -1));
        if (firstPid != gatewayPid) {
            watched.put(first, firstPid);
        }
        watched.values().removeIf(pid -> compilerNanos(pid) < 0);
        if (watched.isEmpty()) {
            return 0;
        }
        long errors = 0;
        long limit = 2 * SETTLE_SLICE_SECONDS * 1_000_000_000L / 50; // 2 % of the two slices
        for (int spent = 0; spent < SETTLE_MAX_SECONDS; spent += 2 * SETTLE_SLICE_SECONDS) {
            Map<String, Long> before = new LinkedHashMap<>();
            watched.forEach((name, pid) -> before.put(name, compilerNanos(pid)));
            errors += run(first, direct, SETTLE_SLICE_SECONDS, connections, firstPid)
                    .errors();
            errors += run("gateway", gateway, SETTLE_SLICE_SECONDS, connections, gatewayPid)
                    .errors();
            StringBuilder line = new StringBuilder("settling, JIT compiler CPU in the last 10 s (ms):");
            boolean quiet = true;
            for (Map.Entry<String, Long> w : watched.entrySet()) {
                long spentCompiling = compilerNanos(w.getValue()) - before.get(w.getKey());
                line.append(' ').append(w.getKey()).append(' ').append(spentCompiling / 1_000_000);
                quiet &= spentCompiling <= limit;
            }
            System.out.println(line);
            if (quiet) {
                return errors;
            }
        }
        System.out.println("the JIT was still compiling after " + SETTLE_MAX_SECONDS + " s of settling");
        return errors;
    }

    record Result(
            String name,
            Histogram latencies,
            long requests,
            long errors,
            double seconds,
            double gatewayCpuUs,
            double upstreamCpuUs) {
        double throughput() {
            return requests / seconds;
        }

        double ms(double percentile) {
            return latencies.getValueAtPercentile(percentile) / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: McpLoad DIRECT_URL GATEWAY_URL [seconds] [connections,...] [warmup] [ab]");
            System.exit(2);
        }
        URI direct = URI.create(args[0]);
        URI gateway = URI.create(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<Integer> counts = new ArrayList<>();
        for (String c : (args.length > 3 ? args[3] : "1,4").split(",")) {
            counts.add(Integer.parseInt(c.trim()));
        }
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        boolean ab = args.length > 5 && args[5].equals("ab");
        int most = counts.stream().max(Integer::compare).orElse(1);
        long gatewayPid = Long.getLong("mcpload.gateway.pid", -1);
        long baselinePid = Long.getLong("mcpload.baseline.pid", -1);
        // with a baseline, the first URL is a gateway of another build, not the upstream (A/B of builds)
        String first = baselinePid > 0 ? "baseline" : "direct";
        long firstPid = baselinePid > 0 ? baselinePid : gatewayPid;
        List<Result> warm =
                List.of(run(first, direct, warmup, most, firstPid), run("gateway", gateway, warmup, most, gatewayPid));
        long warmErrors = warm.stream().mapToLong(Result::errors).sum();
        warmErrors += settle(first, direct, firstPid, gateway, gatewayPid, most);
        boolean invalid = warmErrors > 0;
        if (warmErrors > 0) {
            System.out.println("the warm-up counted " + warmErrors + " failed call(s)");
        }
        List<String> summary = new ArrayList<>();
        for (int c : counts) {
            List<Result> rs = new ArrayList<>();
            rs.add(run(first, direct, seconds, c, firstPid));
            rs.add(run("gateway", gateway, seconds, c, gatewayPid));
            if (ab) {
                // A/B/A/B: both again, so that drift of a noisy machine shows
                rs.add(run(first, direct, seconds, c, firstPid));
                rs.add(run("gateway", gateway, seconds, c, gatewayPid));
            }
            invalid |= report(rs, c, seconds, summary);
        }
        System.out.println();
        summary.forEach(System.out::println);
        if (invalid) {
            System.out.println("errors were counted: the figures above are not valid");
            System.exit(1);
        }
    }

    /** Prints one connection count's results; whether errors were counted. */
    private static boolean report(List<Result> results, int connections, int seconds, List<String> summary) {
        System.out.printf(Locale.ROOT, "%n%d connection(s), %d s per side:%n", connections, seconds);
        System.out.printf(
                Locale.ROOT,
                "%-8s %10s %10s %9s %9s %9s %9s %9s %7s %12s %12s%n",
                "target",
                "requests",
                "req/s",
                "mean ms",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "errors",
                "gw cpu us/c",
                "up cpu us/c");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-8s %10d %10.0f %9.3f %9.3f %9.3f %9.3f %9.3f %7d %12.1f %12.1f%n",
                    r.name(),
                    r.requests(),
                    r.throughput(),
                    r.latencies().getMean() / 1e6,
                    r.ms(50),
                    r.ms(90),
                    r.ms(99),
                    r.latencies().getMaxValue() / 1e6,
                    r.errors(),
                    r.gatewayCpuUs(),
                    r.upstreamCpuUs());
        }
        for (int i = 0; i + 1 < results.size(); i += 2) {
            Result d = results.get(i);
            Result g = results.get(i + 1);
            String line = String.format(
                    Locale.ROOT,
                    "added by the %s at %d connection(s): p50 %+.3f ms, p99 %+.3f ms%s; "
                            + "throughput %.0f%% of %s; gateway CPU %.1f us per call%s",
                    d.name().equals("baseline") ? "gateway over the baseline gateway" : "gateway",
                    connections,
                    g.ms(50) - d.ms(50),
                    g.ms(99) - d.ms(99),
                    connections == 1 ? " (target: p50 <= 0.5 ms)" : "",
                    100.0 * g.throughput() / d.throughput(),
                    d.name(),
                    g.gatewayCpuUs(),
                    d.name().equals("baseline")
                            ? String.format(Locale.ROOT, " (baseline %.1f)", d.gatewayCpuUs())
                            : "");
            System.out.println(line);
            summary.add(line);
        }
        return results.stream().anyMatch(r -> r.errors() > 0);
    }

    /** {@code gatewayPid}: the process whose CPU goes in the `gw cpu` column (the gateway measured). */
    static Result run(String name, URI url, int seconds, int connections, long gatewayPid) throws Exception {
        List<Http1Connection> conns = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Http1Connection c = new Http1Connection(url);
            conns.add(c);
            sessions.add(initialize(c, url));
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Histogram> hs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long upstreamPid = Long.getLong("mcpload.upstream.pid", -1);
        long gw0 = cpuNanos(gatewayPid);
        long up0 = cpuNanos(upstreamPid);
        long started = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Http1Connection conn = conns.get(i);
            String session = sessions.get(i);
            Histogram h = new Histogram(60_000_000_000L, 3);
            hs.add(h);
            threads.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (++n)
                            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hello\"}}}";
                    long t0 = System.nanoTime();
                    try {
                        Http1Connection.Response r = conn.post(session, body);
                        long t = System.nanoTime() - t0;
                        if (r.status() != 200
                                || !r.body().contains("\"hello\"")
                                || r.body().contains("\"isError\":true")) {
                            errors.incrementAndGet();
                            String b = r.body();
                            firstError.compareAndSet(
                                    null, "HTTP " + r.status() + ": " + b.substring(0, Math.min(200, b.length())));
                        } else {
                            h.recordValue(t);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long gw1 = cpuNanos(gatewayPid);
        long up1 = cpuNanos(upstreamPid);
        int reconnects = 0;
        for (Http1Connection c : conns) {
            reconnects += c.reconnects();
            c.close();
        }
        if (firstError.get() != null) {
            System.err.println(name + ": " + errors.get() + " failed call(s), the first: " + firstError.get());
        }
        if (reconnects > 0) {
            System.err.println(
                    name + ": the server closed a connection with `Connection: close` " + reconnects + " time(s)");
        }
        Histogram all = new Histogram(60_000_000_000L, 3);
        hs.forEach(all::add);
        long n = Math.max(1, all.getTotalCount() + errors.get());
        return new Result(
                name,
                all,
                all.getTotalCount(),
                errors.get(),
                elapsed,
                gw0 < 0 ? Double.NaN : (gw1 - gw0) / 1e3 / n,
                up0 < 0 ? Double.NaN : (up1 - up0) / 1e3 / n);
    }

    private static String initialize(Http1Connection c, URI url) throws Exception {
        Http1Connection.Response r = c.post(
                null,
                "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-load\",\"version\":\"1\"}}}");
        String body = r.body();
        if (body.startsWith("event:") || body.startsWith("data:")) {
            body = body.substring(body.indexOf("data:") + 5).strip();
        }
        JsonNode n = body.isEmpty() ? null : M.readTree(body);
        if (r.status() != 200 || n == null || !n.has("result")) {
            throw new IllegalStateException("initialize at " + url + " failed: HTTP " + r.status() + " " + r.body());
        }
        String session = r.sessionId();
        Http1Connection.Response ack =
                c.post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (ack.status() / 100 != 2) {
            throw new IllegalStateException("notifications/initialized at " + url + " failed: HTTP " + ack.status());
        }
        return session;
    }
}
