package org.kelian.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class CaptionsTest {

  @Test
  void srtBecomesWebVtt() {
    String srt = "\uFEFF1\r\n00:00:01,500 --> 00:00:04,000\r\n同学们好\r\n\r\n2\r\n00:01:02,000 --> 00:01:05,250\r\n今天我们学习<分数>\r\n第二行\r\n";
    List<Captions.Cue> cues = Captions.parse(srt);
    assertEquals(List.of(new Captions.Cue(1.5, 4, "同学们好"), new Captions.Cue(62, 65.25, "今天我们学习<分数>\n第二行")), cues);
    assertEquals("WEBVTT\n\n00:00:01.500 --> 00:00:04.000\n同学们好\n\n00:01:02.000 --> 00:01:05.250\n今天我们学习&lt;分数&gt;\n第二行\n",
        Captions.toVtt(cues));
  }

  @Test
  void webVttWithHeaderNotesIdentifiersAndShortTimes() {
    String vtt = "WEBVTT - 课例\nKind: captions\n\nNOTE 教研组校对\n\nintro\n00:05.000 --> 00:07.000 align:start\n长方形\n\n01:00:00.000 --> 01:00:01.000\n正方形\n";
    List<Captions.Cue> cues = Captions.parse(vtt);
    assertEquals(List.of(new Captions.Cue(5, 7, "长方形"), new Captions.Cue(3600, 3601, "正方形")), cues);
  }

  @Test
  void malformedFilesNameTheLine() {
    KelianException e = assertThrows(KelianException.class, () -> Captions.parse("1\n00:00:01 -> 00:00:02\n文字\n"));
    assertEquals("captions_malformed", e.code());
    assertEquals(true, e.messageEn().contains("line 2"), e.messageEn());
    assertEquals("captions_empty", assertThrows(KelianException.class, () -> Captions.parse("WEBVTT\n\n")).code());
    assertEquals("captions_malformed", assertThrows(KelianException.class,
        () -> Captions.parse("00:00:05.000 --> 00:00:01.000\n倒过来的时间\n")).code());
  }
}
