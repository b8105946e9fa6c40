package org.kelian.core.resource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who may see a resource once it is published. */
public enum Scope {
  NATIONAL,
  PROVINCE,
  CITY,
  COUNTY,
  SCHOOL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> parse(String s) {
    return Arrays.stream(values()).filter(t -> t.wire().equals(s)).findFirst();
  }
}
