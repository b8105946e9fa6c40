package org.kelian.core.config;

/**
 * One configuration setting: an environment variable, the matching key in the YAML file, a default
 * ({@code null} when there is none) and a line of documentation. The README's configuration reference is
 * tested against the full list of these.
 */
public record Setting(String env, String key, String defaultValue, String description) {

  public Setting {
    if (!env.startsWith("KELIAN_")) {
      throw new IllegalArgumentException("environment variables start with KELIAN_: " + env);
    }
  }

  public static Setting of(String env, String key, String defaultValue, String description) {
    return new Setting(env, key, defaultValue, description);
  }
}
