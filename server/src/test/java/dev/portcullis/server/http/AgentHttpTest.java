package dev.portcullis.server.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One {@link AgentServer} for all the tests of a class (they keep out of each other's sessions). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgentHttpTest {
    AgentServer s;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        s = new AgentServer(dir, "");
    }

    @AfterAll
    void stop() {
        if (s != null) {
            s.close();
        }
    }
}
