package org.kelian.core.schedule;

import java.util.List;
import java.util.UUID;

/**
 * A class session as an admin asks for it: the lead side, the receiving sides, when (a date with start and end,
 * or a date and a period of the lead school's bell schedule), whether it repeats weekly through a term, the media
 * switches, who may watch, and the reasons for overriding the bell-schedule or pairing rules.
 */
public record SessionRequest(String type, String title, UUID leadSchoolId, UUID leadClassroomId, UUID leadTeacherId, UUID leadClassId,
                             String subject, String grade, UUID catalogNodeId, String date, String start, String end, Integer period,
                             UUID termId, boolean weekly, List<Receiver> receivers, Boolean live, Boolean recording, Boolean replay,
                             String liveAudience, String replayAudience, String bellOverride, String pairingOverride) {

  /** A receiving side; {@code confirmedAt} is when its school confirmed the session (null until then, and in requests). */
  public record Receiver(UUID schoolId, UUID classroomId, UUID classId, UUID teacherId, java.time.OffsetDateTime confirmedAt) {

    public Receiver(UUID schoolId, UUID classroomId, UUID classId, UUID teacherId) {
      this(schoolId, classroomId, classId, teacherId, null);
    }
  }
}
