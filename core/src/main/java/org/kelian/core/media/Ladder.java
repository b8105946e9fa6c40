package org.kelian.core.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The rendition ladder for classroom video: 1080p, 720p, 480p and 360p with capped CRF, never above the source.
 * Rungs are named by the short side so that portrait phone video keeps its orientation at every rung. A source
 * smaller than the smallest rung gets one rendition at its own size.
 */
public final class Ladder {

  private record Step(int label, int crf, int maxrateKbps, int audioKbps) {
  }

  private static final List<Step> STEPS = List.of(
      new Step(1080, 23, 4500, 128),
      new Step(720, 23, 2500, 128),
      new Step(480, 24, 1200, 96),
      new Step(360, 25, 700, 64));

  /** Output frame rate cap: lessons gain nothing from 50/60 fps and would cost twice the encode. */
  public static final double MAX_FPS = 30;

  private Ladder() {
  }

  public static List<Rung> plan(MediaInfo.Video v) {
    List<Rung> out = new ArrayList<>();
    for (Step s : STEPS) {
      if (s.label() <= v.shortSide()) {
        out.add(rung(v, s.label(), s));
      }
    }
    if (out.isEmpty()) {
      Step smallest = STEPS.get(STEPS.size() - 1);
      out.add(rung(v, even(v.shortSide()), smallest));
    }
    return List.copyOf(out);
  }

  public static double outputFps(MediaInfo.Video v) {
    return v.fps() > 0 && v.fps() <= MAX_FPS ? v.fps() : MAX_FPS;
  }

  private static Rung rung(MediaInfo.Video v, int shortSide, Step s) {
    int longSide = nearestEven((double) Math.max(v.width(), v.height()) * shortSide / v.shortSide());
    int w = v.portrait() ? shortSide : longSide;
    int h = v.portrait() ? longSide : shortSide;
    return new Rung(shortSide, w, h, s.crf(), s.maxrateKbps(), s.audioKbps());
  }

  private static int nearestEven(double x) {
    return Math.max(2, 2 * (int) Math.round(x / 2));
  }

  private static int even(int n) {
    return Math.max(2, n - (n % 2));
  }
}
