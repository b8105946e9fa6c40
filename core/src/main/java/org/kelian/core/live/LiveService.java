package org.kelian.core.live;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.OrgService;
import org.kelian.core.org.School;
import org.kelian.core.resource.Resource;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.upload.Upload;
import org.kelian.core.upload.UploadService;
import org.kelian.core.upload.UploadTap;
import org.kelian.core.schedule.ClassSession;
import org.kelian.core.schedule.ScheduleService;
import org.kelian.core.schedule.ScheduleStore;
import org.kelian.core.schedule.SessionRequest;

/**
 * The class room of a scheduled session: who may enter it and as what, the occurrence whose room is open now, the
 * room token, the start and end of the class (actual times on the occurrence, which the delivery report counts)
 * and the attendance of every classroom. The signaling itself lives in the media module.
 */
public final class LiveService {

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm");

  private final ScheduleService schedule;
  private final ScheduleStore sessions;
  private final OrgService org;
  private final LiveStore store;
  private final ResourceService resources;
  private final UploadService uploads;
  private final LiveFeed feed;
  /** Recording resources of open classes running on this node → their occurrence: their bytes feed the live stream. */
  private final java.util.Map<UUID, UUID> liveRecordings = new java.util.concurrent.ConcurrentHashMap<>();
  private final LiveOptions options;
  private final Clock clock;
  private LiveTokens tokens;

  public LiveService(ScheduleService schedule, ScheduleStore sessions, OrgService org, LiveStore store, ResourceService resources,
                     UploadService uploads, LiveFeed feed, LiveOptions options, Clock clock) {
    this.resources = resources;
    this.uploads = uploads;
    this.feed = feed;
    if (uploads != null) {
      uploads.tap(this::tap);
    }
    if (resources != null) {
      resources.replayAccess(this::mayReplay);
    }
    this.schedule = schedule;
    this.sessions = sessions;
    this.org = org;
    this.store = store;
    this.options = options;
    this.clock = clock;
  }

  /** Loads (or makes, on the first node ever) the key that signs room tokens. */
  public Future<Void> start() {
    return store.key("live-room-token").map(k -> {
      tokens = new LiveTokens(k);
      return null;
    });
  }

  public LiveOptions options() {
    return options;
  }

  public Instant now() {
    return clock.instant();
  }

  /** A token for the room of the session's occurrence that is open now, in the role this user has in it. */
  public Future<LiveTicket> join(User actor, UUID sessionId) {
    Instant now = clock.instant();
    return schedule.get(sessionId).compose(s -> {
      Seat seat = seat(actor, s);
      ClassSession.Occurrence o = openOccurrence(s, now);
      Future<School> school = seat.schoolId() == null ? Future.succeededFuture() : org.school(seat.schoolId());
      Future<Classroom> room = seat.classroomId() == null ? Future.succeededFuture() : org.classroom(seat.classroomId());
      return Future.all(school, room).map(v -> {
        String label = label(school.result(), room.result(), actor);
        LiveClaims claims = new LiveClaims(actor.id(), label, s.id(), o.id(), seat.role(), seat.schoolId(), seat.classroomId(),
            now.plusSeconds(options.tokenTtlSeconds()));
        return new LiveTicket(tokens.sign(claims), claims, s.title(), o.startsAt(), o.endsAt(), o.status(), options.meshLimit(),
            s.recording(), s.type());
      });
    });
  }

  /** Today's date at the schools, by this platform's clock. */
  public String today() {
    return clock.instant().atZone(ZONE).toLocalDate().toString();
  }

  /**
   * Today's classes as this user's "my classes today" lists them: a district admin, the county's; anyone else, their
   * school's (which holds what they lead and what their classrooms receive), or their own without a school.
   */
  public Future<List<ScheduleStore.CalendarEntry>> today(User actor) {
    String day = today();
    if (actor.has(Role.DISTRICT_ADMIN)) {
      return schedule.calendar(actor, day, day, null, null);
    }
    return actor.schoolId() != null ? schedule.calendar(actor, day, day, "school", actor.schoolId())
        : schedule.calendar(actor, day, day, "teacher", actor.id());
  }

