package org.kelian.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.RecurrenceId;

/** An iCalendar document read back as a calendar app would, for the writer's unit test and the feed's integration test. */
public final class IcsExpansion {

  private IcsExpansion() {
  }

  /**
   * Every (start/end) instant the document's events produce, cancelled events left out: ical4j parses, validates
   * and expands each master's RRULE less its EXDATEs; each override then replaces the instance its RECURRENCE-ID
   * names (RFC 5545 §3.8.4.4), which must be one the rule produced. (ical4j's own ComponentGroup keeps only
   * overrides that leave the start where it was, so it cannot check moved occurrences.)
   */
  public static Set<String> expand(String ics, Period<ZonedDateTime> window) throws Exception {
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    // RFC 5545 rules for every component. Not the iTIP (RFC 5546) rules that METHOD:PUBLISH would bring: they want
    // an ORGANIZER address, which a timetable has none of and which subscribing clients do not ask for.
    for (Object c : calendar.getComponents()) {
      var result = ((Component) c).validate(true);
      assertFalse(result.hasErrors(), c + ": " + result);
    }
    Map<String, List<VEvent>> byUid = new LinkedHashMap<>();
    for (Object c : calendar.getComponents(Component.VEVENT)) {
      VEvent e = (VEvent) c;
      byUid.computeIfAbsent(e.getUid().orElseThrow().getValue(), k -> new ArrayList<>()).add(e);
    }
    Set<String> out = new TreeSet<>();
    byUid.forEach((uid, group) -> {
      List<VEvent> masters = group.stream().filter(e -> e.getProperty(Property.RECURRENCE_ID).isEmpty()).toList();
      assertEquals(1, masters.size(), "one master per UID " + uid);
      VEvent master = masters.get(0);
      Map<Instant, Instant> instances = new LinkedHashMap<>();
      if (!cancelled(master)) {
        Set<Period<ZonedDateTime>> periods = master.calculateRecurrenceSet(window);
        periods.forEach(p -> instances.put(Instant.from(p.getStart()), Instant.from(p.getEnd())));
      }
      for (VEvent override : group) {
        Optional<RecurrenceId<Temporal>> id = override.getProperty(Property.RECURRENCE_ID);
        if (id.isEmpty()) {
          continue;
        }
        Instant replaced = Instant.from(id.get().getDate());
        assertTrue(instances.remove(replaced) != null, uid + ": RECURRENCE-ID " + replaced + " is not an instance of the rule");
        if (!cancelled(override)) {
          DtStart<Temporal> start = override.getRequiredProperty(Property.DTSTART);
          DtEnd<Temporal> end = override.getRequiredProperty(Property.DTEND);
          instances.put(Instant.from(start.getDate()), Instant.from(end.getDate()));
        }
      }
      instances.forEach((start, end) -> assertTrue(out.add(start + "/" + end), "twice: " + start));
    });
    return out;
  }

  private static boolean cancelled(VEvent e) {
    return e.getProperty(Property.STATUS).map(p -> p.getValue().equals("CANCELLED")).orElse(false);
  }}
