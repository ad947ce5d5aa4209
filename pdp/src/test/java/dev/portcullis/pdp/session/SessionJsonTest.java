package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void boundary_readsEachDimension_nullOrMissingIsUnrestricted() throws Exception {
        assertThat(SessionJson.boundary(json("""
                        {"actions": ["read"], "resources": ["Doc::*"], "datasets": []}"""), "boundary"))
                .isEqualTo(new Boundary(List.of("read"), List.of("Doc::*"), List.of()));
        assertThat(SessionJson.boundary(json("{\"actions\": null}"), "boundary"))
                .isEqualTo(Boundary.unrestricted());
        assertThat(SessionJson.boundary(null, "boundary")).isEqualTo(Boundary.unrestricted());
        Boundary b = new Boundary(List.of("a"), null, List.of("d"));
        assertThat(SessionJson.boundary(SessionJson.toJson(b), "boundary")).isEqualTo(b);
    }

    @Test
    void boundary_badInputNamesThePath() {
        assertThatThrownBy(() -> SessionJson.boundary(json("{\"actions\": [\"read\", 3]}"), "boundary"))
                .isInstanceOf(SessionException.class)
                .hasMessage("boundary.actions[1]: `3` is not a string");
        assertThatThrownBy(() -> SessionJson.boundary(json("{\"tools\": []}"), "boundary"))
                .hasMessage("boundary: unknown key `tools` (expected actions, datasets, resources)");
        assertThatThrownBy(() -> SessionJson.boundary(json("{\"resources\": \"Doc::*\"}"), "boundary"))
                .hasMessage("boundary.resources: expected an array of strings");
        assertThatThrownBy(() -> SessionJson.boundary(json("[]"), "boundary"))
                .hasMessage("boundary: expected an object");
    }

    @Test
    void limits_readWindowsAsIsoOrSeconds() throws Exception {
        Limits l = SessionJson.limits(json("""
                        {"max_actions": 100, "per_action": [
                          {"action": "send_email", "count": 5, "window": "PT1H"},
                          {"action": "*", "count": 10, "window": 60}]}"""), "limits");
        assertThat(l)
                .isEqualTo(Limits.maxActions(100)
                        .withRate("send_email", 5, Duration.ofHours(1))
                        .withRate("*", 10, Duration.ofMinutes(1)));
        assertThat(SessionJson.limits(SessionJson.toJson(l), "limits")).isEqualTo(l);
        assertThat(SessionJson.limits(null, "limits")).isEqualTo(Limits.none());
    }

    @Test
    void limits_badInputNamesThePath() {
        assertThatThrownBy(() -> SessionJson.limits(json("{\"max_actions\": -1}"), "limits"))
                .hasMessage("limits.max_actions: `-1` is not a non-negative integer");
        assertThatThrownBy(() -> SessionJson.limits(
                        json("{\"per_action\": [{\"action\": \"a\", \"count\": 1, \"window\": \"soon\"}]}"), "limits"))
                .hasMessage("limits.per_action[0].window: `\"soon\"` is not a duration (an ISO-8601 duration such as"
                        + " `PT1H`, or seconds)");
        assertThatThrownBy(() -> SessionJson.limits(
                        json("{\"per_action\": [{\"action\": \"a\", \"count\": 1, \"window\": 0}]}"), "limits"))
                .hasMessage("limits.per_action: `a`: window `PT0S` is not positive");
        assertThatThrownBy(
                        () -> SessionJson.limits(json("{\"per_action\": [{\"count\": 1, \"window\": 5}]}"), "limits"))
                .hasMessage("limits.per_action[0].action: missing string");
    }

    @Test
    void session_roundTrips() {
        Session s = SessionStoreContract.full("ses_1", 2, SessionState.REVOKED).session();
        assertThat(SessionJson.session(SessionJson.toJson(s))).isEqualTo(s);
        assertThat(SessionJson.toJson(s).get("state").asText()).isEqualTo("revoked");
    }

    @Test
    void stores_openFromUrls() {
        assertThat(SessionStores.open("memory")).isInstanceOf(InMemorySessionStore.class);
        assertThatThrownBy(() -> SessionStores.open("sqlite::memory:")).hasMessageContaining("names no file");
        assertThatThrownBy(() -> SessionStores.open("redis://x"))
                .hasMessageStartingWith("sessions.store: unsupported url");
        assertThatThrownBy(() -> SessionStores.open("postgresql:///nohost")).hasMessageStartingWith("sessions.store:");
        assertThatThrownBy(() -> SessionStores.open(" ")).hasMessageStartingWith("sessions.store: missing url");
    }
}
