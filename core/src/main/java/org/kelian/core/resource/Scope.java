package org.kelian.core.resource;

import java.util.Optional;
import org.kelian.core.WireNames;

/** Who may see a resource once it is published. */
public enum Scope {
  NATIONAL,
  PROVINCE,
  CITY,
  COUNTY,
  SCHOOL;

  public String wire() {
    return WireNames.of(this);
  }

  public static Optional<Scope> parse(String s) {
    return WireNames.parse(Scope.class, s);
  }
}
