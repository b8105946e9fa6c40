package org.kelian.search;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.kelian.core.search.SearchDocument;

/**
 * The indexed form of a {@link SearchDocument}: its own fields plus what search derives from its title and catalog
 * paths (see {@code resources-index.json}). Derived fields, per name (a title, or a unit/lesson title of a path):
 * <ul>
 *   <li>{@code *Pinyin}: the syllable spellings, for phrase matches of segmented pinyin;</li>
 *   <li>{@code *Keys}: the lower-cased name (without its ordinal for catalog titles), its joined pinyin and its
 *   initials, for exact and prefix matches;</li>
 *   <li>{@code leaf*}: the same for the node each path ends at, so that typing a lesson's title ranks the
 *   resources of that lesson first whatever they are called;</li>
 *   <li>{@code suggest}: one keyword per (key, kind, text), so that completions are a prefix filter plus a terms
 *   aggregation.</li>
 * </ul>
 */
final class IndexedResource {

  static final String KIND_RESOURCE = "resource";
  static final String KIND_LESSON = "lesson";

  /** Path elements from this index on are units, lessons and class hours; before it: stage … volume. */
  static final int FIRST_OUTLINE_LEVEL = 5;

  /** Separates the parts of a {@code suggest} value; user input cannot contain it (control characters). */
  static final char SUGGEST_SEPARATOR = '\u001f';

  /** Catalog numbering that is not part of a title: "8 ", "第一单元 ", "10. ", "一、". */
  private static final Pattern ORDINAL = Pattern.compile(
      "^\\s*(第[0-9一二三四五六七八九十百零〇]+[单元章节课讲部分篇]*|[0-9]+(\\.[0-9]+)*|[一二三四五六七八九十]+(?=、))[\\s\u3000、.．:：]*");

  private IndexedResource() {
  }

  static Map<String, Object> source(SearchDocument d) {
    List<List<String>> paths = d.catalogPaths() == null ? List.of() : d.catalogPaths();
    Names title = Names.of(d.title(), d.title());
    Set<String> suggest = new LinkedHashSet<>(title.suggestions(KIND_RESOURCE, d.title()));
    Map<String, Names> catalogNames = new HashMap<>(); // a name shared by several paths is spelled once
    Names outline = new Names();
    Names leaf = new Names();
    Set<String> pathWords = new LinkedHashSet<>();
    for (List<String> path : paths) {
      pathWords.addAll(path);
      for (int level = FIRST_OUTLINE_LEVEL; level < path.size(); level++) {
        String name = path.get(level);
        Names n = catalogNames.computeIfAbsent(name, t -> Names.of(t, bare(t)));
        outline.addAll(n);
        suggest.addAll(n.suggestions(KIND_LESSON, bare(name)));
        if (level == path.size() - 1) {
          leaf.addAll(n);
        }
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("id", d.id().toString());
    s.put("title", d.title());
    s.put("titlePinyin", title.syllables);
    s.put("titleKeys", title.keys);
    s.put("description", d.description());
    s.put("captions", nullToEmpty(d.captions()));
    s.put("captioned", d.captions() != null && !d.captions().isEmpty());
    s.put("tags", nullToEmpty(d.tags()));
    s.put("path", pathWords);
    s.put("outlinePinyin", outline.syllables);
    s.put("outlineKeys", outline.keys);
    s.put("leaf", leaf.texts);
    s.put("leafPinyin", leaf.syllables);
    s.put("leafKeys", leaf.keys);
    s.put("suggest", suggest);
    s.put("hitPaths", paths.stream().map(IndexedResource::joinPath).toList());
    s.put("catalogNodeIds", d.catalogNodeIds() == null ? List.of() : d.catalogNodeIds().stream().map(Object::toString).toList());
    s.put("type", d.type());
    s.put("scope", d.scope());
    s.put("visibility", nullToEmpty(d.visibility()));
    s.put("stages", nullToEmpty(d.stages()));
    s.put("subjects", nullToEmpty(d.subjects()));
    s.put("editions", nullToEmpty(d.editions()));
    s.put("grades", nullToEmpty(d.grades()));
    s.put("featured", d.featured());
    s.put("viewCount", d.viewCount());
    s.put("publishedAt", d.publishedAt() == null ? null : d.publishedAt().toString());
    return s;
  }

  /** Separates the elements of a path in {@code hitPaths}: a control character, which no title contains. */
  static final String PATH_SEPARATOR = "\u001f";

  static String joinPath(List<String> path) {
    return String.join(PATH_SEPARATOR, path);
  }

  static List<String> splitPath(String joined) {
    return List.of(joined.split(PATH_SEPARATOR, -1));
  }

  /** A catalog title without its numbering: "8 分数的初步认识" → "分数的初步认识"; the title itself if nothing is left. */
  static String bare(String title) {
    String b = ORDINAL.matcher(title).replaceFirst("").strip();
    return b.isEmpty() ? title.strip() : b;
  }

  /** How a user's input compares with keys: lower-cased, trimmed. */
  static String key(String text) {
    return text.strip().toLowerCase(Locale.ROOT);
  }

  static String suggestValue(String key, String kind, String text) {
    return key + SUGGEST_SEPARATOR + kind + SUGGEST_SEPARATOR + text;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The derived fields of some names. */
  private static final class Names {
    final Set<String> texts = new LinkedHashSet<>();
    final Set<String> syllables = new LinkedHashSet<>();
    final Set<String> keys = new LinkedHashSet<>();

    /** One name: its full text, and its bare form for the spellings a user would type. */
    static Names of(String full, String bare) {
      Names n = new Names();
      if (full == null || full.isBlank()) {
        return n;
      }
      n.texts.add(full);
      n.keys.add(key(full));
      n.keys.add(key(bare));
      for (Pinyin.Spelling s : Pinyin.variants(bare)) {
        if (!s.joined().isEmpty()) {
          n.syllables.add(s.syllables());
          n.keys.add(s.joined());
          n.keys.add(s.initials());
        }
      }
      return n;
    }

    void addAll(Names other) {
      texts.addAll(other.texts);
      syllables.addAll(other.syllables);
      keys.addAll(other.keys);
    }

    List<String> suggestions(String kind, String text) {
      return text == null || text.isBlank() ? List.of()
          : keys.stream().map(k -> suggestValue(k, kind, text.strip())).toList();
    }
  }

  /** A decoded {@code suggest} value. */
  record SuggestValue(String key, String kind, String text) {
    static Optional<SuggestValue> parse(String value) {
      int a = value.indexOf(SUGGEST_SEPARATOR);
      int b = a < 0 ? -1 : value.indexOf(SUGGEST_SEPARATOR, a + 1);
      return b < 0 ? Optional.empty()
          : Optional.of(new SuggestValue(value.substring(0, a), value.substring(a + 1, b), value.substring(b + 1)));
    }
  }
}
