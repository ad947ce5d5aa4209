package dev.portcullis.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop MCP load: {@code connections} clients, each with its own MCP session, each sending
 * {@code tools/call echo} as fast as the answers come, first straight to an upstream, then to the
 * same upstream through the gateway. Prints latency percentiles and throughput of both and what
 * the gateway adds.
 *
 * <p>Usage: {@code McpLoad DIRECT_URL GATEWAY_URL [seconds=20] [connections=4] [warmup=5] [ab]}: with
 * {@code ab} both are measured twice, alternating. With {@code -Dmcpload.gateway.pid=} and {@code
 * -Dmcpload.upstream.pid=} it also prints the CPU time each process spent per call (from {@code
 * /proc}, 10 ms ticks), which a busy machine disturbs less than latency.
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
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            // fields after the command (which may hold spaces): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
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
            System.err.println("usage: McpLoad DIRECT_URL GATEWAY_URL [seconds] [connections] [warmup] [ab]");
            System.exit(2);
        }
        URI direct = URI.create(args[0]);
        URI gateway = URI.create(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        run("direct", direct, warmup, connections);
        Result d = run("direct", direct, seconds, connections);
        run("gateway", gateway, warmup, connections);
        Result g = run("gateway", gateway, seconds, connections);
        if (args.length > 5 && args[5].equals("ab")) {
            // A/B/A/B: both again, so that drift of a noisy machine shows
            Result d2 = run("direct", direct, seconds, connections);
            Result g2 = run("gateway", gateway, seconds, connections);
            report(List.of(d, g, d2, g2), connections, seconds);
        } else {
            report(List.of(d, g), connections, seconds);
        }
    }

    private static void report(List<Result> results, int connections, int seconds) {
        System.out.printf(
                Locale.ROOT,
                "%-8s %10s %10s %9s %9s %9s %9s %7s %12s %12s%n",
                "target",
                "requests",
                "req/s",
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
                    "%-8s %10d %10.0f %9.3f %9.3f %9.3f %9.3f %7d %12.1f %12.1f%n",
                    r.name(),
                    r.requests(),
                    r.throughput(),
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
            System.out.printf(
                    Locale.ROOT,
                    "added by the gateway: p50 %+.3f ms, p99 %+.3f ms (target: p50 <= 0.5 ms); "
                            + "throughput %.0f%% of direct (%d connections, %d s)%n",
                    g.ms(50) - d.ms(50),
                    g.ms(99) - d.ms(99),
                    100.0 * g.throughput() / d.throughput(),
                    connections,
                    seconds);
        }
        if (results.stream().anyMatch(r -> r.errors() > 0)) {
            System.out.println("errors were counted: the figures above are not valid");
            System.exit(1);
        }
    }

    static Result run(String name, URI url, int seconds, int connections) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sessions.add(initialize(client, url));
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Histogram> hs = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long gatewayPid = Long.getLong("mcpload.gateway.pid", -1);
        long upstreamPid = Long.getLong("mcpload.upstream.pid", -1);
        long gw0 = cpuNanos(gatewayPid);
        long up0 = cpuNanos(upstreamPid);
        long started = System.nanoTime();
        for (String session : sessions) {
            Histogram h = new Histogram(60_000_000_000L, 3);
            hs.add(h);
            threads.add(Thread.ofPlatform().start(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (++n)
                            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hello\"}}}";
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r =
                                client.send(post(url, session, body), HttpResponse.BodyHandlers.ofString());
                        long t = System.nanoTime() - t0;
                        if (r.statusCode() != 200
                                || !r.body().contains("\"hello\"")
                                || r.body().contains("\"isError\":true")) {
                            errors.incrementAndGet();
                            String b = r.body();
                            firstError.compareAndSet(
                                    null, "HTTP " + r.statusCode() + ": " + b.substring(0, Math.min(200, b.length())));
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
        if (firstError.get() != null) {
            System.err.println(name + ": " + errors.get() + " failed call(s), the first: " + firstError.get());
        }
        long gw1 = cpuNanos(gatewayPid);
        long up1 = cpuNanos(upstreamPid);
        Histogram all = new Histogram(60_000_000_000L, 3);
        hs.forEach(all::add);
        client.close();
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

    private static HttpRequest post(URI url, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return b.build();
    }

    private static String initialize(HttpClient client, URI url) throws Exception {
        HttpResponse<String> r = client.send(
                post(
                        url,
                        null,
                        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-load\",\"version\":\"1\"}}}"),
                HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        if (body.startsWith("event:") || body.startsWith("data:")) {
            body = body.substring(body.indexOf("data:") + 5).strip();
        }
        JsonNode n = M.readTree(body);
        if (r.statusCode() != 200 || !n.has("result")) {
            throw new IllegalStateException(
                    "initialize at " + url + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        String session = r.headers().firstValue("mcp-session-id").orElse(null);
        client.send(
                post(url, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }
}
