package org.kelian.core.resource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Curation: draft → submitted → published, or → rejected (with a reason) and back to submitted after a fix. */
public enum ResourceStatus {
  DRAFT,
  SUBMITTED,
  PUBLISHED,
  REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ResourceStatus> parse(String s) {
    return Arrays.stream(values()).filter(t -> t.wire().equals(s)).findFirst();
  }
}
