package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;
import org.kelian.search.Elasticsearch;
import org.kelian.search.ElasticsearchIndex;

/**
 * An installation whose search index was built from an older index definition (an upgrade changed the mapping)
 * is rebuilt from PostgreSQL on start, behind the alias, without anyone calling reindex.
 */
class IndexUpgradeTest {

  @Test
  void anOutdatedIndexIsRebuiltOnStart() throws Exception {
    PlatformOptions options = TestPlatform.options("indexupgrade", java.util.Map.of());
    UUID id;
    try (Platform p = Platform.start(options).await()) {
      Api admin = Api.login(p.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Library.importCatalog(admin);
      Api teacher = Library.user(admin, p.port(), "upgrade.teacher", "teacher", "371321");
      id = Library.published(teacher, admin, "认识钟表 课件", "courseware",
          Library.node(admin, "小学", "数学", "人教版", "一年级", "上册", "7 认识钟表"), "c.pdf", Library.pdf("c"));
    }
    String alias = options.search().indexPrefix() + "-resources";
    String es = options.search().urls().get(0);
    HttpResponse<String> marked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_mapping"))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"_meta\": {\"definition\": \"older\"}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, marked.statusCode(), marked.body());

    try (Platform p = Platform.start(options).await()) {
      Elasticsearch client = new Elasticsearch(p.vertx(), options.search());
      ElasticsearchIndex index = new ElasticsearchIndex(client, options.search());
      p.indexer().flush().await();
      assertTrue(index.ensureIndex().await(), "the live index is built from the current definition again");
      Api admin = Api.login(p.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      List<String> hits = admin.get("/api/v1/search?q=" + java.net.URLEncoder.encode("认识钟表", "UTF-8")).json().getJsonArray("hits")
          .stream().map(o -> ((io.vertx.core.json.JsonObject) o).getString("id")).toList();
      assertEquals(List.of(id.toString()), hits, "the rebuilt index holds what PostgreSQL holds");
      client.close();
    }
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_mapping")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertFalse(again.body().contains("older"), again.body());
  }
}
