package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mcp.authz.CoazAuthorizers;
import dev.portcullis.mcp.authz.CoazSettings;
import dev.portcullis.mcp.authz.MemoryLog;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MCP tasks through the gateway, against in-process upstreams that hold tasks ({@link FakeTasks}):
 * the capability offered, task-augmented calls, task methods routed to the upstream holding the
 * task, unknown tasks answered by the gateway, {@code tasks/list} merged, and a policy on tasks.
 */
class McpGatewayTasksTest {

    private static McpGatewayConfig twoUpstreams(FakeHttpUpstream a, FakeHttpUpstream b, int pageSize) {
        return McpGatewayConfig.of(List.of(
                        McpGatewayConfig.Upstream.http(a.name(), a.url()),
                        McpGatewayConfig.Upstream.http(b.name(), b.url())))
                .withLimits(
                        McpGatewayConfig.DEFAULT_MAX_MESSAGE_BYTES, McpGatewayConfig.DEFAULT_REQUEST_TIMEOUT, pageSize);
    }

    private static ObjectNode taskCall(Clients.Http c, int id, String tool) throws Exception {
        return c.call(Clients.request(
                id,
                "tools/call",
                "{\"name\":\"" + tool + "\",\"arguments\":{\"x\":" + id + "},\"task\":{\"ttl\":60000}}"));
    }

    /** The id of the task a task-augmented call of {@code tool} created. */
    private static String createdTaskId(Clients.Http c, int id, String tool) throws Exception {
        return taskCall(c, id, tool).path("result").path("task").path("taskId").asText();
    }

    private static ObjectNode onTask(Clients.Http c, int id, String method, String taskId) throws Exception {
        return c.call(Clients.request(id, method, "{\"taskId\":\"" + taskId + "\"}"));
    }

    private static List<String> taskIds(JsonNode listAnswer) {
        List<String> out = new ArrayList<>();
        listAnswer
                .path("result")
                .path("tasks")
                .forEach(t -> out.add(t.path("taskId").asText()));
        return out;
    }

