package org.kelian.core.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kelian.core.error.KelianException;

/**
 * Caption files as teachers have them, WebVTT or SubRip (SRT), read into cues, and cues written back as WebVTT.
 * SRT differs by its numbered blocks and comma decimal separators; both are accepted in either file.
 */
public final class Captions {

  public static final int MAX_CUES = 20_000;
  private static final int MAX_TEXT = 1_000;
  private static final Pattern TIMING = Pattern.compile(
      "^\\s*((?:\\d+:)?\\d{1,2}:\\d{2}[.,]\\d{1,3})\\s*-->\\s*((?:\\d+:)?\\d{1,2}:\\d{2}[.,]\\d{1,3})(.*)$");

  public record Cue(double start, double end, String text) {
  }

  private Captions() {
  }

  /** Reads a WebVTT or SRT file; a malformed one is refused with the line where it went wrong. */
  public static List<Cue> parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw KelianException.invalid("captions_empty", "字幕文件为空", "The caption file is empty");
    }
    String text = raw.replace("\uFEFF", "").replace("\r\n", "\n").replace('\r', '\n');
    String[] lines = text.split("\n", -1);
    List<Cue> cues = new ArrayList<>();
    int i = 0;
    if (lines[0].strip().startsWith("WEBVTT")) {
      i = skipBlock(lines, 0); // the header block, with any metadata lines
    }
    while (i < lines.length) {
      if (lines[i].isBlank()) {
        i++;
        continue;
      }
      String first = lines[i].strip();
      if (first.startsWith("NOTE") || first.startsWith("STYLE") || first.startsWith("REGION")) {
        i = skipBlock(lines, i);
        continue;
      }
      Matcher m = TIMING.matcher(lines[i]);
      if (!m.matches() && i + 1 < lines.length) {
        i++; // an SRT number or a WebVTT cue identifier
        m = TIMING.matcher(lines[i]);
      }
      if (!m.matches()) {
        throw malformed(i + 1);
      }
      double start = seconds(m.group(1));
      double end = seconds(m.group(2));
      if (end < start) {
        throw malformed(i + 1);
      }
      StringBuilder cue = new StringBuilder();
      for (i++; i < lines.length && !lines[i].isBlank(); i++) {
        if (cue.length() > 0) {
          cue.append('\n');
        }
        cue.append(lines[i].strip());
      }
      if (cue.length() > MAX_TEXT) {
        throw KelianException.invalid("caption_too_long", "第 " + (i + 1) + " 行附近的字幕文字过长", "A cue near line " + (i + 1) + " is too long");
      }
      cues.add(new Cue(start, end, cue.toString()));
      if (cues.size() > MAX_CUES) {
        throw KelianException.invalid("too_many_cues", "字幕条目过多（最多 " + MAX_CUES + " 条）", "Too many cues (at most " + MAX_CUES + ")");
      }
    }
    if (cues.isEmpty()) {
      throw KelianException.invalid("captions_empty", "字幕文件中没有字幕条目", "The caption file holds no cues");
    }
    return cues;
  }

  public static String toVtt(List<Cue> cues) {
    StringBuilder out = new StringBuilder("WEBVTT\n");
    for (Cue c : cues) {
      // Cue text may not contain "-->" or a blank line; "<" and "&" are markup in WebVTT and are escaped.
      String text = c.text().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
      out.append('\n').append(time(c.start())).append(" --> ").append(time(c.end())).append('\n').append(text).append('\n');
    }
    return out.toString();
  }

  private static int skipBlock(String[] lines, int i) {
    while (i < lines.length && !lines[i].isBlank()) {
      i++;
    }
    return i;
  }

  private static double seconds(String t) {
    String[] p = t.replace(',', '.').split(":");
    double s = Double.parseDouble(p[p.length - 1]);
    s += Integer.parseInt(p[p.length - 2]) * 60;
    if (p.length == 3) {
      s += Integer.parseInt(p[0]) * 3600;
    }
    return s;
  }

  static String time(double s) {
    long ms = Math.round(s * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  private static KelianException malformed(int line) {
    return KelianException.invalid("captions_malformed", "字幕文件格式有误（第 " + line + " 行）：请上传 WebVTT 或 SRT 文件",
        "The caption file is malformed at line " + line + "; upload a WebVTT or SRT file");
  }
}
