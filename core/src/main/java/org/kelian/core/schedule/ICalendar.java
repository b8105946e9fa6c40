package org.kelian.core.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes an iCalendar document (RFC 5545) that Outlook, Google and Apple calendars subscribe to: CRLF line ends,
 * lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped, one VTIMEZONE for
 * Asia/Shanghai and every local time given with its TZID. Written by hand rather than with a library: the subset a
 * published schedule needs is small, and a writer we own keeps the output byte-stable for the clients' caches.
 */
public final class ICalendar {

  static final String PRODID = "-//Kelian//Kelian Schedule 1.0//ZH";
  private static final String TZID = Conflicts.ZONE.getId();
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final int LINE_OCTETS = 75;

  private ICalendar() {
  }

  /**
   * One VEVENT. {@code until} makes it the master of a weekly series (RRULE:FREQ=WEEKLY;UNTIL) with {@code exdates}
   * taken out; {@code recurrenceId} makes it the override of one instance of the series with the same UID.
   */
  public record Event(String uid, ZonedDateTime start, ZonedDateTime end, Instant until, List<ZonedDateTime> exdates,
                      ZonedDateTime recurrenceId, String summary, String location, String description, int sequence,
                      Instant lastModified, boolean cancelled) {

    public Event {
      exdates = exdates == null ? List.of() : List.copyOf(exdates);
    }
  }

  /** The whole document: a calendar named {@code name}, its events, stamped {@code stamp} (DTSTAMP, in UTC). */
  public static String write(String name, List<Event> events, Instant stamp) {
    StringBuilder out = new StringBuilder(256 + events.size() * 512);
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:" + PRODID);
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    line(out, "X-WR-CALNAME:" + text(name));
    line(out, "X-WR-TIMEZONE:" + TZID);
    // How often subscribers should fetch again (RFC 7986, and Outlook's older name for it).
    line(out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    line(out, "X-PUBLISHED-TTL:PT1H");
    // China has had no daylight saving time since 1991: one STANDARD observance describes every date a class has.
    line(out, "BEGIN:VTIMEZONE");
    line(out, "TZID:" + TZID);
    line(out, "X-LIC-LOCATION:" + TZID);
    line(out, "BEGIN:STANDARD");
    line(out, "TZOFFSETFROM:+0800");
    line(out, "TZOFFSETTO:+0800");
    line(out, "TZNAME:CST");
    line(out, "DTSTART:19700101T000000");
    line(out, "END:STANDARD");
    line(out, "END:VTIMEZONE");
    String dtstamp = UTC.format(stamp);
    for (Event e : events) {
      line(out, "BEGIN:VEVENT");
      line(out, "UID:" + text(e.uid()));
      line(out, "DTSTAMP:" + dtstamp);
      if (e.recurrenceId() != null) {
        line(out, "RECURRENCE-ID" + local(e.recurrenceId()));
      }
      line(out, "DTSTART" + local(e.start()));
      line(out, "DTEND" + local(e.end()));
      if (e.until() != null) {
        line(out, "RRULE:FREQ=WEEKLY;UNTIL=" + UTC.format(e.until()));
        // One EXDATE per date rather than one long list: every client reads both, and diffs stay readable.
        e.exdates().forEach(x -> line(out, "EXDATE" + local(x)));
      }
      line(out, "SEQUENCE:" + e.sequence());
      if (e.lastModified() != null) {
        line(out, "LAST-MODIFIED:" + UTC.format(e.lastModified()));
      }
      line(out, "SUMMARY:" + text(e.summary()));
      if (e.location() != null) {
        line(out, "LOCATION:" + text(e.location()));
      }
      if (e.description() != null) {
        line(out, "DESCRIPTION:" + text(e.description()));
      }
      line(out, "STATUS:" + (e.cancelled() ? "CANCELLED" : "CONFIRMED"));
      line(out, "TRANSP:OPAQUE");
      line(out, "END:VEVENT");
    }
    line(out, "END:VCALENDAR");
    return out.toString();
  }

  private static String local(ZonedDateTime t) {
    return ";TZID=" + TZID + ":" + LOCAL.format(t.withZoneSameInstant(Conflicts.ZONE));
  }

  /** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case ';' -> out.append("\\;");
        case ',' -> out.append("\\,");
        case '\n' -> out.append("\\n");
        case '\r' -> {
          if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
            i++;
          }
          out.append("\\n");
        }
        default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /**
   * Appends a content line, folded (RFC 5545 §3.1): no physical line over 75 octets before its CRLF, a continuation
   * starting with one space (which counts), and a fold only between characters, never inside a UTF-8 sequence.
   */
  static void line(StringBuilder out, String content) {
    int octets = 0;
    for (int i = 0; i < content.length(); ) {
      int cp = content.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (octets + n > LINE_OCTETS) {
        out.append("\r\n ");
        octets = 1;
      }
      out.appendCodePoint(cp);
      octets += n;
      i += Character.charCount(cp);
    }
    out.append("\r\n");
  }
}
