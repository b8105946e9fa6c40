package org.kelian.core.upload;

/**
 * File names as people gave them, made safe to store and show: the last path segment only (so
 * {@code ../../etc/passwd} is just "passwd"), no control characters, bounded length. Storage never uses them as
 * keys; they only travel back in Content-Disposition.
 */
public final class FileNames {

  private FileNames() {
  }

  public static String clean(String fileName) {
    String n = fileName == null ? "" : fileName;
    n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
    n = n.replaceAll("\\p{Cntrl}", "").strip();
    if (n.isEmpty() || n.equals(".") || n.equals("..")) {
      return "download";
    }
    return n.length() > 200 ? n.substring(0, 200) : n;
  }
}
