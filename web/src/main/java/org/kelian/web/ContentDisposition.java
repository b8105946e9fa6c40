package org.kelian.web;

import java.nio.charset.StandardCharsets;

/**
 * A {@code Content-Disposition} that keeps Chinese file names (RFC 6266/5987 {@code filename*}) with an ASCII
 * fallback, and never lets a stored name carry a path, quotes or control characters into a header.
 */
final class ContentDisposition {

  private ContentDisposition() {
  }

  static String of(boolean inline, String fileName) {
    String name = org.kelian.core.upload.FileNames.clean(fileName);
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encode(name);
  }

  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
