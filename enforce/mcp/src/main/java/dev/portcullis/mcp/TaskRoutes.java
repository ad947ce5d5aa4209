package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP tasks (protocol 2025-11-25, "basic/utilities/tasks") through the gateway: the {@code tasks}
 * capability it offers, and, with several upstreams, which upstream holds each task of the
 * client's session, and {@code tasks/list} over all of them. With one upstream every task method
 * passes through untouched (the default route of {@link Routes}).
 *
 * <p>A task id is learnt from an upstream's {@code CreateTaskResult} ({@code result.task.taskId})
 * to a forwarded request, from its {@code tasks/list} result and from its
 * {@code notifications/tasks/status}. Tasks are scoped to the client's session, and so is this map:
 * one per gateway session. It keeps the {@value #CAPACITY} most recently learnt tasks; a task
 * forgotten (or never seen) answers {@code -32602}, as the specification has a receiver answer for
 * a task it does not know. A task stays known after {@code tasks/cancel}: a cancelled task can
 * still be read with {@code tasks/get}.
 *
 * <p>INVARIANT: task ids are unique per receiver only; two upstreams may hand out the same id. The
 * later one wins (and the gateway warns): the map cannot tell them apart without rewriting ids.
 */
final class TaskRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRoutes.class);

    /** How many task ids one session remembers, oldest dropped first. */
    static final int CAPACITY = 4096;

    static final Lists.Kind LIST = new Lists.Kind("tasks/list", "tasks", "tasks", false);

    private final Map<String, UpstreamLink> links;
    private final McpGatewayConfig config;
    private final Map<String, String> owners = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /** {@code links}: the session's upstreams by name, read as they are when a request is routed. */
    TaskRoutes(Map<String, UpstreamLink> links, McpGatewayConfig config) {
        this.links = links;
        this.config = config;
    }

    /**
     * The {@code tasks} capability the gateway offers: {@code list}, {@code cancel} and
     * {@code requests.tools.call}, each when at least one upstream offers it; {@code null} when
     * none does. Other {@code requests} entries are left out: {@code tools/call} is the only
     * task-augmentable request a client sends through the gateway.
     */
    static ObjectNode capability(Iterable<UpstreamLink> upstreams) {
        boolean list = false;
        boolean cancel = false;
        boolean toolsCall = false;
        for (UpstreamLink l : upstreams) {
            JsonNode t = l.capabilities.get("tasks");
            if (t instanceof ObjectNode) {
                list |= t.has("list");
                cancel |= t.has("cancel");
                toolsCall |= t.path("requests").path("tools").has("call");
            }
        }
        if (!list && !cancel && !toolsCall) {
            return null;
        }
        ObjectNode out = Json.F.objectNode();
        if (list) {
            out.putObject("list");
        }
        if (cancel) {
            out.putObject("cancel");
        }
        if (toolsCall) {
            out.putObject("requests").putObject("tools").putObject("call");
        }
        return out;
    }

    /**
     * Marks the tools of {@code l} {@code execution.taskSupport: forbidden} when {@code l} does not
     * offer task-augmented {@code tools/call} but the gateway does (for another upstream): the
     * specification has a client never task-augment a tool of a server without the capability,
     * whatever the tool says, and through the gateway the client sees the capability. Otherwise
     * the tools are left as they are.
     */
    void forbidTaskSupport(UpstreamLink l, ArrayNode tools) {
        if (offersToolCalls(List.of(l)) || !offersToolCalls(links.values())) {
            return;
        }
        for (JsonNode t : tools) {
            if (t.get("execution") instanceof ObjectNode e
                    && e.has("taskSupport")
                    && !"forbidden".equals(e.get("taskSupport").asText())) {
                e.put("taskSupport", "forbidden");
            }
        }
    }

    private static boolean offersToolCalls(Iterable<UpstreamLink> upstreams) {
        ObjectNode c = capability(upstreams);
        return c != null && c.path("requests").path("tools").has("call");
    }

    /** Whether the gateway routes task methods itself (several upstreams) rather than passing them on. */
    boolean routing() {
        return links.size() > 1;
    }

    /** Whether {@code method} is {@code tasks/list} answered by aggregating the upstreams' lists. */
    boolean aggregates(String method) {
        return method.equals("tasks/list") && routing();
    }

    /** Learns the task an upstream created in answer to a forwarded request ({@code CreateTaskResult}). */
    void answered(UpstreamLink l, ObjectNode response) {
        if (routing()) {
            JsonNode id = response.path("result").path("task").get("taskId");
            if (id != null && id.isTextual()) {
                learn(l, id.asText());
            }
        }
    }

    /** Learns the task of an upstream's {@code notifications/tasks/status}. */
    void status(UpstreamLink l, ObjectNode notification) {
        if (routing()) {
            JsonNode id = notification.path("params").get("taskId");
            if (id != null && id.isTextual()) {
                learn(l, id.asText());
            }
        }
    }

    private void learn(UpstreamLink l, String taskId) {
        String before;
        synchronized (owners) {
            // re-inserted, so that a task seen again counts as the newest
            before = owners.remove(taskId);
            owners.put(taskId, l.name);
        }
        if (before != null && !before.equals(l.name)) {
            LOG.warn(
                    "upstreams `{}` and `{}` both hold a task `{}`; routing it to `{}`",
                    before,
                    l.name,
                    taskId,
                    l.name);
        }
    }

    /** Where {@code tasks/get}, {@code tasks/result} or {@code tasks/cancel} goes: the task's upstream. */
    Routes.Route route(ObjectNode params) {
        JsonNode id = params.get("taskId");
        if (id == null || !id.isTextual()) {
            return Routes.noRoute(Json.INVALID_PARAMS, "`params.taskId` is required and must be a string");
        }
        String owner;
        synchronized (owners) {
            owner = owners.get(id.asText());
        }
        UpstreamLink l = owner == null ? null : links.get(owner);
        if (l == null) {
            return Routes.noRoute(Json.INVALID_PARAMS, "Failed to retrieve task: Task not found");
        }
        return new Routes.Route(l, params, id.asText(), null);
    }

    /** The answer to the client's {@code tasks/list} {@code mid}: {@link #list}, or the error. */
    ObjectNode listAnswer(JsonNode mid, ObjectNode params) {
        try {
            return Json.result(mid, list(params));
        } catch (McpException e) {
            return Json.error(mid, e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return Json.error(mid, Json.INVALID_PARAMS, "Invalid cursor");
        } catch (RuntimeException e) {
            LOG.warn("tasks/list failed: {}", e.toString());
            return Json.error(mid, Json.INTERNAL_ERROR, "the gateway could not list the tasks: " + e.getMessage());
        }
    }

    /**
     * One page (the gateway's own cursor, {@link Lists#page}) of the tasks of every upstream that
     * offers {@code tasks/list}, each upstream's list followed through its cursors; routes learnt.
     *
     * @throws McpException when no upstream lists tasks, or every one that does failed
     * @throws IllegalArgumentException when the cursor is not one the gateway handed out
     */
    ObjectNode list(ObjectNode params) {
        ArrayNode all = Json.F.arrayNode();
        List<String> failures = new ArrayList<>();
        int listing = 0;
        for (UpstreamLink l : links.values()) {
            if (!l.capabilities.path("tasks").has("list")) {
                continue;
            }
            listing++;
            try {
                ArrayNode tasks = Lists.fetchAll(LIST, l, config);
                for (JsonNode t : tasks) {
                    if (t.path("taskId").isTextual()) {
                        learn(l, t.get("taskId").asText());
                    }
                }
                all.addAll(tasks);
            } catch (McpException e) {
                failures.add(e.getMessage());
                LOG.warn("listing the tasks of upstream `{}` failed: {}", l.name, e.getMessage());
            }
        }
        if (listing == 0) {
            throw new McpException(Json.METHOD_NOT_FOUND, "Method not found: tasks/list");
        }
        if (all.isEmpty() && !failures.isEmpty()) {
            throw new McpException(Json.INTERNAL_ERROR, String.join("; ", failures));
        }
        ObjectNode merged = Json.F.objectNode();
        merged.set(LIST.key(), all);
        return Lists.page(merged, LIST.key(), params.get("cursor"), config.pageSize());
    }
}
