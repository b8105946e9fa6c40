package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.ext.web.Route;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document served at /api/v1/openapi.yaml names every route the router serves, and nothing else. */
class OpenApiTest {

  static Platform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("openapi");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
    Api.Response r = new Api(platform.port(), null).get("/api/v1/openapi.yaml");
    assertEquals(200, r.status());
    Map<String, Object> doc = new Yaml().load(r.body());
    assertEquals("3.1.0", doc.get("openapi"));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
    Set<String> documented = new TreeSet<>();
    Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    paths.forEach((path, ops) -> ops.keySet().stream().filter(methods::contains)
        .forEach(m -> documented.add(m.toUpperCase() + " " + path)));

    Set<String> served = new TreeSet<>();
    for (Route route : platform.router().getRoutes()) {
      String path = route.getPath();
      if (path == null || route.methods() == null || route.methods().isEmpty()) {
        continue; // handlers for all methods (auth, body, fallbacks) are not endpoints
      }
      String openApiPath = path.replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> served.add(m.name() + " " + openApiPath));
    }
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> phantom = new TreeSet<>(documented);
    phantom.removeAll(served);
    assertTrue(undocumented.isEmpty(), "routes missing from openapi.yaml: " + undocumented);
    assertTrue(phantom.isEmpty(), "openapi.yaml documents routes that do not exist: " + phantom);
  }
}
