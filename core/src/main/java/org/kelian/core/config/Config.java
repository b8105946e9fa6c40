package org.kelian.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Raw configuration values: environment variables win over the YAML file, which wins over defaults.
 * The YAML file is nested ({@code http: {port: 8080}}); its keys are flattened to {@code http.port}.
 */
public final class Config {

  private final Map<String, String> yaml;
  private final Map<String, String> env;

  private Config(Map<String, String> yaml, Map<String, String> env) {
    this.yaml = yaml;
    this.env = env;
  }

  public static Config of(Map<String, String> yaml, Map<String, String> env) {
    return new Config(Map.copyOf(yaml), Map.copyOf(env));
  }

  /** Reads the YAML file when it exists; a missing file means "defaults and environment only". */
  public static Config load(Path yamlFile, Map<String, String> env) {
    Map<String, String> flat = new HashMap<>();
    if (yamlFile != null && Files.isRegularFile(yamlFile)) {
      try (Reader reader = Files.newBufferedReader(yamlFile, StandardCharsets.UTF_8)) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        if (root != null && !(root instanceof Map)) {
          throw new ConfigException(yamlFile + ": the top level must be a mapping of settings");
        }
        flatten("", root, flat);
      } catch (IOException e) {
        throw new ConfigException("cannot read " + yamlFile + ": " + e.getMessage());
      } catch (RuntimeException e) {
        if (e instanceof ConfigException) {
          throw e;
        }
        throw new ConfigException(yamlFile + " is not valid YAML: " + e.getMessage());
      }
    }
    return of(flat, env);
  }

  private static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (value != null) {
      out.put(prefix, String.valueOf(value));
    }
  }

  public Optional<String> find(Setting s) {
    String v = env.get(s.env());
    if (v == null || v.isBlank()) {
      v = yaml.get(s.key());
    }
    if (v == null || v.isBlank()) {
      v = s.defaultValue();
    }
    return Optional.ofNullable(v).map(String::trim).filter(x -> !x.isEmpty());
  }

  public String get(Setting s) {
    return find(s).orElse(null);
  }

  public String require(Setting s) {
    return find(s).orElseThrow(() -> new ConfigException(s.env() + " (" + s.key() + ") is required: " + s.description()));
  }

  public int getInt(Setting s) {
    String v = require(s);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(s.env() + " must be a whole number, got '" + v + "'");
    }
  }

  public long getLong(Setting s) {
    String v = require(s);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(s.env() + " must be a whole number, got '" + v + "'");
    }
  }

  public boolean getBoolean(Setting s) {
    String v = require(s).toLowerCase();
    return switch (v) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(s.env() + " must be true or false, got '" + v + "'");
    };
  }

  public Duration getSeconds(Setting s) {
    return Duration.ofSeconds(getLong(s));
  }

  public Path getPath(Setting s) {
    return Path.of(require(s));
  }

  /** Thrown for a setting that is missing or malformed; its message names the variable to fix. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
