package org.kelian.core.search;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hits with facets. {@code highlight} is HTML-escaped text in which only {@code <em>} marks the matches, so a
 * page may insert it as HTML; {@code catalogPath} is the best-matching path joined with " / ".
 */
public record SearchResult(long total, List<Hit> hits, Map<String, List<FacetValue>> facets) {

  /**
   * {@code captioned}: the resource has captions, so a moment may be found in them; {@code moment}: where in a video
   * its captions say what was searched for, or null.
   */
  public record Hit(UUID id, String title, String type, String catalogPath, String highlight, boolean captioned, Moment moment) {

    public Hit withMoment(Moment m) {
      return new Hit(id, title, type, catalogPath, highlight, captioned, m);
    }
  }

  /** A caption cue that matched: its start and its words. */
  public record Moment(double seconds, String text) {
  }

  public record FacetValue(String value, long count) {
  }
}
