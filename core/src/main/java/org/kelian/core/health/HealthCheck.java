package org.kelian.core.health;

import io.vertx.core.Future;

/** A dependency's readiness: every adapter registers one, and {@code /health} shows them all. */
public interface HealthCheck {

  /** Short name shown in {@code /health}, for example {@code postgres}. */
  String name();

  /** Succeeds when the dependency answers; fails with the reason otherwise. */
  Future<Void> check();

  /** Whether {@code /health} answers 503 while this check fails; optional capabilities are shown but do not count. */
  default boolean required() {
    return true;
  }
}