  /**
   * The occurrence whose live stream this user may watch now (anyone who may enter the room): the one open now, or
   * one that ended in the last hour (its stream's end, for players still following it); else 403/409.
   */
  public Future<UUID> watchable(User actor, UUID sessionId) {
    Instant now = clock.instant();
    return schedule.get(sessionId).map(s -> {
      seat(actor, s);
      try {
        return openOccurrence(s, now).id();
      } catch (KelianException closed) {
        return s.occurrences().stream()
            .filter(o -> "ended".equals(o.status()) && o.actualEnd() != null && !now.isAfter(o.actualEnd().toInstant().plus(Duration.ofHours(1))))
            .max(Comparator.comparing(ClassSession.Occurrence::startsAt)).map(ClassSession.Occurrence::id).orElseThrow(() -> closed);
      }
    });
  }

  /** The claims of a genuine, unexpired room token (401 otherwise). */
  public LiveClaims verify(String token) {
    return tokens.verify(token, clock.instant());
  }

  /** scheduled, live, ended or cancelled (null when the occurrence is gone). */
  public Future<String> status(UUID occurrenceId) {
    return store.occurrenceStatus(occurrenceId);
  }

  /** The lead starts the class: live, with its actual start now. Starting a class already live changes nothing. */
  public Future<String> startClass(LiveClaims lead) {
    requireLead(lead);
    return sessions.status(lead.sessionId(), lead.occurrenceId(), "live", List.of("scheduled"), clock.instant().atOffset(ZoneOffset.UTC), null)
        .compose(changed -> store.occurrenceStatus(lead.occurrenceId()));
  }

  /**
   * The lead ends the class: ended, with its actual end now (and its actual start, if it was never marked live).
   * Recordings whose page did not finish them (a crash, a closed lid) end at the bytes that arrived.
   */
  public Future<String> endClass(LiveClaims lead) {
    requireLead(lead);
    return sessions.status(lead.sessionId(), lead.occurrenceId(), "ended", List.of("scheduled", "live"), null,
        clock.instant().atOffset(ZoneOffset.UTC))
        .onSuccess(changed -> {
          feed.end(lead.occurrenceId());
          liveRecordings.values().removeIf(lead.occurrenceId()::equals);
        })
        .compose(changed -> store.recordings(lead.occurrenceId()))
        .compose(recordings -> uploads.endDeferred(recordings).otherwiseEmpty())
        .compose(x -> store.occurrenceStatus(lead.occurrenceId()));
  }

  /**
   * The lead teacher's page starts recording the class that is open now: a {@code recording} resource, a draft of
   * the lead teacher on the session's catalog lesson, which the page then fills by tus while the class runs (its
   * length declared at the end). Each call makes a new one (a page that reloaded records on in a second file).
   */
  public Future<Resource> startRecording(User actor, UUID sessionId) {
    Instant now = clock.instant();
    return schedule.get(sessionId).compose(s -> {
      if (!actor.id().equals(s.leadTeacherId())) {
        throw new KelianException(ErrorKind.FORBIDDEN, "lead_only", "只有主讲教师可以录制本节课", "Only the lead teacher records this class");
      }
      if (!s.recording()) {
        throw KelianException.conflict("recording_off", "这节课设置为不录制", "This session is set not to be recorded");
      }
      ClassSession.Occurrence o = openOccurrence(s, now);
      String day = o.startsAt().toInstant().atZone(ZONE).toLocalDate().toString();
      List<String> nodes = s.catalogNodeId() == null ? List.of() : List.of(s.catalogNodeId().toString());
      List<String> tags = new java.util.ArrayList<>(List.of("课堂实录"));
      if (s.subject() != null) {
        tags.add(s.subject());
      }
      if (s.grade() != null) {
        tags.add(s.grade());
      }
      ResourceService.NewResource req = new ResourceService.NewResource("课堂实录：" + s.title() + "（" + day + "）", "recording", nodes,
          "录制于 " + day + " 的直播课堂", tags, null);
      return resources.createUnfiled(actor, req).compose(r -> store.recorded(r.id(), o.id(), s.id(), actor.id()).map(x -> {
        if (OPEN_CLASS.equals(s.type())) {
          // an open class's viewers beyond the mesh watch this recording live, as it arrives
          liveRecordings.put(r.id(), o.id());
        }
        return r;
      }));
    });
  }

