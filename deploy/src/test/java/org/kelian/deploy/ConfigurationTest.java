package org.kelian.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

class ConfigurationTest {

  static final Path ROOT = Path.of(System.getProperty("kelian.repo.root", ".."));

  @Test
  void readmeReferenceListsExactlyTheSettingsOfTheCode() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("## Configuration");
    assertTrue(start >= 0, "README has a ## Configuration section");
    int end = readme.indexOf("\n## ", start + 5);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("^\\|\\s*`(KELIAN_[A-Z0-9_]+)`\\s*\\|\\s*`?([^|`]*)`?\\s*\\|\\s*([^|]*)\\|", Pattern.MULTILINE).matcher(section);
    Map<String, String> defaults = new java.util.HashMap<>();
    while (m.find()) {
      documented.add(m.group(1));
      defaults.put(m.group(1), m.group(3).strip());
    }
    Set<String> inCode = new TreeSet<>();
    for (Setting s : PlatformOptions.allSettings()) {
      inCode.add(s.env());
      String shown = defaults.get(s.env());
      if (shown != null) {
        String expected = s.defaultValue() == null ? "—" : "`" + s.defaultValue() + "`";
        assertEquals(expected, shown, "README default of " + s.env());
      }
    }
    assertEquals(inCode, documented, "README configuration table vs the settings in code");
  }

  @Test
  void environmentWinsOverYamlWhichWinsOverDefaults() throws Exception {
    Path yaml = Files.createTempFile("kelian", ".yaml");
    Files.writeString(yaml, "http:\n  port: 9090\n  host: 127.0.0.1\nmode: local\n");
    Config c = Config.load(yaml, Map.of("KELIAN_HTTP_PORT", "7070"));
    PlatformOptions o = PlatformOptions.from(c, Path.of("stack"));
    assertEquals(7070, o.http().port());
    assertEquals("127.0.0.1", o.http().host());
    assertEquals(12, o.auth().sessionTtl().toHours());
  }

  @Test
  void productionRefusesToStartAndNamesEverythingMissing() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PlatformOptions.from(Config.of(Map.of(), Map.of("KELIAN_MODE", "production")), Path.of("stack")));
    for (String name : new String[] {"KELIAN_PG_URL", "KELIAN_ES_URLS", "KELIAN_S3_ENDPOINT", "KELIAN_S3_ACCESS_KEY",
        "KELIAN_S3_SECRET_KEY", "KELIAN_ADMIN_PASSWORD", "KELIAN_SECURE_COOKIE"}) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void productionStartsWhenEverythingIsSet() {
    Map<String, String> env = Map.of("KELIAN_MODE", "production", "KELIAN_PG_URL", "postgresql://u:p@db/kelian",
        "KELIAN_ES_URLS", "https://es1:9200, https://es2:9200", "KELIAN_S3_ENDPOINT", "https://minio:9000",
        "KELIAN_S3_ACCESS_KEY", "a", "KELIAN_S3_SECRET_KEY", "b", "KELIAN_ADMIN_PASSWORD", "a-long-secret",
        "KELIAN_SECURE_COOKIE", "true");
    PlatformOptions o = PlatformOptions.from(Config.of(Map.of(), env), Path.of("stack"));
    assertEquals(Mode.PRODUCTION, o.mode());
    assertEquals(2, o.search().urls().size());
  }

  @Test
  void malformedValuesAreNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> PlatformOptions.from(Config.of(Map.of(), Map.of("KELIAN_HTTP_PORT", "eighty")), Path.of("stack")));
    assertTrue(e.getMessage().contains("KELIAN_HTTP_PORT"));
    assertThrows(ConfigException.class,
        () -> PlatformOptions.from(Config.of(Map.of(), Map.of("KELIAN_MODE", "dev")), Path.of("stack")));
  }
}
