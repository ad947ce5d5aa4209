package dev.portcullis.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The load benchmark's null endpoint: {@code POST /access/v1/evaluation} on the same server stack
 * as Portcullis, doing what every AuthZEN endpoint must do except deciding. Same as {@code
 * PortcullisServer}: Armeria at the server module's version, one event loop per CPU, HTTP/1.1 and h2c on one port, the
 * same request size limit and {@code X-Request-ID} decorator, a unary service (Armeria reads the
 * body whole before the service runs) answered on the event loop. Per request it checks the
 * method, parses the body's bytes (UTF-8) into a Jackson tree with a default {@code
 * ObjectMapper}, as Portcullis does, checks that it is a JSON object (400 otherwise) and answers
 * the constant {@code {"decision":true}}. Its throughput is the ceiling for an AuthZEN server on this stack and
 * machine; {@code bench/load/run.sh} measures Portcullis against it.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.portcullis.bench.load.NullServer [PORT
 * [BIND]]} (default {@code 8181 127.0.0.1}); it runs until killed.
 */
public final class NullServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECISION = "{\"decision\":true}";

    private NullServer() {}

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8181;
        String bind = args.length > 1 ? args[1] : "127.0.0.1";
        Server server = build(bind, port);
        server.start().join();
        System.out.println("null endpoint listening on http://" + bind + ":"
                + server.activePort().localAddress().getPort() + "/access/v1/evaluation");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop().join(), "null-server-shutdown"));
    }

    static Server build(String bind, int port) {
        return Server.builder()
                .http(new InetSocketAddress(bind, port))
                // as many event loops as Portcullis has by default (server.event_loops)
                .workerGroup(Runtime.getRuntime().availableProcessors())
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(1))
                .maxRequestLength(10 * 1024 * 1024)
                .service("/access/v1/evaluation", new Evaluation())
                .decorator((delegate, ctx, req) -> {
                    String id = req.headers().get("x-request-id");
                    if (id != null) {
                        ctx.addAdditionalResponseHeader("x-request-id", id);
                    }
                    return delegate.serve(ctx, req);
                })
                .build();
    }

    private static final class Evaluation implements HttpService {
        @Override
        public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
            if (req.method() != HttpMethod.POST) {
                return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
            }
            CompletableFuture<AggregatedHttpRequest> agg = req.aggregate();
            if (agg.isDone() && !agg.isCompletedExceptionally()) {
                return answer(agg.join().content().array());
            }
            return HttpResponse.of(agg.thenApply(a -> answer(a.content().array())));
        }

        @Override
        public ExchangeType exchangeType(RoutingContext routingContext) {
            return ExchangeType.UNARY;
        }
    }

    static HttpResponse answer(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree == null || !tree.isObject()) {
                return badRequest("the request body must be a json object");
            }
        } catch (IOException e) {
            return badRequest("malformed json");
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, DECISION);
    }

    private static HttpResponse badRequest(String message) {
        return HttpResponse.of(
                HttpStatus.BAD_REQUEST,
                MediaType.JSON_UTF_8,
                "{\"error\":\"bad_request\",\"message\":\"" + message + "\"}");
    }
}
