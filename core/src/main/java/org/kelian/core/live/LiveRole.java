package org.kelian.core.live;

import java.util.Optional;
import org.kelian.core.WireNames;

/**
 * What a participant is in a class room: the lead classroom (publishes, starts and ends the class, calls on
 * classrooms), a receiving classroom of the session (publishes back), or an observer (巡课 by admins, viewers of
 * open classes: receives only).
 */
public enum LiveRole {
  LEAD,
  RECEIVER,
  OBSERVER;

  public String wire() {
    return WireNames.of(this);
  }

  public static Optional<LiveRole> parse(String s) {
    return WireNames.parse(LiveRole.class, s);
  }

  /** Lead and receivers send their camera and microphone; observers only watch. */
  public boolean publishes() {
    return this != OBSERVER;
  }
}
