package org.kelian.media.transcode;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.kelian.core.media.MediaInfo;
import org.kelian.core.media.MediaRejected;

/** Reads ffprobe's JSON into {@link MediaInfo}: the first real video stream (not cover art) and the first audio stream. */
final class FfmpegProbe {

  private static final Set<String> INTERLACED = Set.of("tt", "bb", "tb", "bt");

  private FfmpegProbe() {
  }

  static MediaInfo parse(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException e) {
      throw MediaRejected.notMedia();
    }
    JsonObject format = root.getJsonObject("format", new JsonObject());
    JsonArray streams = root.getJsonArray("streams", new JsonArray());
    MediaInfo.Video video = null;
    MediaInfo.Audio audio = null;
    double duration = number(format.getValue("duration"));
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      String type = s.getString("codec_type", "");
      boolean coverArt = s.getJsonObject("disposition", new JsonObject()).getInteger("attached_pic", 0) == 1;
      if (video == null && "video".equals(type) && !coverArt && s.getInteger("width", 0) > 0 && s.getInteger("height", 0) > 0) {
        video = video(s);
        if (!(duration > 0)) {
          duration = number(s.getValue("duration"));
        }
      } else if (audio == null && "audio".equals(type) && s.containsKey("codec_name")) {
        audio = new MediaInfo.Audio(s.getString("codec_name"), s.getInteger("channels", 0), (int) number(s.getValue("sample_rate")));
        if (!(duration > 0)) {
          duration = number(s.getValue("duration"));
        }
      }
    }
    if (video == null && audio == null) {
      throw MediaRejected.notMedia();
    }
    return new MediaInfo(format.getString("format_name", ""), duration, video, audio);
  }

  /** The end of the last packet, from ffprobe's "pts_time,duration_time" lines (N/A where unknown); 0 when none. */
  static double lastPacketEnd(String csv) {
    double end = 0;
    for (String line : csv.split("\n")) {
      String[] f = line.strip().split(",");
      double pts = f.length > 0 ? number(f[0]) : Double.NaN;
      if (pts >= 0) {
        double d = f.length > 1 ? number(f[1]) : Double.NaN;
        end = Math.max(end, pts + (d > 0 ? d : 0));
      }
    }
    return end;
  }

  private static MediaInfo.Video video(JsonObject s) {
    int w = s.getInteger("width");
    int h = s.getInteger("height");
    double sar = ratio(s.getString("sample_aspect_ratio"));
    if (sar > 0 && Math.abs(sar - 1) > 0.01) {
      w = (int) Math.round(w * sar); // non-square pixels (DV, some capture cards): display width
    }
    int rotation = rotation(s);
    if (rotation == 90 || rotation == 270) {
      int t = w;
      w = h;
      h = t;
    }
    double fps = ratio(s.getString("avg_frame_rate"));
    if (!(fps > 0) || fps > 240) {
      fps = ratio(s.getString("r_frame_rate"));
    }
    boolean interlaced = INTERLACED.contains(s.getString("field_order", ""));
    return new MediaInfo.Video(s.getString("codec_name", ""), w, h, fps > 0 && fps <= 240 ? fps : 0, interlaced);
  }

  /** Clockwise degrees the picture must turn to display, 0/90/180/270, from the display matrix or the old rotate tag. */
  private static int rotation(JsonObject s) {
    double r = 0;
    JsonArray side = s.getJsonArray("side_data_list", new JsonArray());
    for (int i = 0; i < side.size(); i++) {
      Object v = side.getJsonObject(i).getValue("rotation");
      if (v != null) {
        r = number(v);
      }
    }
    Object tag = s.getJsonObject("tags", new JsonObject()).getValue("rotate");
    if (r == 0 && tag != null) {
      r = number(tag);
    }
    int deg = (int) Math.round(r) % 360;
    if (deg < 0) {
      deg += 360;
    }
    return deg;
  }

  private static double ratio(String r) {
    if (r == null || r.isBlank()) {
      return 0;
    }
    String[] p = r.split("[/:]");
    try {
      double n = Double.parseDouble(p[0]);
      double d = p.length > 1 ? Double.parseDouble(p[1]) : 1;
      return d == 0 ? 0 : n / d;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }
}
