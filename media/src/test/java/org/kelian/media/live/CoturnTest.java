package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN credentials from {@link TurnCredentials} against a real coturn ({@link Coturn}), and {@code turnutils_uclient}
 * (same package) allocates relays with the issued credentials. A fresh credential relays data; an expired or a
 * forged one is refused by coturn's authentication.
 */
class CoturnTest {

  private static final String SECRET = "kelian-coturn-test-" + UUID.randomUUID();
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern RECEIVED = Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

  private static final List<Process> PROCESSES = new ArrayList<>();
  private static Coturn coturn;
  private static String uclient;

  @BeforeAll
  static void startCoturn() throws Exception {
    uclient = Coturn.tool("turnutils_uclient");
    if (uclient == null) {
      fail("coturn is missing: apt-get install coturn");
    }
    coturn = Coturn.start(SECRET);
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Process p : PROCESSES) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    PROCESSES.clear();
    if (coturn != null) {
      coturn.close();
    }
  }

  @Test
  void freshCredentialAllocatesAndRelays() throws Exception {
    TurnCredentials.Credential c = TurnCredentials.issue(SECRET, UUID.randomUUID().toString(), Instant.now(), Duration.ofHours(1));
    Run run = allocate(c);
    assertEquals(0, run.exit, run.describe());
    assertFalse(run.output.contains("Cannot complete Allocation"), run.describe());
    Matcher m = RECEIVED.matcher(run.output);
    assertTrue(m.find(), "no traffic summary; " + run.describe());
    assertTrue(Integer.parseInt(m.group(2)) > 0, "nothing came back through the relays; " + run.describe());
    assertFalse(coturn.log().contains("Cannot find credentials of user <" + c.username() + ">"), "coturn refused the fresh user:\n" + coturn.log());
    assertTrue(coturn.log().contains("user <" + c.username() + ">"), "coturn's sessions name the user:\n" + coturn.log());
  }

  @Test
  void expiredCredentialIsRefused() throws Exception {
    TurnCredentials.Credential c = TurnCredentials.issue(SECRET, UUID.randomUUID().toString(),
        Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    assertTrue(c.expiresAt().isBefore(Instant.now()));
    assertRefused(c);
  }

  @Test
  void forgedCredentialIsRefused() throws Exception {
    TurnCredentials.Credential c = TurnCredentials.issue("not-" + SECRET, UUID.randomUUID().toString(), Instant.now(),
        Duration.ofHours(1));
    assertRefused(c);
  }

  private static void assertRefused(TurnCredentials.Credential c) throws Exception {
    Run run = allocate(c);
    assertNotEquals(0, run.exit, run.describe());
    assertTrue(run.output.contains("Cannot complete Allocation"), run.describe());
    // the refusal comes from coturn's authentication, not from a lost server or a port clash
    String refusal = "check_stun_auth: Cannot find credentials of user <" + c.username() + ">";
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!coturn.log().contains(refusal) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(coturn.log().contains(refusal), "coturn did not log '" + refusal + "':\n" + coturn.log());
  }

  /** One client-to-client run: two clients allocate relays on the server and send one message to each other. */
  private static Run allocate(TurnCredentials.Credential c) throws Exception {
    Path out = Files.createTempFile(coturn.dir(), "uclient-", ".log");
    List<String> cmd = List.of(uclient, "-u", c.username(), "-w", c.password(), "-p", String.valueOf(coturn.port()),
        "-y", "-n", "1", "-m", "1", "-l", "100", "127.0.0.1");
    Process p = new ProcessBuilder(cmd).directory(coturn.dir().toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    synchronized (PROCESSES) {
      PROCESSES.add(p);
    }
    if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("turnutils_uclient did not finish in " + CLIENT_TIMEOUT + ":\n" + Files.readString(out) + "\ncoturn:\n" + coturn.log());
    }
    return new Run(String.join(" ", cmd).replace(c.password(), "***"), p.exitValue(), Files.readString(out));
  }

  private record Run(String command, int exit, String output) {
    String describe() {
      return command + " exited " + exit + ":\n" + output;
    }
  }
}
