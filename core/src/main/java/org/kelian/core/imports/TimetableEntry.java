package org.kelian.core.imports;

import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.util.Objects;
import java.util.UUID;

/**
 * One lesson of a school's own timetable in a term: a class (班级) has a subject with a teacher, maybe in a given
 * room, every week on that weekday and period. starts/ends are the period's times when it was imported.
 */
public record TimetableEntry(UUID id, UUID schoolId, UUID termId, int weekday, int period, LocalTime starts, LocalTime ends,
                             String subject, UUID teacherId, UUID classId, UUID classroomId) {

  /** The same lesson, whatever its id. */
  boolean sameAs(TimetableEntry o) {
    return weekday == o.weekday && period == o.period && starts.equals(o.starts) && ends.equals(o.ends) && subject.equals(o.subject)
        && Objects.equals(teacherId, o.teacherId) && Objects.equals(classId, o.classId) && Objects.equals(classroomId, o.classroomId);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("schoolId", schoolId.toString()).put("termId", termId.toString())
        .put("weekday", weekday).put("period", period).put("starts", starts.toString()).put("ends", ends.toString())
        .put("subject", subject).put("teacherId", str(teacherId)).put("classId", str(classId)).put("classroomId", str(classroomId));
  }

  private static String str(UUID id) {
    return id == null ? null : id.toString();
  }
}