    @Test
    void twoUpstreams_routeEveryTaskToTheUpstreamHoldingIt() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web", true);
                FakeHttpUpstream api = new FakeHttpUpstream("api", true);
                McpGateway gw = new McpGateway(twoUpstreams(web, api, 3), McpAuthorizer.allowAll()).start()) {
            Clients.Http c = new Clients.Http(gw.url());
            JsonNode tasksCap =
                    c.initialize().path("result").path("capabilities").path("tasks");
            assertThat(tasksCap.has("list")).isTrue();
            assertThat(tasksCap.has("cancel")).isTrue();
            assertThat(tasksCap.path("requests").path("tools").has("call")).isTrue();
            assertThat(tasksCap.path("requests").size()).isEqualTo(1);

            // a task-augmented call answers with the upstream's CreateTaskResult
            ObjectNode created = taskCall(c, 2, "web__echo");
            assertThat(created.path("result").path("task").path("taskId").asText())
                    .isEqualTo("web-1");
            assertThat(created.path("result").path("task").path("status").asText())
                    .isEqualTo("completed");
            assertThat(created.path("result").has("content")).isFalse();
            assertThat(createdTaskId(c, 3, "api__echo")).isEqualTo("api-1");

            // each upstream holds a task: get and result reach the one that created it
            ObjectNode get = onTask(c, 4, "tasks/get", "api-1");
            assertThat(get.path("result").path("taskId").asText()).isEqualTo("api-1");
            assertThat(get.path("result").path("status").asText()).isEqualTo("completed");
            ObjectNode webResult = onTask(c, 5, "tasks/result", "web-1");
            assertThat(webResult
                            .path("result")
                            .path("structuredContent")
                            .path("upstream")
                            .asText())
                    .isEqualTo("web");
            assertThat(webResult
                            .path("result")
                            .path("_meta")
                            .path(FakeTasks.RELATED)
                            .path("taskId")
                            .asText())
                    .isEqualTo("web-1");
            ObjectNode apiResult = onTask(c, 6, "tasks/result", "api-1");
            assertThat(apiResult
                            .path("result")
                            .path("structuredContent")
                            .path("upstream")
                            .asText())
                    .isEqualTo("api");
            assertThat(web.taskRequests()).containsExactly("tasks/result web-1");
            assertThat(api.taskRequests()).containsExactly("tasks/get api-1", "tasks/result api-1");

            // a task the session never saw: -32602 from the gateway, nothing forwarded
            ObjectNode unknown = onTask(c, 7, "tasks/get", "nope-9");
            assertThat(unknown.path("error").path("code").asInt()).isEqualTo(Json.INVALID_PARAMS);
            ObjectNode seeded = onTask(c, 8, "tasks/result", "web-0");
            assertThat(seeded.path("error").path("code").asInt()).isEqualTo(Json.INVALID_PARAMS);
            ObjectNode noId = c.call(Clients.request(9, "tasks/get", "{}"));
            assertThat(noId.path("error").path("code").asInt()).isEqualTo(Json.INVALID_PARAMS);
            assertThat(web.taskRequests()).containsExactly("tasks/result web-1");
            assertThat(api.taskRequests()).containsExactly("tasks/get api-1", "tasks/result api-1");

            // tasks/list: both upstreams' lists (one task a page upstream), paged by the gateway (3 a page)
            ObjectNode first = c.call(Clients.request(10, "tasks/list", "{}"));
            assertThat(first.path("result").has("nextCursor")).isTrue();
            ObjectNode second = c.call(Clients.request(
                    11,
                    "tasks/list",
                    "{\"cursor\":\"" + first.path("result").path("nextCursor").asText() + "\"}"));
            assertThat(second.path("result").has("nextCursor")).isFalse();
            List<String> listed = new ArrayList<>(taskIds(first));
            listed.addAll(taskIds(second));
            assertThat(listed).containsExactly("web-0", "web-1", "api-0", "api-1");
            ObjectNode badCursor = c.call(Clients.request(12, "tasks/list", "{\"cursor\":\"1\"}"));
            assertThat(badCursor.path("error").path("code").asInt()).isEqualTo(Json.INVALID_PARAMS);

            // ... and the listed tasks are routed from then on
            ObjectNode learnt = onTask(c, 13, "tasks/result", "web-0");
            assertThat(learnt.path("result").path("content").toString()).contains("web seeded");

            // cancel goes to the task's upstream too
            ObjectNode working = taskCall(c, 14, "api__slow");
            assertThat(working.path("result").path("task").path("status").asText())
                    .isEqualTo("working");
            ObjectNode cancelled = onTask(c, 15, "tasks/cancel", "api-2");
            assertThat(cancelled.path("result").path("status").asText()).isEqualTo("cancelled");
            assertThat(onTask(c, 16, "tasks/get", "api-2")
                            .path("result")
                            .path("status")
                            .asText())
                    .isEqualTo("cancelled");
        }
    }

    @Test
    void oneUpstream_passesTaskMethodsThrough() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web", true);
                McpGateway gw = new McpGateway(
                                McpGatewayConfig.of(List.of(McpGatewayConfig.Upstream.http("web", web.url()))),
                                McpAuthorizer.allowAll())
                        .start()) {
            Clients.Http c = new Clients.Http(gw.url());
            assertThat(c.initialize()
                            .path("result")
                            .path("capabilities")
                            .path("tasks")
                            .has("list"))
                    .isTrue();
            // a task the gateway never saw created still reaches the upstream
            ObjectNode seeded = onTask(c, 2, "tasks/get", "web-0");
            assertThat(seeded.path("result").path("taskId").asText()).isEqualTo("web-0");
            ObjectNode unknown = onTask(c, 3, "tasks/get", "nope-9");
            assertThat(unknown.path("error").path("code").asInt()).isEqualTo(Json.INVALID_PARAMS);
            assertThat(web.taskRequests()).containsExactly("tasks/get web-0", "tasks/get nope-9");
            assertThat(createdTaskId(c, 4, "echo")).isEqualTo("web-1");
            // the upstream's own list and cursor, unchanged
            ObjectNode list = c.call(Clients.request(5, "tasks/list", null));
            assertThat(taskIds(list)).containsExactly("web-0");
            assertThat(list.path("result").path("nextCursor").asText()).isEqualTo("1");
        }
    }

    @Test
    void upstreamsWithoutTasks_noTasksCapability() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web");
                FakeHttpUpstream api = new FakeHttpUpstream("api");
                McpGateway gw = new McpGateway(twoUpstreams(web, api, 0), McpAuthorizer.allowAll()).start()) {
            Clients.Http c = new Clients.Http(gw.url());
            JsonNode caps = c.initialize().path("result").path("capabilities");
            assertThat(caps.has("tools")).isTrue();
            assertThat(caps.has("tasks")).isFalse();
            // the gateway offers no tasks: the tools are listed as the upstreams list them
            ObjectNode tools = c.call(Clients.request(3, "tools/list", null));
            assertThat(tools.path("result").path("tools").get(0).path("name").asText())
                    .isEqualTo("web__echo");
            assertThat(tools.path("result")
                            .path("tools")
                            .get(0)
                            .path("execution")
                            .path("taskSupport")
                            .asText())
                    .isEqualTo("optional");
            ObjectNode list = c.call(Clients.request(2, "tasks/list", null));
            assertThat(list.path("error").path("code").asInt()).isEqualTo(Json.METHOD_NOT_FOUND);
        }
    }

    @Test
    void oneOfTwoUpstreamsWithTasks_offersTasksForItsToolsOnly() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web", true);
                FakeHttpUpstream api = new FakeHttpUpstream("api");
                McpGateway gw = new McpGateway(twoUpstreams(web, api, 0), McpAuthorizer.allowAll()).start()) {
            Clients.Http c = new Clients.Http(gw.url());
            JsonNode tasksCap =
                    c.initialize().path("result").path("capabilities").path("tasks");
            assertThat(tasksCap.has("list")).isTrue();
            assertThat(tasksCap.path("requests").path("tools").has("call")).isTrue();

            // the other upstream's tools are forbidden tasks: the client must not task-augment them
            Map<String, String> support = new java.util.HashMap<>();
            c.call(Clients.request(2, "tools/list", null))
                    .path("result")
                    .path("tools")
                    .forEach(t -> support.put(
                            t.path("name").asText(),
                            t.path("execution").path("taskSupport").asText("absent")));
            assertThat(support)
                    .containsEntry("web__echo", "optional")
                    .containsEntry("api__echo", "forbidden")
                    .containsEntry("api__add", "absent");

            assertThat(taskIds(c.call(Clients.request(3, "tasks/list", null)))).containsExactly("web-0");
            assertThat(createdTaskId(c, 4, "web__echo")).isEqualTo("web-1");
            assertThat(onTask(c, 5, "tasks/get", "web-1")
                            .path("result")
                            .path("status")
                            .asText())
                    .isEqualTo("completed");
        }
    }

    /** A Cedar policy forbidding {@code tasks/get} on one task: the gateway denies it and forwards nothing. */
    @Test
    void policyForbiddingTasksGetOnATask_deniesIt() throws Exception {
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("tasks.cedar", """
                permit (principal is Agent, action, resource);
                forbid (principal, action == Action::"tasks/get", resource == Task::"web-1");
                """)));
        MemoryLog log = new MemoryLog();
        DecisionService decisions =
                new DecisionService(store::current, StaticEntityProvider.empty(), log, Clock.systemUTC());
        McpAuthorizer authorizer = CoazAuthorizers.create(CoazSettings.defaults(), decisions, null);
        try (FakeHttpUpstream web = new FakeHttpUpstream("web", true);
                FakeHttpUpstream api = new FakeHttpUpstream("api", true);
                McpGateway gw = new McpGateway(
                                twoUpstreams(web, api, 0)
                                        .withIdentity(new McpGatewayConfig.StaticIdentity(
                                                "agent-7", Map.of("sub", "agent-7"), null)),
                                authorizer)
                        .start()) {
            Clients.Http c = new Clients.Http(gw.url());
            assertThat(c.initialize().path("result").path("capabilities").has("tasks"))
                    .isTrue();
            assertThat(createdTaskId(c, 2, "web__echo")).isEqualTo("web-1");
            assertThat(createdTaskId(c, 3, "api__echo")).isEqualTo("api-1");

            ObjectNode denied = onTask(c, 4, "tasks/get", "web-1");
            DecisionRecord decision = log.records().stream()
                    .filter(r -> r.action().equals("Action::\"tasks/get\""))
                    .findFirst()
                    .orElseThrow();
            assertThat(decision.resource()).isEqualTo("Task::\"web-1\"");
            assertThat(decision.allowed()).isFalse();
            assertThat(denied.path("result").has("taskId")).isFalse();
            assertThat(denied.has("error")
                            || denied.path("result").path("isError").asBoolean())
                    .as(denied.toString())
                    .isTrue();
            // the same task's other methods and the other task are allowed
            assertThat(onTask(c, 5, "tasks/get", "api-1")
                            .path("result")
                            .path("taskId")
                            .asText())
                    .isEqualTo("api-1");
            assertThat(onTask(c, 6, "tasks/result", "web-1")
                            .path("result")
                            .path("structuredContent")
                            .path("upstream")
                            .asText())
                    .isEqualTo("web");
            assertThat(taskIds(c.call(Clients.request(7, "tasks/list", null))))
                    .containsExactlyInAnyOrder("web-0", "web-1", "api-0", "api-1");
            assertThat(web.taskRequests()).doesNotContain("tasks/get web-1").contains("tasks/result web-1");
        }
    }
}
