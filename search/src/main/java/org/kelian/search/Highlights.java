package org.kelian.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Highlighting done here rather than by Elasticsearch: what the query matched in a hit's title and catalog path,
 * computed from the typed terms and the hit's title and paths (read from doc values). Elasticsearch's highlighter
 * re-analyses every highlighted field of every hit for every query and cost about as much as the search itself (on
 * 200,000 resources: 4–6 ms of an 8 ms search); the same marks cost microseconds here.
 *
 * <p>It marks what the queries of {@link ResourceQueries} match, the way Elasticsearch's unified highlighter with
 * the {@code html} encoder marked them:
 * <ul>
 *   <li>Han and Latin text (title, path elements): the index analyser's tokens (the standard tokenizer's words — one per
 *   Han character — and the bigrams of adjacent tokens) that equal a query token (the bigrams of a typed term, or the
 *   term itself when it is one token) are marked; overlapping marks merge, adjacent ones stay apart.</li>
 *   <li>Pinyin (a typed term of letters and digits): a name matches when one of its spellings' joined pinyin or
 *   initials starts with the term, or its syllables contain the term's segmentation as a phrase; for a title, also
 *   when a key equals the term. Such a match marks the whole name.</li>
 * </ul>
 * The standard tokenizer is approximated: Han characters are single tokens, runs of other letters and digits are
 * words, and ".", "'" or "’" between two such characters do not split a word ("3.4").
 */
final class Highlights {

  static final String EM = "<em>";
  static final String EM_END = "</em>";

  /** Keys longer than this are not indexed ({@code ignore_above} of the key fields). */
  private static final int KEY_IGNORE_ABOVE = 256;

  private static final Pattern WORD = Pattern.compile(
      "\\p{IsHan}|[\\p{L}\\p{N}_&&[^\\p{IsHan}]]+(?:[.'’][\\p{L}\\p{N}_&&[^\\p{IsHan}]]+)*");
  private static final Pattern LETTERS_DIGITS = Pattern.compile("[a-z0-9]+");

  private static final Highlights NONE = new Highlights(Set.of(), List.of(), List.of(), List.of());

  /** Tokens of the typed terms as the search analyser makes them (bigrams, or the lone token). */
  private final Set<String> textTokens;
  /** Every typed term's key (exact matches of title keys). */
  private final List<String> keys;
  /** Keys of letters and digits: prefixes of joined pinyin and initials. */
  private final List<String> latinKeys;
  /** Segmented pinyin of latin keys, as syllable lists. */
  private final List<List<String>> phrases;

  private Highlights(Set<String> textTokens, List<String> keys, List<String> latinKeys, List<List<String>> phrases) {
    this.textTokens = textTokens;
    this.keys = keys;
    this.latinKeys = latinKeys;
    this.phrases = phrases;
  }

  /** The marks of a typed query, cut into terms as {@link ResourceQueries#terms} does. */
  static Highlights of(String text) {
    List<String> terms = ResourceQueries.terms(text);
    if (terms.isEmpty()) {
      return NONE;
    }
    Set<String> tokens = new LinkedHashSet<>();
    List<String> keys = new ArrayList<>();
    List<String> latin = new ArrayList<>();
    List<List<String>> phrases = new ArrayList<>();
    for (String term : terms) {
      List<Token> t = tokens(term);
      if (t.size() == 1) {
        tokens.add(t.get(0).text);
      }
      for (int i = 0; i + 1 < t.size(); i++) {
        tokens.add(t.get(i).text + t.get(i + 1).text);
      }
      String key = IndexedResource.key(term);
      keys.add(key);
      if (LETTERS_DIGITS.matcher(key).matches()) {
        latin.add(key);
        Pinyin.segment(key).ifPresent(s -> phrases.add(Arrays.asList(s.split(" "))));
      }
    }
    return new Highlights(tokens, keys, latin, phrases);
  }

  /** The text, HTML-escaped, with what the query matched in it between {@code <em>} tags; null when nothing matched. */
  String mark(String text) {
    if (textTokens.isEmpty() || text == null || text.isEmpty()) {
      return null;
    }
    List<Token> words = tokens(text);
    List<int[]> matches = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      Token w = words.get(i);
      if (textTokens.contains(w.text)) {
        matches.add(new int[] {w.start, w.end});
      }
      if (i + 1 < words.size() && textTokens.contains(w.text + words.get(i + 1).text)) {
        matches.add(new int[] {w.start, words.get(i + 1).end});
      }
    }
    if (matches.isEmpty()) {
      return null;
    }
    matches.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
    StringBuilder out = new StringBuilder(text.length() + 32);
    int pos = 0;
    for (int i = 0; i < matches.size(); i++) {
      int start = Math.max(pos, matches.get(i)[0]);
      int end = matches.get(i)[1];
      while (i + 1 < matches.size() && matches.get(i + 1)[0] < end) { // overlapping marks merge
        end = Math.max(end, matches.get(++i)[1]);
      }
      if (end <= start) {
        continue;
      }
      out.append(Html.escape(text.substring(pos, start))).append(EM).append(Html.escape(text.substring(start, end))).append(EM_END);
      pos = end;
    }
    return out.append(Html.escape(text.substring(pos))).toString();
  }

  /** Whether a title matched by its pinyin, initials or exact key (the whole title is then the match). */
  boolean keysMatchTitle(String title) {
    if (keys.isEmpty() || title == null || title.isBlank()) {
      return false;
    }
    String full = IndexedResource.key(title);
    if (full.length() <= KEY_IGNORE_ABOVE && keys.contains(full)) {
      return true;
    }
    return matchesSpellings(title);
  }

  /** Whether a catalog name (without its ordinal) matched by its pinyin or initials. */
  boolean pinyinMatchesName(String bareName) {
    return !latinKeys.isEmpty() && bareName != null && !bareName.isBlank() && matchesSpellings(bareName);
  }

  private boolean matchesSpellings(String name) {
    if (latinKeys.isEmpty()) {
      return false;
    }
    String full = IndexedResource.key(name);
    for (String key : latinKeys) {
      if (full.length() <= KEY_IGNORE_ABOVE && full.startsWith(key)) {
        return true;
      }
    }
    for (Pinyin.Spelling sp : Pinyin.variants(name)) {
      for (String key : latinKeys) {
        if ((sp.joined().length() <= KEY_IGNORE_ABOVE && sp.joined().startsWith(key))
            || (sp.initials().length() <= KEY_IGNORE_ABOVE && sp.initials().startsWith(key))) {
          return true;
        }
      }
      if (!phrases.isEmpty() && !sp.syllables().isEmpty()) {
        List<String> syllables = Arrays.asList(sp.syllables().split(" "));
        for (List<String> phrase : phrases) {
          if (java.util.Collections.indexOfSubList(syllables, phrase) >= 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private record Token(String text, int start, int end) {
  }

  private static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(new Token(m.group().toLowerCase(Locale.ROOT), m.start(), m.end()));
    }
    return out;
  }
}
