package org.kelian.search;

/**
 * HTML escaping exactly as Elasticsearch's {@code html} highlight encoder does it (Lucene's SimpleHTMLEncoder), so
 * that text we escape ourselves reads the same as highlighted fragments and can be compared with them.
 */
final class Html {

  private Html() {
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("&quot;");
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\'' -> out.append("&#x27;");
        case '/' -> out.append("&#x2F;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
