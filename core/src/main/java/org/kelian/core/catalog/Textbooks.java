package org.kelian.core.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.error.KelianException;

/**
 * Reads the textbook table-of-contents format ({@code [{stage, subject, edition, grade, volume, units: [{title,
 * lessons: [{title, children?}]}]}]}) into catalog nodes in tree order. Node ids are derived from the path of
 * titles, so importing the same books again finds the same nodes: the import is idempotent by construction.
 */
public final class Textbooks {

  static final int MAX_TITLE = 200;
  private static final String[] BOOK_LEVELS = {"stage", "subject", "edition", "grade", "volume"};

  private Textbooks() {
  }

  /** A node to create: its id, parent, kind, title, position among siblings, and path. */
  public record NodeSpec(UUID id, UUID parentId, CatalogKind kind, String title, int position, List<UUID> pathIds,
                         List<String> pathTitles) {
  }

  public static List<NodeSpec> parse(JsonArray books) {
    if (books == null || books.isEmpty()) {
      throw KelianException.invalid("empty_import", "导入内容为空：需要一个教材数组", "Nothing to import: expected an array of textbooks");
    }
    List<NodeSpec> out = new ArrayList<>();
    Set<UUID> seen = new HashSet<>();
    Map<UUID, Integer> nextPosition = new HashMap<>();
    for (int b = 0; b < books.size(); b++) {
      Object o = books.getValue(b);
      if (!(o instanceof JsonObject book)) {
        throw bad(b, "不是对象", "is not an object");
      }
      List<UUID> pathIds = new ArrayList<>();
      List<String> pathTitles = new ArrayList<>();
      for (int level = 0; level < BOOK_LEVELS.length; level++) {
        String title = title(book.getValue(BOOK_LEVELS[level]), b, BOOK_LEVELS[level]);
        // Shared levels (stage … volume) keep the order in which the file first names them.
        UUID parent = pathIds.isEmpty() ? null : pathIds.get(pathIds.size() - 1);
        boolean isNew = !seen.contains(idOf(append(pathTitles, title)));
        int position = isNew ? nextPosition.merge(parent == null ? ROOT : parent, 1, Integer::sum) - 1 : 0;
        add(out, seen, CatalogKind.values()[level], title, position, pathIds, pathTitles);
      }
      JsonArray units = array(book.getValue("units"), b, "units");
      for (int u = 0; u < units.size(); u++) {
        JsonObject unit = object(units.getValue(u), b, "units[" + u + "]");
        List<UUID> uIds = new ArrayList<>(pathIds);
        List<String> uTitles = new ArrayList<>(pathTitles);
        add(out, seen, CatalogKind.UNIT, title(unit.getValue("title"), b, "units[" + u + "].title"), u, uIds, uTitles);
        Object lessons = unit.getValue("lessons");
        if (lessons != null) {
          children(out, seen, array(lessons, b, "units[" + u + "].lessons"), CatalogKind.LESSON, uIds, uTitles, b, "units[" + u + "].lessons");
        }
      }
    }
    return out;
  }

  private static void children(List<NodeSpec> out, Set<UUID> seen, JsonArray items, CatalogKind kind, List<UUID> parentIds,
                               List<String> parentTitles, int b, String where) {
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = object(items.getValue(i), b, where + "[" + i + "]");
      List<UUID> ids = new ArrayList<>(parentIds);
      List<String> titles = new ArrayList<>(parentTitles);
      add(out, seen, kind, title(item.getValue("title"), b, where + "[" + i + "].title"), i, ids, titles);
      Object kids = item.getValue("children");
      if (kids != null) {
        children(out, seen, array(kids, b, where + "[" + i + "].children"), CatalogKind.SECTION, ids, titles, b, where + "[" + i + "].children");
      }
    }
  }

  /** Appends the node (once per import) and extends the path in place. */
  private static void add(List<NodeSpec> out, Set<UUID> seen, CatalogKind kind, String title, int position, List<UUID> pathIds,
                          List<String> pathTitles) {
    UUID parent = pathIds.isEmpty() ? null : pathIds.get(pathIds.size() - 1);
    pathTitles.add(title);
    UUID id = idOf(pathTitles);
    pathIds.add(id);
    if (seen.add(id)) {
      out.add(new NodeSpec(id, parent, kind, title, position, List.copyOf(pathIds), List.copyOf(pathTitles)));
    }
  }

  private static final UUID ROOT = new UUID(0, 0);

  private static List<String> append(List<String> list, String s) {
    List<String> out = new ArrayList<>(list);
    out.add(s);
    return out;
  }

  /** The stable id of the node at this path of titles. */
  public static UUID idOf(List<String> pathTitles) {
    return UUID.nameUUIDFromBytes(("kelian-catalog:" + String.join("\u001f", pathTitles)).getBytes(StandardCharsets.UTF_8));
  }

  private static String title(Object v, int b, String field) {
    if (!(v instanceof String s) || s.isBlank()) {
      throw bad(b, "缺少 " + field, "lacks " + field);
    }
    String t = s.strip();
    if (t.length() > MAX_TITLE) {
      throw bad(b, field + " 过长", field + " is too long");
    }
    return t;
  }

  private static JsonArray array(Object v, int b, String field) {
    if (!(v instanceof JsonArray a)) {
      throw bad(b, field + " 应为数组", field + " must be an array");
    }
    return a;
  }

  private static JsonObject object(Object v, int b, String field) {
    if (!(v instanceof JsonObject o)) {
      throw bad(b, field + " 应为对象", field + " must be an object");
    }
    return o;
  }

  private static KelianException bad(int book, String zh, String en) {
    return KelianException.invalid("invalid_textbook", "第 " + (book + 1) + " 本教材" + zh, "Textbook #" + (book + 1) + " " + en);
  }
}
