package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.stream.Collectors;
import org.kelian.core.coverage.Coverage;
import org.kelian.core.coverage.CoverageService;

/** {@code GET /api/v1/reports/coverage}: JSON for the page, or CSV ({@code format=csv}) for a spreadsheet. */
final class CoverageEndpoint {

  private final CoverageService coverage;

  CoverageEndpoint(CoverageService coverage) {
    this.coverage = coverage;
  }

  void routes(Router r) {
    r.get("/api/v1/reports/coverage").handler(this::coverage);
  }

  private void coverage(RoutingContext ctx) {
    var q = ctx.queryParams();
    var filter = new CoverageService.Filter(blank(q.get("stage")), blank(q.get("subject")), blank(q.get("edition")),
        blank(q.get("grade")), blank(q.get("volume")), blank(q.get("type")));
    boolean csv = "csv".equals(q.get("format"));
    Http.handle(ctx, () -> coverage.coverage(Http.user(ctx), filter), c -> {
      if (csv) {
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", ContentDisposition.of(false, "覆盖率-coverage.csv"))
            .end(toCsv(c));
      } else {
        ctx.json(toJson(c));
      }
      return null;
    });
  }

  static JsonObject toJson(Coverage c) {
    JsonArray volumes = new JsonArray();
    for (Coverage.Volume v : c.volumes()) {
      JsonArray units = new JsonArray();
      for (Coverage.Unit u : v.units()) {
        JsonArray missing = new JsonArray();
        u.missing().forEach(l -> missing.add(new JsonObject().put("id", l.id().toString()).put("title", l.title())));
        units.add(new JsonObject().put("id", u.id().toString()).put("title", u.title()).put("lessons", u.lessons())
            .put("covered", u.covered()).put("percent", u.percent()).put("byType", new JsonObject(Map.copyOf(u.coveredByType())))
            .put("missing", missing));
      }
      volumes.add(new JsonObject().put("id", v.id().toString()).put("path", v.path()).put("lessons", v.lessons())
          .put("covered", v.covered()).put("percent", v.percent()).put("byType", new JsonObject(Map.copyOf(v.coveredByType())))
          .put("units", units));
    }
    return new JsonObject().put("type", c.type()).put("volumes", volumes);
  }

  /** UTF-8 with a byte-order mark, so that Excel shows the Chinese titles. */
  static String toCsv(Coverage c) {
    StringBuilder out = new StringBuilder("\uFEFF册,单元,课数,已覆盖,覆盖率%,缺少资源的课\r\n");
    for (Coverage.Volume v : c.volumes()) {
      for (Coverage.Unit u : v.units()) {
        out.append(cell(v.path())).append(',').append(cell(u.title())).append(',').append(u.lessons()).append(',')
            .append(u.covered()).append(',').append(u.percent()).append(',')
            .append(cell(u.missing().stream().map(Coverage.Lesson::title).collect(Collectors.joining("；")))).append("\r\n");
      }
    }
    return out.toString();
  }

  /** Quotes a cell, and defuses a leading = + - @ so a spreadsheet never runs a title as a formula. */
  static String cell(String s) {
    String v = s == null ? "" : s;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
