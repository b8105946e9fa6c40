package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.db.Db;
import org.kelian.core.media.TranscodeOptions;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;

/**
 * Jobs survive the platform: a job left running by a node that died is taken back and run before older queued
 * jobs; a platform stopped mid-transcode gives its job back, and the next start completes it once, with every
 * segment of every rung in place.
 */
class TranscodeRecoveryTest {

  @Test
  void jobsOfStoppedAndDeadNodesCompleteOnceAfterARestart() throws Exception {
    PlatformOptions idle = TestPlatform.options("recovery", Map.of(TranscodeOptions.CONCURRENCY.env(), "0"));
    PlatformOptions working = TestPlatform.options("recovery", Map.of());
    UUID longOne;
    UUID deadOnes;
    Api teacher;
    try (Platform p0 = Platform.start(idle).await()) {
      Api admin = Api.login(p0.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Library.importCatalog(admin);
      teacher = Library.user(admin, p0.port(), "rc.teacher", "teacher", "371321");
      String lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
      longOne = upload(teacher, lesson, Clips.pattern("recovery-long.mp4", 1280, 720, 40, false));
      deadOnes = upload(teacher, lesson, Clips.pattern("recovery-short.mp4", 640, 360, 6, false));
      assertEquals("pending", teacher.get("/api/v1/resources/" + longOne + "/media").json().getString("status"));
    }

    // A node that died while running the second job: its heartbeat stopped an hour ago.
    Vertx vertx = Vertx.vertx();
    Pool pool = Db.pool(vertx, working.pg());
    try {
      sql(pool, "update transcode_jobs set status = 'running', worker = 'dead-node/1', attempts = 1, "
          + "heartbeat_at = now() - interval '1 hour' where resource_id = $1", deadOnes);

      try (Platform p1 = Platform.start(working).await()) {
        Api t1 = teacher.at(p1.port());
        JsonObject dead = MediaWait.settled(t1, deadOnes, Duration.ofMinutes(4));
        assertEquals("ready", dead.getString("status"), dead.encode());
        String older = t1.get("/api/v1/resources/" + longOne + "/media").json().getString("status");
        assertTrue(List.of("pending", "processing").contains(older), "the taken-back job went first; the older one is " + older);
        // Stop mid-transcode of the long one: as soon as the encoder reports (past the 2 % of download and probe).
        MediaWait.until(t1, longOne, Duration.ofMinutes(4), s -> "processing".equals(s.getString("status"))
            && s.getDouble("progress") > 2.5);
      }
      Row stopped = sql(pool, "select status, priority, attempts from transcode_jobs where resource_id = $1", longOne).get(0);
      assertEquals("queued", stopped.getString("status"), "a stopping node gives its job back");
      assertEquals(0, stopped.getInteger("priority"), "ahead of the others");

      try (Platform p2 = Platform.start(working).await()) {
        Api t2 = teacher.at(p2.port());
        JsonObject done = MediaWait.settled(t2, longOne, Duration.ofMinutes(5));
        assertEquals("ready", done.getString("status"), done.encode());
        for (UUID id : List.of(longOne, deadOnes)) {
          List<Row> jobs = sql(pool, "select status, attempts from transcode_jobs where resource_id = $1", id);
          assertEquals(1, jobs.size(), "one job per file");
          assertEquals("succeeded", jobs.get(0).getString("status"));
          assertEquals(2, jobs.get(0).getInteger("attempts"), "the interrupted attempt and the one that completed");
          assertEquals(1, sql(pool, "select 1 from media where resource_id = $1", id).size());
          assertComplete(t2, t2.get("/api/v1/resources/" + id + "/media").json());
        }
      }
    } finally {
      pool.close();
      vertx.close();
    }
  }

  static UUID upload(Api teacher, String lesson, Path clip) throws Exception {
    UUID id = Library.draft(teacher, "恢复 " + clip.getFileName(), "video", lesson);
    assertEquals(204, new Tus(teacher).upload(id, clip.getFileName().toString(), Files.readAllBytes(clip)).status());
    return id;
  }

  /** Every rung's playlist ends, and every segment it names is served, with the expected total duration. */
  static void assertComplete(Api api, JsonObject media) {
    String hls = media.getString("hls");
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    String master = api.get(hls).body();
    for (String line : master.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String variant = api.get(base + line.strip()).body();
      assertTrue(variant.contains("#EXT-X-ENDLIST"), variant);
      String dir = base + line.strip().substring(0, line.strip().lastIndexOf('/') + 1);
      double total = 0;
      for (String v : variant.split("\n")) {
        if (v.startsWith("#EXTINF:")) {
          total += Double.parseDouble(v.substring(8, v.indexOf(',')));
        } else if (!v.isBlank() && !v.startsWith("#")) {
          assertEquals(206, api.get(dir + v.strip(), "Range", "bytes=0-0").status(), dir + v);
        }
      }
      assertEquals(media.getDouble("durationSeconds"), total, 0.5, line);
    }
  }

  static List<Row> sql(Pool pool, String sql, Object... args) {
    List<Row> rows = new java.util.ArrayList<>();
    pool.preparedQuery(sql).execute(Tuple.from(args)).await().forEach(rows::add);
    return rows;
  }
}
