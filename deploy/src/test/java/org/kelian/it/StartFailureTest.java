package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/** A start that fails late (after migrations, when the HTTP port is taken) says why, rather than never answering. */
class StartFailureTest {

  @Test
  void aTakenPortFailsTheStartWithItsCause() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      var options = TestPlatform.options("startfailure", Map.of("KELIAN_HTTP_PORT", Integer.toString(taken.getLocalPort())));
      Exception e = assertTimeoutPreemptively(Duration.ofSeconds(120),
          () -> assertThrows(Exception.class, () -> Platform.start(options).await()));
      Throwable t = e;
      while (t != null && !(t instanceof BindException)) {
        t = t.getCause();
      }
      assertTrue(t != null || String.valueOf(e.getMessage()).contains("Address already in use"), "cause: " + e);
    }
  }
}
