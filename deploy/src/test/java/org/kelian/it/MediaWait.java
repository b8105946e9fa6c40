package org.kelian.it;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/** Waits for a resource's media to settle (ready or failed), reading the state the page reads. */
final class MediaWait {

  private MediaWait() {
  }

  static JsonObject settled(Api api, UUID resourceId, Duration limit) {
    return until(api, resourceId, limit, s -> "ready".equals(s.getString("status")) || "failed".equals(s.getString("status")));
  }

  static JsonObject until(Api api, UUID resourceId, Duration limit, java.util.function.Predicate<JsonObject> done) {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      Api.Response r = api.get("/api/v1/resources/" + resourceId + "/media");
      if (r.status() != 200) {
        throw new AssertionError("media state: " + r.status() + " " + r.body());
      }
      last = r.json();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("media of " + resourceId + " did not settle within " + limit + "; last state " + last);
  }
}
