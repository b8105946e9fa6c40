package org.kelian.core.coverage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The admins' headline number: per volume and unit, how many lessons (or units, where a book lists no lessons)
 * have at least one published resource, overall and per type, and which have none.
 */
public record Coverage(String type, List<Volume> volumes) {

  public record Volume(UUID id, String path, int lessons, int covered, Map<String, Integer> coveredByType, List<Unit> units) {
    public double percent() {
      return Coverage.percent(covered, lessons);
    }
  }

  public record Unit(UUID id, String title, int lessons, int covered, Map<String, Integer> coveredByType, List<Lesson> missing) {
    public double percent() {
      return Coverage.percent(covered, lessons);
    }
  }

  public record Lesson(UUID id, String title) {
  }

  static double percent(int covered, int total) {
    return total == 0 ? 0 : Math.round(covered * 1000.0 / total) / 10.0;
  }
}
