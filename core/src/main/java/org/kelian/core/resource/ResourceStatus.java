package org.kelian.core.resource;

import java.util.Optional;
import org.kelian.core.WireNames;

/** Curation: draft → submitted → published, or → rejected (with a reason) and back to submitted after a fix. */
public enum ResourceStatus {
  DRAFT,
  SUBMITTED,
  PUBLISHED,
  REJECTED;

  public String wire() {
    return WireNames.of(this);
  }

  public static Optional<ResourceStatus> parse(String s) {
    return WireNames.parse(ResourceStatus.class, s);
  }
}
