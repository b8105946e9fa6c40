package org.kelian.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  static final Setting PORT = Setting.of("KELIAN_T_PORT", "http.port", "8080", "port");

  @Test
  void environmentThenYamlThenDefault() throws Exception {
    Path yaml = Files.createTempFile("cfg", ".yaml");
    Files.writeString(yaml, "http:\n  port: 9000\n");
    assertEquals(9000, Config.load(yaml, Map.of()).getInt(PORT));
    assertEquals(7000, Config.load(yaml, Map.of("KELIAN_T_PORT", "7000")).getInt(PORT));
    assertEquals(8080, Config.load(Path.of("/nonexistent.yaml"), Map.of()).getInt(PORT));
  }

  @Test
  void brokenYamlIsNamed() throws Exception {
    Path yaml = Files.createTempFile("cfg", ".yaml");
    Files.writeString(yaml, "http: [unclosed\n");
    assertThrows(Config.ConfigException.class, () -> Config.load(yaml, Map.of()));
    Files.writeString(yaml, "- a list\n");
    assertThrows(Config.ConfigException.class, () -> Config.load(yaml, Map.of()));
  }
}
