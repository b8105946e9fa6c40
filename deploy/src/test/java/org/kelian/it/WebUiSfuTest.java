package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kelian.it.WebUiLiveTest.dropSignalingAndKeepDecoding;
import static org.kelian.it.WebUiLiveTest.endClass;
import static org.kelian.it.WebUiLiveTest.enterThroughMediaServer;
import static org.kelian.it.WebUiLiveTest.frames;
import static org.kelian.it.WebUiLiveTest.startClass;
import static org.kelian.it.WebUiLiveTest.untilDecodingFrom;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Kurento mode's class room in three headless Chromiums, with a fourth playing the media server ({@link BrowserSfu}):
 * the pages publish and receive per flow through the platform's signaling and {@code SfuRooms}, the lead decodes
 * both villages, each village decodes the lead only, a dropped signaling connection does not touch the media, and a
 * connection the media server loses is made again by the page and linked again to whoever receives it. What a real
 * Kurento Media Server does is {@code WebUiKurentoTest}'s (run where one is configured).
 */
class WebUiSfuTest {

  @RegisterExtension
  static final Browser lead = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser village1 = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser village2 = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser mediaServer = new Browser(BrowserSfu.ARGS);

  static BrowserSfu sfu;

  @BeforeAll
  static void start() {
    sfu = new BrowserSfu(mediaServer);
    WebUiLiveTest.setUp("webui-sfu", Map.of(), List.of(lead, village1, village2), sfu);
  }

  @AfterAll
  static void stop() {
    WebUiLiveTest.stop();
  }

  @Test
  void theLeadReceivesBothVillagesEachVillageTheLeadAndLostConnectionsAreMadeAgain() {
    enterThroughMediaServer(lead, village1, village2);
    String leadId = (String) lead.driver().executeScript("return window.kelianRoom.me();");
    String v1 = WebUiLiveTest.village1Id;
    // three publications and four receptions, each its own endpoint, each reception linked from its source
    assertTrue(sfu.log.contains("connect " + leadId + ">" + leadId + " -> " + v1 + ">" + leadId), sfu.log.toString());
    assertTrue(sfu.log.contains("connect " + v1 + ">" + v1 + " -> " + leadId + ">" + v1), sfu.log.toString());
    assertTrue(sfu.log.stream().noneMatch(l -> l.startsWith("endpoint " + v1 + ">") && !l.equals("endpoint " + v1 + ">" + v1)
        && !l.equals("endpoint " + v1 + ">" + leadId)), "village 1 receives nothing but the lead: " + sfu.log);

    startClass(lead, village1, village2);

    // village 1's signaling drops and comes back within the reconnect grace: its media never went through it, so
    // nothing is negotiated again and the lead keeps decoding it
    String v1Publishes = "endpoint " + v1 + ">" + v1;
    String leadReceivesV1 = "endpoint " + leadId + ">" + v1;
    long endpoints = sfu.log.stream().filter(l -> l.startsWith("endpoint ")).count();
    dropSignalingAndKeepDecoding(lead, village1, v1, 30);
    untilDecodingFrom(village1, 1, 30);
    assertEquals(endpoints, sfu.log.stream().filter(l -> l.startsWith("endpoint ")).count(), "nothing made again: " + sfu.log);

    // the media server loses village 1's publication: the page makes it again, and the platform links the new one
    // to the lead's reception of village 1, which the lead's page keeps
    sfu.breakFlow(v1 + ">" + v1);
    new WebDriverWait(village1.driver(), Duration.ofSeconds(90)).withMessage(() -> "village 1 should publish again: " + sfu.log)
        .until(d -> count(v1Publishes) == 2);
    long after = frames(lead).get(v1);
    new WebDriverWait(lead.driver(), Duration.ofSeconds(60)).withMessage(() -> "the lead should decode village 1 again: " + frames(lead))
        .until(d -> frames(lead).get(v1) > after + 30);
    assertEquals(1, count(leadReceivesV1), "the lead's reception was kept: " + sfu.log);

    endClass(lead, village1, village2);
    new WebDriverWait(lead.driver(), Duration.ofSeconds(10)).until(d -> sfu.log.contains("release pipeline"));
  }

  static long count(String line) {
    return sfu.log.stream().filter(line::equals).count();
  }
}
