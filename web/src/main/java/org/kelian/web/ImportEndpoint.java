package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.imports.ImportService;

/** CSV imports of a county's organisation and timetables, and the timetables they hold (issue #4). */
final class ImportEndpoint {

  private final ImportService imports;

  ImportEndpoint(ImportService imports) {
    this.imports = imports;
  }

  void routes(Router r) {
    r.post("/api/v1/imports/:kind").handler(ctx -> Http.json(ctx, 200, () -> {
      checkType(ctx);
      byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      return imports.importCsv(Http.user(ctx), ctx.pathParam("kind"), body, "true".equals(ctx.queryParams().get("dryRun")));
    }, result -> result.toJson()));
    r.get("/api/v1/timetables").handler(ctx -> Http.json(ctx, 200, () -> imports.timetable(
        Validate.optionalUuid(ctx.queryParams().get("schoolId"), "schoolId"), Validate.optionalUuid(ctx.queryParams().get("termId"), "termId"),
        Validate.optionalUuid(ctx.queryParams().get("teacherId"), "teacherId"), Validate.optionalUuid(ctx.queryParams().get("classId"), "classId")),
        entries -> new JsonObject().put("items", new JsonArray(entries))));
  }

  /**
   * CSV as browsers and tools label it: text/csv, text/plain, Excel's application/vnd.ms-excel, or bytes. JSON and
   * forms are refused, so a mistaken client learns it at once rather than from a list of "bad rows".
   */
  private static void checkType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (!t.isEmpty() && !t.startsWith("text/csv") && !t.startsWith("text/plain") && !t.startsWith("application/vnd.ms-excel")
        && !t.startsWith("application/csv") && !t.startsWith("application/octet-stream")) {
      throw new KelianException(ErrorKind.UNSUPPORTED_TYPE, "unsupported_media_type", "请以 text/csv 上传 CSV 文件（不是 " + type + "）",
          "Send the CSV file as text/csv (not " + type + ")");
    }
  }
}
