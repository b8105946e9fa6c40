package org.kelian.core.schedule.auto;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import java.util.List;
import java.util.UUID;

/**
 * One period a week of one receiving class's demand (a class needing two music periods is two lessons). The solver
 * picks one of its options, or none when nothing fits.
 */
@PlanningEntity
public class Lesson {

  @PlanningId
  private long id;
  private int demand;
  private UUID classId;
  private UUID schoolId;
  private String subject;
  private List<Option> options;
  @PlanningVariable(valueRangeProviderRefs = "options", allowsUnassigned = true)
  private Option option;

  /** For the solver's cloning. */
  public Lesson() {
  }

  public Lesson(long id, int demand, UUID classId, UUID schoolId, String subject, List<Option> options) {
    this.id = id;
    this.demand = demand;
    this.classId = classId;
    this.schoolId = schoolId;
    this.subject = subject;
    this.options = options;
  }

  public long getId() {
    return id;
  }

  /** Index of the demand line this lesson comes from. */
  public int getDemand() {
    return demand;
  }

  public UUID getClassId() {
    return classId;
  }

  public UUID getSchoolId() {
    return schoolId;
  }

  public String getSubject() {
    return subject;
  }

  @ValueRangeProvider(id = "options")
  public List<Option> getOptions() {
    return options;
  }

  public Option getOption() {
    return option;
  }

  public void setOption(Option option) {
    this.option = option;
  }

  int weekday() {
    return option.weekday();
  }
}
