package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;
import org.kelian.search.Pinyin;

/**
 * The relevance test set: over the seed catalog, every 12th lesson with a title unique in the catalog gets two
 * resources — one with the generic title "教学课件", one named after the lesson — among distractors spread over
 * the other lessons. Each lesson title is then searched as a teacher types it: in Chinese, in full pinyin and in
 * pinyin initials — and by its first four characters, as a teacher who remembers only the start types it (then
 * every lesson whose title starts so is a right answer). Sibling lessons carry distractors that share words. The
 * mean reciprocal rank (MRR) of the first right resource in the top 10 is reported per kind of query and must
 * stay above the bars below; the README quotes the figures.
 */
class RelevanceTest {

  static Platform platform;
  static Api admin;
  static final Map<String, Set<String>> EXPECTED = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("relevance");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    UUID owner = UUID.fromString(admin.get("/api/v1/auth/me").json().getJsonObject("user").getString("id"));
    List<Row> lessons = new ArrayList<>();
    platform.pool().query("select id, regexp_replace(title, '^[0-9.]+\\s*', '') as t from catalog_nodes n where kind = 'lesson' "
        + "and (select count(*) from catalog_nodes m where m.kind = 'lesson' and m.title = n.title) = 1 order by path_titles")
        .execute().await().forEach(lessons::add);
    int i = 0;
    for (Row lesson : lessons) {
      UUID node = lesson.getUUID("id");
      String title = lesson.getString("t");
      if (i++ % 12 == 0 && title.codePointCount(0, title.length()) >= 3) {
        Set<String> ids = new HashSet<>();
        ids.add(insert(owner, "教学课件", "courseware", node).toString());
        ids.add(insert(owner, title + " 课堂练习", "exercise", node).toString());
        EXPECTED.put(title, ids);
      } else if (i % 3 == 0) {
        // A distractor that shares the words of the lesson before it.
        String near = lessons.get(Math.max(0, i - 2)).getString("t") + " 拓展阅读";
        insert(owner, near, "material", node);
      }
    }
    platform.indexer().flush().await();
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static UUID insert(UUID owner, String title, String type, UUID node) {
    UUID id = UUID.randomUUID();
    platform.pool().withTransaction(c -> c.preparedQuery("insert into resources (id, title, type, scope, status, owner_id, published_at) "
            + "values ($1, $2, $3, 'national', 'published', $4, now())").execute(Tuple.of(id, title, type, owner))
        .compose(x -> c.preparedQuery("insert into resource_catalog_nodes values ($1, $2)").execute(Tuple.of(id, node)))
        .compose(x -> c.preparedQuery("insert into search_outbox (resource_id) values ($1)").execute(Tuple.of(id)))).await();
    return id;
  }

  static double reciprocalRank(String query, Set<String> expected) {
    Api.Response r = admin.get("/api/v1/search?size=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    List<String> hits = r.json().getJsonArray("hits").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    for (int rank = 0; rank < hits.size(); rank++) {
      if (expected.contains(hits.get(rank))) {
        return 1.0 / (rank + 1);
      }
    }
    return 0;
  }

  @Test
  void meanReciprocalRankOfLessonQueries() {
    double chinese = 0;
    double pinyin = 0;
    double initials = 0;
    double prefix = 0;
    for (Map.Entry<String, Set<String>> e : EXPECTED.entrySet()) {
      Pinyin.Spelling spelling = Pinyin.of(e.getKey());
      chinese += reciprocalRank(e.getKey(), e.getValue());
      pinyin += reciprocalRank(spelling.joined(), e.getValue());
      initials += reciprocalRank(spelling.initials(), e.getValue());
      String start = e.getKey().substring(0, e.getKey().offsetByCodePoints(0, Math.min(4, e.getKey().codePointCount(0, e.getKey().length()))));
      Set<String> right = new HashSet<>();
      EXPECTED.forEach((title, ids) -> {
        if (title.startsWith(start)) {
          right.addAll(ids);
        }
      });
      prefix += reciprocalRank(start, right);
    }
    int n = EXPECTED.size();
    System.out.printf("relevance set: %d lessons; MRR Chinese %.3f, full pinyin %.3f, initials %.3f, first four characters %.3f%n",
        n, chinese / n, pinyin / n, initials / n, prefix / n);
    assertTrue(n >= 60, "the set covers many lessons: " + n);
    assertTrue(chinese / n >= 0.95, "Chinese MRR " + chinese / n);
    assertTrue(pinyin / n >= 0.9, "full pinyin MRR " + pinyin / n);
    assertTrue(initials / n >= 0.7, "initials MRR " + initials / n);
    assertTrue(prefix / n >= 0.7, "first-four-characters MRR " + prefix / n);
  }
}
