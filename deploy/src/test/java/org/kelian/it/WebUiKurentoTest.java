package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kelian.it.WebUiLiveTest.dropSignalingAndKeepDecoding;
import static org.kelian.it.WebUiLiveTest.endClass;
import static org.kelian.it.WebUiLiveTest.enterThroughMediaServer;
import static org.kelian.it.WebUiLiveTest.startClass;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Kurento mode end to end: three headless Chromiums with fake cameras in one class through a real Kurento Media
 * Server, and the server's recording of the lead into the library. Runs only where a media server is configured:
 * {@code KELIAN_TEST_KURENTO_URL=ws://host:8888/kurento}, and {@code KELIAN_TEST_KURENTO_PLATFORM_HOST} (the address
 * at which that server reaches this machine, default 127.0.0.1) for the recording. Elsewhere it is reported as
 * skipped, with that reason. There is no Kurento Media Server on the machines this project is built on (not in
 * Debian's packages, Maven Central or npm): this test has not been run yet.
 */
class WebUiKurentoTest {

  static final String KURENTO = System.getenv("KELIAN_TEST_KURENTO_URL");

  @RegisterExtension
  static final Browser lead = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser village1 = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser village2 = new Browser(WebUiLiveTest.FAKE_MEDIA);

  @BeforeAll
  static void start() throws Exception {
    if (!configured()) {
      return; // the test reports itself skipped, with the reason
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String host = Optional.ofNullable(System.getenv("KELIAN_TEST_KURENTO_PLATFORM_HOST")).orElse("127.0.0.1");
    WebUiLiveTest.setUp("webui-kurento", Map.of("KELIAN_HTTP_PORT", String.valueOf(port), "KELIAN_KURENTO_URL", KURENTO,
        // a media server on another machine reaches the platform on every interface
        "KELIAN_HTTP_HOST", host.equals("127.0.0.1") ? host : "0.0.0.0",
        "KELIAN_KURENTO_RECORDING_BASE_URL", "http://" + host + ":" + port), List.of(lead, village1, village2));
  }

  static boolean configured() {
    return KURENTO != null && !KURENTO.isBlank();
  }

  @AfterAll
  static void stop() {
    if (configured()) {
      WebUiLiveTest.stop();
    }
  }

  @Test
  void theLeadReachesBothVillagesTheyReachTheLeadAndTheMediaServerRecordsTheClass() {
    Assumptions.assumeTrue(configured(),
        "skipped: no Kurento Media Server configured (set KELIAN_TEST_KURENTO_URL=ws://host:8888/kurento to run Kurento mode end to end)");
    // the lead receives both classrooms through the media server; each village receives the lead only
    enterThroughMediaServer(lead, village1, village2);

    startClass(lead, village1, village2);
    // a village's signaling drops: its media does not go through that connection, and the lead keeps decoding it
    dropSignalingAndKeepDecoding(lead, village1, WebUiLiveTest.village1Id, 60);

    endClass(lead, village1, village2);
    // the media server's recording is the lead teacher's draft, with its file, transcoded
    Api teacher = Api.login(WebUiLiveTest.platform.port(), "ming.shi", "password-ming.shi");
    JsonObject recording = new WebDriverWait(lead.driver(), Duration.ofSeconds(60)).withMessage("the recording should arrive")
        .until(d -> {
          JsonArray mine = teacher.get("/api/v1/resources?mine=true").json().getJsonArray("items");
          return mine.stream().map(JsonObject.class::cast)
              .filter(r -> "recording".equals(r.getString("type")) && r.getJsonObject("file") != null).findFirst().orElse(null);
        });
    assertTrue(recording.getJsonObject("file").getLong("size") > 10_000, recording.encode());
    JsonObject media = MediaWait.settled(teacher, java.util.UUID.fromString(recording.getString("id")), Duration.ofMinutes(3));
    assertEquals("ready", media.getString("status"), media.encode());
    assertTrue(media.getDouble("durationSeconds") > 2, media.encode());
  }
}
