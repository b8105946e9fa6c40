package org.kelian.core.schedule;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** Scheduling rules that vary by county. */
public record ScheduleOptions(int travelMinutes) {

  public static final Setting TRAVEL_MINUTES = Setting.of("KELIAN_SCHEDULE_TRAVEL_MINUTES", "schedule.travelMinutes", "30",
      "Least time between two sessions of a teacher at different schools (走教)");

  public static final List<Setting> SETTINGS = List.of(TRAVEL_MINUTES);

  public static ScheduleOptions from(Config c) {
    return new ScheduleOptions(Math.max(0, c.getInt(TRAVEL_MINUTES)));
  }
}
