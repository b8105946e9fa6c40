package org.kelian.core.upload;

import java.util.Locale;
import org.apache.tika.Tika;

/**
 * What a file is, by its name before the upload and by its first bytes after it (Tika), plus what Tika does not
 * know: MPEG transport streams, the files classroom recording systems (录播) write as .ts, .mts or .m2ts.
 */
final class FileTypes {

  private static final Tika TIKA = new Tika();
  private static final String TRANSPORT_STREAM = "video/mp2t";

  private FileTypes() {
  }

  static String byName(String fileName) {
    return isTransportStreamName(fileName) ? TRANSPORT_STREAM : TIKA.detect(fileName);
  }

  static String byContent(byte[] head, String fileName) {
    String type = TIKA.detect(head, fileName);
    if (("application/octet-stream".equals(type) || type.startsWith("model/vnd.mts")) && looksLikeTransportStream(head)) {
      return TRANSPORT_STREAM;
    }
    return type;
  }

  private static boolean isTransportStreamName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".ts") || n.endsWith(".mts") || n.endsWith(".m2ts");
  }

  /** The sync byte 0x47 at the start of several consecutive packets of 188 bytes (or 192, with a timecode prefix). */
  static boolean looksLikeTransportStream(byte[] b) {
    for (int[] layout : new int[][] {{188, 0}, {192, 4}}) {
      int packets = Math.min(8, (b.length - layout[1]) / layout[0]);
      if (packets < 3) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < packets && all; i++) {
        all = b[layout[1] + i * layout[0]] == 0x47;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
