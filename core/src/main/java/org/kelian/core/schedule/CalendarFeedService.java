package org.kelian.core.schedule;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.Secrets;
import org.kelian.core.auth.User;
import org.kelian.core.auth.UserStore;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.org.OrgService;

/**
 * iCalendar feeds per teacher and per classroom. A feed is a secret URL: calendar apps (Outlook, Google, Apple)
 * fetch it without logging in, so the secret is the credential, and it is revoked rather than changed. A teacher
 * makes one for themselves, a school admin for the teachers and classrooms of their school, a district admin for
 * any. A feed shows every session of its teacher or classroom, leading or receiving, with an occurrence from 60
 * days back to 400 days ahead; a weekly session is shown whole, as one recurring event (see {@link SessionEvents}).
 */
public final class CalendarFeedService {

  private static final Set<String> KINDS = Set.of("teacher", "classroom");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  static final Duration BACK = Duration.ofDays(60);
  static final Duration AHEAD = Duration.ofDays(400);
  private static final int MAX_SESSIONS = 1000;

  private final CalendarFeedStore store;
  private final OrgService org;
  private final UserStore users;

  public CalendarFeedService(CalendarFeedStore store, OrgService org, UserStore users) {
    this.store = store;
    this.org = org;
    this.users = users;
  }

  /** A new feed and the secret of its URL, which is never shown again. */
  public record Created(CalendarFeed feed, String token) {
    public String path() {
      return CalendarFeed.path(token);
    }
  }

  public Future<Created> create(User actor, String kind, String resourceId) {
    if (kind == null || !KINDS.contains(kind)) {
      throw KelianException.invalid("invalid_kind", "日历订阅的类型应为 teacher 或 classroom", "A calendar feed's kind is teacher or classroom");
    }
    UUID id = Validate.uuid(resourceId, "id");
    return permitted(actor, kind, id).compose(x -> {
      String token = Secrets.newSecret(32);
      return store.insert(UUID.randomUUID(), kind, id, token, actor.id()).map(feed -> new Created(feed, token));
    });
  }

  /** The caller's live feeds (their secrets are not stored, so not shown). */
  public Future<List<CalendarFeed>> mine(User actor) {
    return store.byCreator(actor.id());
  }

  /** Revokes a feed: its URL answers 404 from now on. Its maker or a district admin may. */
  public Future<Void> revoke(User actor, UUID id) {
    return store.find(id).compose(found -> {
      CalendarFeed feed = found.orElseThrow(CalendarFeedService::feedNotFound);
      if (!feed.createdBy().equals(actor.id()) && !actor.has(Role.DISTRICT_ADMIN)) {
        throw KelianException.forbidden();
      }
      return store.revoke(id).mapEmpty();
    });
  }

  /** The iCalendar document of the feed whose secret is {@code token}; 404 for an unknown or revoked one. */
  public Future<String> render(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Future.failedFuture(feedNotFound());
    }
    return store.byToken(token).compose(found -> {
      CalendarFeed feed = found.orElseThrow(CalendarFeedService::feedNotFound);
      Instant now = Instant.now();
      OffsetDateTime from = now.minus(BACK).atOffset(ZoneOffset.UTC);
      OffsetDateTime to = now.plus(AHEAD).atOffset(ZoneOffset.UTC);
      return name(feed).compose(name -> store.sessions(feed.kind(), feed.resourceId(), from, to, MAX_SESSIONS)
          .map(sessions -> ICalendar.write(name, SessionEvents.of(sessions, feed.kind(), feed.resourceId()), now)));
    });
  }

  private Future<Void> permitted(User actor, String kind, UUID id) {
    if (kind.equals("teacher")) {
      return users.findById(id).map(found -> {
        User teacher = found.orElseThrow(() -> KelianException.notFound("teacher_not_found", "教师不存在", "Teacher not found"));
        boolean ok = actor.id().equals(id) || actor.has(Role.DISTRICT_ADMIN)
            || actor.has(Role.SCHOOL_ADMIN) && teacher.schoolId() != null && teacher.schoolId().equals(actor.schoolId());
        if (!ok) {
          throw KelianException.forbidden();
        }
        return null;
      });
    }
    return org.classroom(id).map(room -> {
      if (!actor.has(Role.DISTRICT_ADMIN) && !(actor.has(Role.SCHOOL_ADMIN) && room.schoolId().equals(actor.schoolId()))) {
        throw KelianException.forbidden();
      }
      return null;
    });
  }

  /** The calendar's name in the subscriber's list: 课联课表 and whose it is. */
  private Future<String> name(CalendarFeed feed) {
    if (feed.kind().equals("teacher")) {
      return users.findById(feed.resourceId()).map(u -> "课联课表 · " + u.map(User::displayName).orElse("教师"));
    }
    return org.classroom(feed.resourceId()).compose(room -> org.school(room.schoolId())
        .map(school -> "课联课表 · " + school.name() + " " + room.name()));
  }


  private static KelianException feedNotFound() {
    return KelianException.notFound("calendar_feed_not_found", "日历订阅不存在或已被撤销", "No such calendar feed, or it was revoked");
  }
}
