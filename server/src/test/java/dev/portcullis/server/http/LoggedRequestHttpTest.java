package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.server.http.AgentServer.Res;
import org.junit.jupiter.api.Test;

/**
 * What the decision log keeps as the request of an AuthZEN evaluation: the body as received, or,
 * when the body may carry a session token, the body without {@code context.session_token}.
 */
class LoggedRequestHttpTest extends AgentHttpTest {
    @Test
    void anEvaluation_isLoggedAsTheBodyItCameAs() {
        String body = "{\"subject\": {\"type\": \"user\", \"id\": \"alice\"},  \"action\": {\"name\": \"read\"},"
                + " \"resource\": {\"type\": \"document\", \"id\": \"logged-as-received\"}, \"context\": {\"n\": 1}}";
        assertThat(s.call("POST", "/access/v1/evaluation", body, "Authorization", AgentServer.GATEWAY)
                        .status())
                .isEqualTo(200);

        JsonNode entry = onlyEntryFor("logged-as-received");
        assertThat(entry.path("request").toString())
                .isEqualTo("{\"subject\":{\"type\":\"user\",\"id\":\"alice\"},\"action\":{\"name\":\"read\"},"
                        + "\"resource\":{\"type\":\"document\",\"id\":\"logged-as-received\"},\"context\":{\"n\":1}}");
    }

    @Test
    void aSessionToken_neverReachesTheLog_inWhateverFormItComes() {
        String token =
                s.session(s.agentToken("mailbot"), "{}").path("session_token").asText();
        String[] bodies = {
            // plain
            "{\"subject\":{\"type\":\"agent\",\"id\":\"mailbot\"},\"action\":{\"name\":\"read\"},"
                    + "\"resource\":{\"type\":\"document\",\"id\":\"tok-1\"},\"context\":{\"session_token\":\"" + token
                    + "\",\"k\":\"v\"}}",
            // the key spelled with an escape
            "{\"subject\":{\"type\":\"agent\",\"id\":\"mailbot\"},\"action\":{\"name\":\"read\"},"
                    + "\"resource\":{\"type\":\"document\",\"id\":\"tok-2\"},\"context\":{\"session_\\u0074oken\":\""
                    + token
                    + "\"}}",
            // a second context that the parsed body does not show
            "{\"subject\":{\"type\":\"agent\",\"id\":\"mailbot\"},\"action\":{\"name\":\"read\"},"
                    + "\"resource\":{\"type\":\"document\",\"id\":\"tok-3\"},\"context\":{\"session_token\":\"" + token
                    + "\"},\"context\":{}}",
        };
        for (int i = 0; i < bodies.length; i++) {
            Res r = s.call("POST", "/access/v1/evaluation", bodies[i], "Authorization", AgentServer.GATEWAY);
            assertThat(r.status()).as(bodies[i]).isIn(200, 400);
        }
        Res log = s.call("GET", "/v1/decisions?limit=1000", null, "Authorization", AgentServer.ADMIN);
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body().toString()).doesNotContain(token).doesNotContain(token.substring(4));
        JsonNode first = onlyEntryFor("tok-1");
        assertThat(first.path("request").path("context").path("k").asText()).isEqualTo("v");
        assertThat(first.path("request").path("context").has("session_token")).isFalse();
        assertThat(first.path("session_id").asText()).startsWith("ses_");
    }

    private JsonNode onlyEntryFor(String resourceId) {
        Res log = s.call("GET", "/v1/decisions?limit=1000", null, "Authorization", AgentServer.ADMIN);
        JsonNode found = null;
        for (JsonNode d : log.body().path("decisions")) {
            if (d.path("resource").asText().contains("\"" + resourceId + "\"")) {
                assertThat(found).as("one entry for %s", resourceId).isNull();
                found = d;
            }
        }
        assertThat(found).as("an entry for %s", resourceId).isNotNull();
        return found;
    }
}
