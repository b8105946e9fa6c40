package org.kelian.core.schedule.auto;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoft.HardMediumSoftScore;
import java.util.List;

/** The weekly dedicated-class timetable the solver works on: every lesson of demand and the option each holds. */
@PlanningSolution
public class DedicatedTimetable {

  @PlanningEntityCollectionProperty
  private List<Lesson> lessons;
  @PlanningScore
  private HardMediumSoftScore score;

  public DedicatedTimetable() {
  }

  public DedicatedTimetable(List<Lesson> lessons) {
    this.lessons = lessons;
  }

  public List<Lesson> getLessons() {
    return lessons;
  }

  public HardMediumSoftScore getScore() {
    return score;
  }

  public void setScore(HardMediumSoftScore score) {
    this.score = score;
  }
}