  /**
   * The session's replay setting: off, nobody beyond the owner, admins and the published library; participants,
   * the lead and the receiving classrooms; logged_in or public, anyone signed in (the platform has no anonymous
   * viewers).
   */
  private Future<Boolean> mayReplay(User actor, Resource recording) {
    return store.sessionOf(recording.id()).compose(session -> session.isEmpty() ? Future.succeededFuture(false)
        : schedule.get(session.get()).map(s -> {
          if (!s.replay()) {
            return false;
          }
          if (!"participants".equals(s.replayAudience())) {
            return true;
          }
          try {
            return seat(actor, s).role() != LiveRole.OBSERVER;
          } catch (KelianException notOne) {
            return false;
          }
        }));
  }

  private io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> tap(Upload u,
                                                                             io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> body) {
    UUID occurrence = liveRecordings.get(u.resourceId());
    return occurrence == null ? body : UploadTap.watching(body, u.offset(), (buf, offset) -> feed.bytes(occurrence, offset, buf));
  }

  /**
   * A recording the media server makes (Kurento mode): the recording resource as the lead's page would make it, and
   * a tus upload of deferred length that the server's POST feeds. The lead teacher owns both.
   */
  public Future<Upload> startServerRecording(User lead, UUID sessionId) {
    return startRecording(lead, sessionId).compose(r -> uploads.create(lead, r.id(), "class-recording.webm", Upload.DEFERRED));
  }

  /** The capability in the address a media server posts a recording to (every node can check it). */
  public String recordingTag(UUID uploadId, UUID ownerId) {
    return tokens.tag("recording", uploadId + ":" + ownerId);
  }

  public boolean recordingTagMatches(UUID uploadId, UUID ownerId, String tag) {
    return tokens.tagMatches("recording", uploadId + ":" + ownerId, tag);
  }

  /** An open class (名校网络课堂) whose viewers beyond the mesh watch a live stream. */
  public static final String OPEN_CLASS = "open_school";

  public Future<UUID> joined(LiveClaims c) {
    return store.joined(c, clock.instant());
  }

  public Future<Void> left(UUID attendanceId) {
    return store.left(attendanceId, clock.instant());
  }

  /** Left at {@code at} (a classroom whose connection dropped then and that did not come back). */
  public Future<Void> left(UUID attendanceId, Instant at) {
    return store.left(attendanceId, at);
  }

  /** Every join and leave of an occurrence's room, for admins and the session's lead teacher. */
  public Future<List<LiveStore.Attendance>> attendance(User actor, UUID sessionId, UUID occurrenceId) {
    return schedule.get(sessionId).compose(s -> {
      boolean mayRead = actor.has(Role.DISTRICT_ADMIN) || actor.id().equals(s.leadTeacherId())
          || (actor.has(Role.SCHOOL_ADMIN) && actor.schoolId() != null && (actor.schoolId().equals(s.leadSchoolId())
          || s.receivers().stream().anyMatch(r -> actor.schoolId().equals(r.schoolId()))));
      if (!mayRead) {
        throw KelianException.forbidden();
      }
      if (s.occurrences().stream().noneMatch(o -> o.id().equals(occurrenceId))) {
        throw KelianException.notFound("occurrence_not_found", "课次不存在", "Occurrence not found");
      }
      return store.attendance(occurrenceId);
    });
  }

