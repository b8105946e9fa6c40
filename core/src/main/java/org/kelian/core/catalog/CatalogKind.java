package org.kelian.core.catalog;

import java.util.Optional;
import org.kelian.core.WireNames;

/**
 * The levels of the textbook-aligned catalog, top down. Below a lesson, sections may nest (a 古诗三首 lesson's
 * poems, a chapter's sections, class hours).
 */
public enum CatalogKind {
  STAGE,
  SUBJECT,
  EDITION,
  GRADE,
  VOLUME,
  UNIT,
  LESSON,
  SECTION;

  public String wire() {
    return WireNames.of(this);
  }

  public static Optional<CatalogKind> parse(String s) {
    return WireNames.parse(CatalogKind.class, s);
  }

  /** The kind a child of this kind has; sections nest. */
  public CatalogKind childKind() {
    return this == SECTION ? SECTION : values()[ordinal() + 1];
  }

  /** Kinds follow depth: the node at depth d (1 = stage) has kind d, and everything below a lesson is a section. */
  public static CatalogKind atDepth(int depth) {
    return values()[Math.min(depth, values().length) - 1];
  }
}
