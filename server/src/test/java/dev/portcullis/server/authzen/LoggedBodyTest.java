package dev.portcullis.server.authzen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuthZenApi#loggedBody}: the evaluation body the decision log keeps. */
class LoggedBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String logged(String text) throws Exception {
        JsonNode body = JSON.readTree(text);
        return AuthZenApi.loggedBody(body, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBodyWithoutSessionToken_isKeptByteForByte() throws Exception {
        String text = "{ \"subject\" : {\"type\":\"user\",\"id\":\"é\"},\n\"action\":{\"name\":\"read\"},"
                + "\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}";
        assertThat(logged(text)).isEqualTo(text);
    }

    @Test
    void theSessionToken_isRemoved_howeverTheBodySpellsIt() throws Exception {
        assertThat(logged("{\"subject\":{},\"context\":{\"session_token\":\"pst_secret\",\"k\":1}}"))
                .isEqualTo("{\"subject\":{},\"context\":{\"k\":1}}");
        assertThat(logged("{\"context\":{\"session_\\u0074oken\":\"pst_secret\"}}"))
                .isEqualTo("{\"context\":{}}");
        // duplicate keys: the parsed body keeps the last context only
        assertThat(logged("{\"context\":{\"session_token\":\"pst_secret\"},\"context\":{}}"))
                .doesNotContain("pst_secret");
        // an escape anywhere sends the body through the parsed tree (which has no token here)
        assertThat(logged("{\"context\":{\"note\":\"a\\\"b\"}}")).isEqualTo("{\"context\":{\"note\":\"a\\\"b\"}}");
    }

    @Test
    void mayHoldSessionToken_findsTheKeyOrABackslashAnywhere() {
        for (String yes : List.of(
                "session_token",
                "{\"session_token\":1}",
                "xxsession_token",
                "a\\b",
                "\\",
                "session_tokensession_toke")) {
            assertThat(AuthZenApi.mayHoldSessionToken(yes)).as(yes).isTrue();
        }
        for (String no : List.of("", "s", "session_toke", "{\"session\":\"token\"}", "ssssession_tokem", "é")) {
            assertThat(AuthZenApi.mayHoldSessionToken(no)).as(no).isFalse();
        }
    }
}
