package org.kelian.core.schedule.auto;

import java.util.UUID;

/**
 * One way to hold one period of demand: a teacher of the subject, from a recording or interactive classroom of
 * their own school, at a weekly time that lies inside a period of both schools' bell schedules. Times are minutes
 * from Monday 00:00, so that one number orders and overlaps them across the week.
 *
 * @param paired whether the teacher's school and the receiving school are paired (城乡结对), not only allied
 * @param maxLoad the teacher's weekly limit of cross-school periods
 */
public record Option(UUID teacherId, UUID classroomId, UUID leadSchoolId, int start, int end, boolean paired, int maxLoad) {

  public int weekday() {
    return start / AutoSchedulePlan.DAY + 1;
  }

  boolean overlaps(Option o) {
    return start < o.end && o.start < end;
  }
}
