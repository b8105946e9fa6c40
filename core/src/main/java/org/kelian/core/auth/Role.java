package org.kelian.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The four roles of the platform. Names are the API's words. */
public enum Role {
  RURAL_TEACHER,
  TEACHER,
  SCHOOL_ADMIN,
  DISTRICT_ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String s) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(s)).findFirst();
  }
}
