package org.kelian.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's RFC 5545 text rules: line ends, folding at 75 octets between UTF-8 characters, escaping. */
class ICalendarTest {

  @Test
  void longChineseLinesFoldAtSeventyFiveOctetsBetweenCharacters() {
    // 3-octet CJK characters, a 4-octet one (U+20BB7 𠮷), and ASCII, so that folds fall at every offset.
    String title = "城关一小·后村小学三年级音乐专递课堂（第二单元《唱歌　小小雨滴》）𠮷a;b,c" + "美术名师课堂，教研活动；𠮷".repeat(8) + "END";
    StringBuilder out = new StringBuilder();
    ICalendar.line(out, "SUMMARY:" + ICalendar.text(title));
    String folded = out.toString();
    assertTrue(folded.endsWith("\r\n"));
    String[] lines = folded.substring(0, folded.length() - 2).split("\r\n", -1);
    assertTrue(lines.length > 3, folded);
    for (int i = 0; i < lines.length; i++) {
      byte[] octets = lines[i].getBytes(StandardCharsets.UTF_8);
      assertTrue(octets.length <= 75, "line " + i + " has " + octets.length + " octets");
      assertTrue(octets.length >= 72 || i == lines.length - 1, "folded late, not early: line " + i + " has " + octets.length);
      assertFalse(lines[i].isEmpty());
      if (i > 0) {
        assertEquals(' ', lines[i].charAt(0), "a continuation starts with one space");
      }
      // Every line is whole UTF-8 on its own: a character split across a fold would not survive decoding.
      assertEquals(lines[i], new String(octets, StandardCharsets.UTF_8));
      assertFalse(Character.isHighSurrogate(lines[i].charAt(lines[i].length() - 1)), "a surrogate pair split");
    }
    assertEquals("SUMMARY:" + title.replace("a;b,c", "a\\;b\\,c") + "\r\n", folded.replace("\r\n ", ""), "unfolds to the escaped text");
  }

  @Test
  void textIsEscaped() {
    assertEquals("a\\, b\\; c\\\\d\\ne\\nf\\ng", ICalendar.text("a, b; c\\d\ne\r\nf\rg"));
    assertEquals("全角，；不变", ICalendar.text("全角，；不变"), "full-width punctuation is text, not syntax");
    assertEquals("tab\tand bell ", ICalendar.text("tab\tand bell\u0007"));
  }

  @Test
  void aDocumentHasTheRequiredPropertiesCrlfAndItsTimeZone() {
    var start = LocalDateTime.of(2027, 3, 1, 9, 0).atZone(Conflicts.ZONE);
    String ics = ICalendar.write("课联课表 · 王老师", List.of(new ICalendar.Event("s1@kelian", start, start.plusMinutes(40),
        start.plusWeeks(3).toInstant(), List.of(start.plusWeeks(1)), null, "音乐, 三年级", "城关一小 录播室", "类型：专递课堂\n学科：音乐", 2,
        Instant.parse("2026-11-20T02:00:00Z"), false)), Instant.parse("2026-11-29T12:00:00Z"));
    assertFalse(ics.replace("\r\n", "").contains("\n"), "only CRLF line ends");
    assertFalse(ics.replace("\r\n", "").contains("\r"), "only CRLF line ends");
    List<String> lines = Arrays.asList(ics.replace("\r\n ", "").split("\r\n"));
    assertEquals("BEGIN:VCALENDAR", lines.get(0));
    assertEquals("END:VCALENDAR", lines.get(lines.size() - 1));
    for (String l : List.of("VERSION:2.0", "PRODID:" + ICalendar.PRODID, "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:课联课表 · 王老师",
        "TZID:Asia/Shanghai", "TZOFFSETTO:+0800", "UID:s1@kelian", "DTSTAMP:20261129T120000Z", "DTSTART;TZID=Asia/Shanghai:20270301T090000",
        "DTEND;TZID=Asia/Shanghai:20270301T094000", "RRULE:FREQ=WEEKLY;UNTIL=20270322T010000Z", "EXDATE;TZID=Asia/Shanghai:20270308T090000",
        "SEQUENCE:2", "LAST-MODIFIED:20261120T020000Z", "SUMMARY:音乐\\, 三年级", "LOCATION:城关一小 录播室",
        "DESCRIPTION:类型：专递课堂\\n学科：音乐", "STATUS:CONFIRMED")) {
      assertTrue(lines.contains(l), l + " in\n" + ics);
    }
  }
}
