package org.kelian.core.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A CSV file read against the columns of its kind: the header row mapped to column keys, then the data rows. */
final class Sheet {

  /** A data row and the line of the file it starts on. */
  record Line(int line, List<String> fields) {
  }

  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, String> headers = new HashMap<>();
  private final List<Line> lines = new ArrayList<>();

  private Sheet() {
  }

  /** Reads the header; unknown, repeated and missing columns are problems of line 1. */
  static Sheet read(ImportKind kind, List<Csv.Record> records, Problems problems) {
    Sheet s = new Sheet();
    Csv.Record header = records.get(0);
    for (int i = 0; i < header.fields().size(); i++) {
      String h = header.fields().get(i).strip();
      if (h.isEmpty()) {
        continue;
      }
      var col = kind.column(h);
      if (col.isEmpty()) {
        problems.add(header.line(), h, "未知的列「" + h + "」，可用的列：" + names(kind),
            "Unknown column \"" + h + "\"; the columns are: " + names(kind));
      } else if (s.index.containsKey(col.get().key())) {
        problems.add(header.line(), h, "列「" + h + "」重复", "Column \"" + h + "\" appears twice");
      } else {
        s.index.put(col.get().key(), i);
        s.headers.put(col.get().key(), h);
      }
    }
    for (ImportKind.Column c : kind.columns()) {
      boolean schoolById = c.key().equals("school") && s.has("schoolId");
      if (c.required() && !s.has(c.key()) && !schoolById) {
        problems.add(header.line(), c.key(), "缺少必需的列「" + c.key() + "」（也可写作：" + String.join("、", c.aliases()) + "）",
            "Missing column \"" + c.key() + "\" (or: " + String.join(", ", c.aliases()) + ")");
      }
    }
    if (kind == ImportKind.TIMETABLES && !s.has("class") && !(s.has("grade") && s.has("className"))) {
      problems.add(header.line(), "class", "缺少班级：请给出「班级」列（如 三年级1班），或「年级」和「班名」两列",
          "Missing the class: give a \"class\" column (e.g. 三年级1班) or the two columns \"grade\" and \"className\"");
    }
    int width = header.fields().size();
    for (Csv.Record r : records.subList(1, records.size())) {
      if (r.fields().size() > width && r.fields().subList(width, r.fields().size()).stream().anyMatch(f -> !f.isBlank())) {
        problems.add(r.line(), "", "这一行的字段比表头多（" + r.fields().size() + " > " + width + "），含逗号的内容请用英文双引号括起来",
            "This row has more fields than the header (" + r.fields().size() + " > " + width + "); quote values that contain commas");
      }
      s.lines.add(new Line(r.line(), r.fields()));
    }
    return s;
  }

  boolean has(String key) {
    return index.containsKey(key);
  }

  /** The value of a column in a row, without surrounding blanks; empty when absent. */
  String get(Line l, String key) {
    Integer i = index.get(key);
    return i == null || i >= l.fields().size() ? "" : l.fields().get(i).strip();
  }

  /** The column as the file names it, for messages. */
  String header(String key) {
    return headers.getOrDefault(key, key);
  }

  List<Line> lines() {
    return lines;
  }

  private static String names(ImportKind kind) {
    return kind.columns().stream().map(c -> c.key() + (c.aliases().isEmpty() ? "" : "/" + c.aliases().get(0))).collect(Collectors.joining(", "));
  }
}
