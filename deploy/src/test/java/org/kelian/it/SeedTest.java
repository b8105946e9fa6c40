package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kelian.core.catalog.Textbooks;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;
import org.kelian.deploy.SeedOptions;

/** The default mode seeds the catalog from the bundled textbooks on a start that finds it empty, and only then. */
class SeedTest {

  @Test
  void firstStartSeedsTheCatalogAndARestartAddsNothing() {
    PlatformOptions options = TestPlatform.options("seed", Map.of(SeedOptions.SEED_CATALOG.env(), "true"));
    long nodes;
    try (Platform p = Platform.start(options).await()) {
      Api admin = Api.login(p.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      JsonArray roots = admin.get("/api/v1/catalog/nodes").jsonArray();
      assertEquals(3, roots.size());
      assertEquals("小学", roots.getJsonObject(0).getString("title"));
      nodes = p.pool().query("select count(*) as n from catalog_nodes").execute().await().iterator().next().getLong("n");
      assertEquals(Textbooks.parse(Library.textbooks()).size(), nodes, "every node of the bundled books, once");
    }
    try (Platform again = Platform.start(options).await()) {
      assertEquals(nodes, again.pool().query("select count(*) as n from catalog_nodes").execute().await().iterator().next().getLong("n"));
    }
  }
}
