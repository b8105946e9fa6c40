package org.kelian.core.schedule.auto;

import static ai.timefold.solver.core.api.score.stream.ConstraintCollectors.count;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoft.HardMediumSoftScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.score.stream.Joiners;

/**
 * The rules of a dedicated-class timetable. Hard: no teacher, lead classroom or receiving class in two lessons at
 * once, no teacher above their weekly limit (the bell-schedule and pairing rules are already in each lesson's
 * options). Medium: every lesson left unplaced. Soft: a lesson between schools that are only allied, not paired,
 * and a class having the same subject twice on one day.
 */
public class DedicatedConstraints implements ConstraintProvider {

  @Override
  public Constraint[] defineConstraints(ConstraintFactory f) {
    return new Constraint[] {
        f.forEachUniquePair(Lesson.class, Joiners.equal(l -> l.getOption().teacherId()),
                Joiners.overlapping(l -> l.getOption().start(), l -> l.getOption().end()))
            .penalize(HardMediumSoftScore.ONE_HARD).asConstraint("teacher in two places"),
        f.forEachUniquePair(Lesson.class, Joiners.equal(l -> l.getOption().classroomId()),
                Joiners.overlapping(l -> l.getOption().start(), l -> l.getOption().end()))
            .penalize(HardMediumSoftScore.ONE_HARD).asConstraint("classroom in two lessons"),
        f.forEachUniquePair(Lesson.class, Joiners.equal(Lesson::getClassId),
                Joiners.overlapping(l -> l.getOption().start(), l -> l.getOption().end()))
            .penalize(HardMediumSoftScore.ONE_HARD).asConstraint("class in two lessons"),
        f.forEach(Lesson.class)
            .groupBy(l -> l.getOption().teacherId(), l -> l.getOption().maxLoad(), count())
            .filter((teacher, max, n) -> n > max)
            .penalize(HardMediumSoftScore.ONE_HARD, (teacher, max, n) -> n - max).asConstraint("teacher above weekly limit"),
        f.forEachIncludingUnassigned(Lesson.class).filter(l -> l.getOption() == null)
            .penalize(HardMediumSoftScore.ONE_MEDIUM).asConstraint("lesson not placed"),
        f.forEach(Lesson.class).filter(l -> !l.getOption().paired())
            .penalize(HardMediumSoftScore.ONE_SOFT).asConstraint("schools only allied, not paired"),
        f.forEachUniquePair(Lesson.class, Joiners.equal(Lesson::getClassId), Joiners.equal(Lesson::getSubject),
                Joiners.equal(Lesson::weekday))
            .penalize(HardMediumSoftScore.ONE_SOFT).asConstraint("same subject twice a day"),
    };
  }
}
