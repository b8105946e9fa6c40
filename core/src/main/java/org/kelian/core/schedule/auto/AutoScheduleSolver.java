package org.kelian.core.schedule.auto;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs Timefold Solver over a plan's lessons, on the calling thread, within a time limit: a construction heuristic
 * places the lessons hardest first, then local search trades placements to place more and to prefer paired schools.
 * It stops early once nothing has improved for a third of the limit (at most 20 s).
 */
public final class AutoScheduleSolver {

  private final SolverFactory<DedicatedTimetable> factory;
  private volatile Solver<DedicatedTimetable> running;

  public AutoScheduleSolver(Duration limit) {
    Duration unimproved = Duration.ofMillis(Math.min(limit.toMillis() / 3, 20_000));
    SolverConfig config = new SolverConfig()
        .withSolutionClass(DedicatedTimetable.class)
        .withEntityClasses(Lesson.class)
        .withConstraintProviderClass(DedicatedConstraints.class)
        .withRandomSeed(1L)
        .withTerminationConfig(new TerminationConfig().withSpentLimit(limit).withUnimprovedSpentLimit(unimproved));
    this.factory = SolverFactory.create(config);
  }

  /** Solves; {@code onBest} sees every new best solution (on the solver's thread). */
  public DedicatedTimetable solve(List<Lesson> lessons, Consumer<DedicatedTimetable> onBest) {
    Solver<DedicatedTimetable> solver = factory.buildSolver();
    solver.addEventListener(e -> onBest.accept(e.getNewBestSolution()));
    running = solver;
    try {
      return solver.solve(new DedicatedTimetable(lessons));
    } finally {
      running = null;
    }
  }

  /** Asks a solve in progress to stop now and return its best solution so far. */
  public void stop() {
    Solver<DedicatedTimetable> s = running;
    if (s != null) {
      s.terminateEarly();
    }
  }
}
