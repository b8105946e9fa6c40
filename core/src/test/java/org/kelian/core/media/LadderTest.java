package org.kelian.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTest {

  private static List<String> sizes(int w, int h) {
    return Ladder.plan(new MediaInfo.Video("h264", w, h, 25, false)).stream().map(r -> r.width() + "x" + r.height()).toList();
  }

  @Test
  void fullLadderFrom1080pNeverAbove() {
    assertEquals(List.of("1920x1080", "1280x720", "854x480", "640x360"), sizes(1920, 1080));
    assertEquals(List.of("1280x720", "854x480", "640x360"), sizes(1280, 720));
    assertEquals(List.of("854x480", "640x360"), sizes(1024, 576));
  }

  @Test
  void portraitRungsAreNamedByTheShortSide() {
    assertEquals(List.of("1080x1920", "720x1280", "480x854", "360x640"), sizes(1080, 1920));
    assertEquals(List.of(1080, 720, 480, 360), Ladder.plan(new MediaInfo.Video("h264", 1080, 1920, 30, false)).stream()
        .map(Rung::label).toList());
  }

  @Test
  void smallSourcesGetOneRenditionAtTheirOwnSize() {
    assertEquals(List.of("426x240"), sizes(426, 240));
    assertEquals(List.of("320x240"), sizes(320, 240));
  }

  @Test
  void frameRateIsCappedAt30() {
    assertEquals(30, Ladder.outputFps(new MediaInfo.Video("h264", 1280, 720, 59.94, false)));
    assertEquals(25, Ladder.outputFps(new MediaInfo.Video("h264", 1280, 720, 25, false)));
    assertEquals(30, Ladder.outputFps(new MediaInfo.Video("h264", 1280, 720, 0, false)), "unknown rate");
  }

  @Test
  void limitsRefuseHugePicturesAndClaimedLengths() {
    TranscodeOptions o = new TranscodeOptions(1, java.nio.file.Path.of("/tmp"), "veryfast", java.time.Duration.ofHours(6), 4096, 3,
        java.time.Duration.ofSeconds(30), false);
    MediaRejected wide = org.junit.jupiter.api.Assertions.assertThrows(MediaRejected.class,
        () -> o.check(new MediaInfo("mp4", 10, new MediaInfo.Video("h264", 10_000, 64, 25, false), null)));
    assertEquals("too_large_picture", wide.code());
    MediaRejected longOne = org.junit.jupiter.api.Assertions.assertThrows(MediaRejected.class,
        () -> o.check(new MediaInfo("matroska", 360_000, new MediaInfo.Video("h264", 320, 180, 25, false), null)));
    assertEquals("too_long", longOne.code());
    assertEquals(true, longOne.messageZh().contains("100 小时"), longOne.messageZh());
    o.check(new MediaInfo("mp4", 2700, new MediaInfo.Video("h264", 3840, 2160, 25, false), null));
  }
}
