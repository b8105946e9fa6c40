package org.kelian.core.auth;

import java.util.Optional;
import org.kelian.core.WireNames;

/** The four roles of the platform. Names are the API's words. */
public enum Role {
  RURAL_TEACHER,
  TEACHER,
  SCHOOL_ADMIN,
  DISTRICT_ADMIN;

  public String wire() {
    return WireNames.of(this);
  }

  public static Optional<Role> parse(String s) {
    return WireNames.parse(Role.class, s);
  }
}
