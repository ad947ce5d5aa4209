package dev.portcullis.cedar.eval;

import org.junit.jupiter.api.Test;

class OracleProbeTest {
    @Test
    void probe() throws Exception {
        for (String e : java.nio.file.Files.readAllLines(
                java.nio.file.Path.of(System.getProperty("probe.file", "/tmp/probe.txt")))) {
            if (!e.isBlank()) System.out.println("PROBE " + Oracle.eval(e) + "\t" + e);
        }
    }
}
