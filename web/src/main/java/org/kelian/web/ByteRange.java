package org.kelian.web;

/**
 * One {@code Range: bytes=…} request header against a file of known size (RFC 9110 §14): the first and last byte
 * to send, {@link #UNSATISFIABLE} when the range starts beyond the file, or null when the whole file is sent: no
 * header, a header that does not parse, or several ranges (a server may answer those with the whole file).
 */
final class ByteRange {

  static final long[] UNSATISFIABLE = new long[0];

  private ByteRange() {
  }

  static long[] parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long first = number(spec.substring(0, dash));
    long last = number(spec.substring(dash + 1));
    if (dash == 0) { // the last N bytes
      if (last < 0) {
        return null;
      }
      if (last == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      return new long[] {Math.max(0, size - last), size - 1};
    }
    if (first < 0 || (dash < spec.length() - 1 && (last < 0 || last < first))) {
      return null;
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new long[] {first, dash == spec.length() - 1 ? size - 1 : Math.min(last, size - 1)};
  }

  /** A non-negative decimal, or -1. */
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }
}
