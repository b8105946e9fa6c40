package org.kelian.core.imports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;

/**
 * Every bad row of a file, so that a county office fixes its spreadsheet in one pass rather than one error per
 * upload. The answer lists the first {@link #MAX} and counts them all.
 */
final class Problems {

  static final int MAX = 200;

  private final java.util.List<JsonObject> all = new java.util.ArrayList<>();

  void add(int line, String column, String zh, String en) {
    all.add(new JsonObject().put("line", line).put("column", column).put("messageZh", zh).put("messageEn", en));
  }

  void add(int line, String column, KelianException e) {
    add(line, column, e.messageZh(), e.messageEn());
  }

  boolean any() {
    return !all.isEmpty();
  }

  /** 400 naming every bad row. */
  KelianException invalid() {
    JsonArray list = list();
    JsonObject first = list.getJsonObject(0);
    int total = all.size();
    return new KelianException(ErrorKind.INVALID, "import_invalid",
        "文件有 " + total + " 处错误，未导入任何数据。第 " + first.getInteger("line") + " 行：" + first.getString("messageZh"),
        "The file has " + total + " error(s); nothing was imported. Line " + first.getInteger("line") + ": " + first.getString("messageEn"))
        .withDetails(new JsonObject().put("errors", list).put("total", total).put("truncated", total > list.size()));
  }

  /** 403 naming the rows the admin may not import. */
  KelianException forbidden() {
    JsonArray list = list();
    JsonObject first = list.getJsonObject(0);
    int total = all.size();
    return new KelianException(ErrorKind.FORBIDDEN, "import_forbidden",
        "第 " + first.getInteger("line") + " 行：" + first.getString("messageZh") + "（共 " + total + " 行无权导入，未导入任何数据）",
        "Line " + first.getInteger("line") + ": " + first.getString("messageEn") + " (" + total + " row(s) not allowed; nothing was imported)")
        .withDetails(new JsonObject().put("errors", list).put("total", total).put("truncated", total > list.size()));
  }

  /** In file order (rows are checked column by column, and some checks need the whole file first), the first MAX. */
  private JsonArray list() {
    JsonArray out = new JsonArray();
    all.stream().sorted(java.util.Comparator.comparing(j -> j.getInteger("line"))).limit(MAX).forEach(out::add);
    return out;
  }
}
