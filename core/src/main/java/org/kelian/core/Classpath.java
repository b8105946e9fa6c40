package org.kelian.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Text files shipped inside the jars (schema scripts, the OpenAPI document, index definitions, seed data). */
public final class Classpath {

  private Classpath() {
  }

  /** The UTF-8 text of a classpath resource, or empty when there is none of that name. */
  public static Optional<String> find(String name) {
    try (InputStream in = Classpath.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** The UTF-8 text of a classpath resource the build always ships; its absence is a packaging error. */
  public static String text(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException(name + " is missing from the classpath"));
  }
}
