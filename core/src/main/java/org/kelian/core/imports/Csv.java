package org.kelian.core.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kelian.core.error.KelianException;

/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated fields, fields in double quotes may hold commas, quotes
 * (doubled) and line breaks; lines end in CRLF or LF. Excel in China saves "CSV UTF-8" with a byte order mark, and
 * plain "CSV" in the system code page (GBK), so both are read: UTF-8 when the bytes are valid UTF-8, else GB18030
 * (a superset of GBK and GB2312; a GBK file that happens to be valid UTF-8 is vanishingly rare with Chinese text).
 */
public final class Csv {

  /** One record: the line it starts on (1 = the first line of the file) and its fields as written. */
  public record Record(int line, List<String> fields) {

    public boolean blank() {
      return fields.stream().allMatch(f -> f.isBlank());
    }
  }

  /** The text of an upload and the encoding it was read in (UTF-8, UTF-8 with BOM, or GB18030). */
  public record Text(String text, String encoding) {
  }

  private static final Charset GB18030 = Charset.forName("GB18030");

  private Csv() {
  }

  public static Text decode(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      return new Text(strict(StandardCharsets.UTF_8, bytes, 3), "UTF-8 (BOM)");
    }
    String utf8 = strict(StandardCharsets.UTF_8, bytes, 0);
    if (utf8 != null) {
      return new Text(utf8, "UTF-8");
    }
    String gb = strict(GB18030, bytes, 0);
    if (gb == null) {
      throw KelianException.invalid("unknown_encoding", "无法识别文件编码：请另存为“CSV UTF-8”或 GBK 编码的 CSV",
          "Unknown text encoding: save the file as \"CSV UTF-8\" or as GBK-encoded CSV");
    }
    return new Text(gb, "GB18030");
  }

  private static String strict(Charset cs, byte[] bytes, int offset) {
    try {
      return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Splits the text into records. A quote inside an unquoted field is kept as it is (spreadsheets write such
   * files); a quoted field that never ends is refused naming the line it starts on.
   */
  public static List<Record> parse(String text) {
    List<Record> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    int i = 0;
    int n = text.length();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (i < n) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          // A line break inside a field is kept as a plain LF, whichever the file used.
          i++;
          continue;
        }
        if (c == '\n' || c == '\r') {
          line++;
        }
        field.append(c);
        i++;
        continue;
      }
      if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        i++;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
        i++;
      } else if (c == '\r' || c == '\n') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
        out.add(new Record(recordLine, List.copyOf(fields)));
        fields.clear();
        i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
        line++;
        recordLine = line;
      } else {
        field.append(c);
        i++;
      }
    }
    if (quoted) {
      throw KelianException.invalid("csv_unterminated_quote", "第 " + recordLine + " 行的引号没有闭合",
          "The quoted field starting on line " + recordLine + " never ends");
    }
    if (field.length() > 0 || !fields.isEmpty() || wasQuoted) {
      fields.add(field.toString());
      out.add(new Record(recordLine, List.copyOf(fields)));
    }
    return out;
  }
}