  private static void requireLead(LiveClaims c) {
    if (c.role() != LiveRole.LEAD) {
      throw new KelianException(ErrorKind.FORBIDDEN, "lead_only", "只有主讲教室可以开始、结束课堂或请人离开",
          "Only the lead classroom starts or ends the class or removes a participant");
    }
  }

  /** Where this user sits in the session's room, or 403. */
  record Seat(LiveRole role, UUID schoolId, UUID classroomId) {
  }

  static Seat seat(User actor, ClassSession s) {
    if (actor.id().equals(s.leadTeacherId())) {
      return new Seat(LiveRole.LEAD, s.leadSchoolId(), s.leadClassroomId());
    }
    Optional<SessionRequest.Receiver> mine = s.receivers().stream().filter(r -> actor.id().equals(r.teacherId())).findFirst();
    if (mine.isEmpty() && actor.schoolId() != null && !actor.has(Role.DISTRICT_ADMIN)) {
      // the classroom PC of a receiving school is signed in with one of its accounts
      mine = s.receivers().stream().filter(r -> actor.schoolId().equals(r.schoolId())).findFirst();
    }
    if (mine.isPresent()) {
      return new Seat(LiveRole.RECEIVER, mine.get().schoolId(), mine.get().classroomId());
    }
    boolean supervises = actor.has(Role.DISTRICT_ADMIN) || (actor.has(Role.SCHOOL_ADMIN) && s.leadSchoolId().equals(actor.schoolId()));
    boolean openToViewers = !"participants".equals(s.liveAudience());
    if (supervises || openToViewers) {
      return new Seat(LiveRole.OBSERVER, actor.schoolId(), null);
    }
    throw new KelianException(ErrorKind.FORBIDDEN, "not_a_participant",
        "您不是这节课的主讲或接收教室，也没有巡课权限", "You are not the lead or a receiving classroom of this class, nor may you observe it");
  }

  /** The occurrence whose room is open at {@code now}: live, or scheduled and within its opening window. */
  ClassSession.Occurrence openOccurrence(ClassSession s, Instant now) {
    Duration early = Duration.ofMinutes(options.openBeforeMinutes());
    Optional<ClassSession.Occurrence> live = s.occurrences().stream().filter(o -> "live".equals(o.status())).findFirst();
    if (live.isPresent()) {
      return live.get();
    }
    Optional<ClassSession.Occurrence> open = s.occurrences().stream()
        .filter(o -> "scheduled".equals(o.status()) && !now.isBefore(o.startsAt().toInstant().minus(early)) && now.isBefore(o.endsAt().toInstant()))
        .min(Comparator.comparing(ClassSession.Occurrence::startsAt));
    if (open.isPresent()) {
      return open.get();
    }
    Optional<ClassSession.Occurrence> next = s.occurrences().stream()
        .filter(o -> "scheduled".equals(o.status()) && o.startsAt().toInstant().isAfter(now))
        .min(Comparator.comparing(ClassSession.Occurrence::startsAt));
    if (next.isPresent()) {
      String at = next.get().startsAt().toInstant().minus(early).atZone(ZONE).format(WHEN);
      throw KelianException.conflict("room_not_open", "课堂尚未开放，将于 " + at + " 开放（开课前 " + options.openBeforeMinutes() + " 分钟）",
          "The class room is not open yet: it opens at " + at + " (Beijing time), " + options.openBeforeMinutes() + " minutes before the class");
    }
    throw KelianException.conflict("no_open_class", "这门课现在没有可进入的课次（已结束或已取消）",
        "This session has no class to enter now (it has ended or was cancelled)");
  }

  private static String label(School school, Classroom room, User actor) {
    String who = actor.displayName() == null || actor.displayName().isBlank() ? actor.username() : actor.displayName();
    StringBuilder b = new StringBuilder();
    if (school != null) {
      b.append(school.name());
    }
    if (room != null) {
      b.append(b.length() > 0 ? " " : "").append(room.name());
    }
    return b.length() == 0 ? who : b + " · " + who;
  }
}
