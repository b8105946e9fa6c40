package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TURN credentials from {@link TurnCredentials} against a real coturn (Debian package {@code coturn}): the server
 * runs as a child process on free ports of 127.0.0.1 with {@code use-auth-secret}, and {@code turnutils_uclient}
 * (same package) allocates relays with the issued credentials. A fresh credential relays data; an expired or a
 * forged one is refused by coturn's authentication.
 */
class CoturnTest {

  private static final String SECRET = "kelian-coturn-test-" + UUID.randomUUID();
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern RECEIVED = Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

  private static final List<Process> PROCESSES = new ArrayList<>();
  private static final StringBuffer SERVER_LOG = new StringBuffer();
  private static Path dir;
  private static String turnserver;
  private static String uclient;
  private static int port;

  @BeforeAll
  static void startCoturn() throws Exception {
    turnserver = onPath("turnserver");
    uclient = onPath("turnutils_uclient");
    if (turnserver == null || uclient == null) {
      fail("coturn is missing: apt-get install coturn");
    }
    dir = Files.createTempDirectory("kelian-coturn-");
    port = freePort();
    int minPort = freeUdpRange(16);
    List<String> cmd = List.of(turnserver, "-n",
        "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
        "--min-port=" + minPort, "--max-port=" + (minPort + 15),
        "--use-auth-secret", "--static-auth-secret=" + SECRET, "--realm=kelian.test",
        "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
        "--log-file=stdout", "--simple-log",
        "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb"));
    Process server = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    PROCESSES.add(server);
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          SERVER_LOG.append(line).append('\n');
        }
      } catch (IOException e) {
        // the process went away; its log so far is kept
      }
    }, "coturn-log");
    drain.setDaemon(true);
    drain.start();
    awaitStun(server, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Process p : PROCESSES) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        System.err.println("process " + p.pid() + " did not end after SIGKILL");
      }
    }
    PROCESSES.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
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
    assertFalse(SERVER_LOG.toString().contains("<" + c.username() + ">"), "coturn complained about the fresh user:\n" + SERVER_LOG);
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
    while (!SERVER_LOG.toString().contains(refusal) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(SERVER_LOG.toString().contains(refusal), "coturn did not log '" + refusal + "':\n" + SERVER_LOG);
  }

  /** One client-to-client run: two clients allocate relays on the server and send one message to each other. */
  private static Run allocate(TurnCredentials.Credential c) throws Exception {
    Path out = Files.createTempFile(dir, "uclient-", ".log");
    List<String> cmd = List.of(uclient, "-u", c.username(), "-w", c.password(), "-p", String.valueOf(port),
        "-y", "-n", "1", "-m", "1", "-l", "100", "127.0.0.1");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    synchronized (PROCESSES) {
      PROCESSES.add(p);
    }
    if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("turnutils_uclient did not finish in " + CLIENT_TIMEOUT + ":\n" + Files.readString(out) + "\ncoturn:\n" + SERVER_LOG);
    }
    return new Run(String.join(" ", cmd).replace(c.password(), "***"), p.exitValue(), Files.readString(out));
  }

  private record Run(String command, int exit, String output) {
    String describe() {
      return command + " exited " + exit + ":\n" + output;
    }
  }

  /** Sends STUN Binding requests over UDP until coturn answers with a Binding success response. */
  private static void awaitStun(Process server, Duration timeout) throws Exception {
    byte[] request = new byte[20];
    request[1] = 0x01; // Binding request, no attributes
    request[4] = 0x21;
    request[5] = 0x12;
    request[6] = (byte) 0xA4;
    request[7] = 0x42; // magic cookie
    byte[] transaction = new byte[12];
    ThreadLocalRandom.current().nextBytes(transaction);
    System.arraycopy(transaction, 0, request, 8, 12);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(200);
      while (System.nanoTime() < deadline) {
        if (!server.isAlive()) {
          fail("turnserver exited with " + server.exitValue() + ":\n" + SERVER_LOG);
        }
        socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
        byte[] buf = new byte[512];
        DatagramPacket response = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(response);
        } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
          continue;
        }
        if (response.getLength() >= 20 && buf[0] == 0x01 && buf[1] == 0x01
            && Arrays.equals(Arrays.copyOfRange(buf, 8, 20), transaction)) {
          return;
        }
      }
    }
    fail("turnserver did not answer STUN on 127.0.0.1:" + port + " within " + timeout + ":\n" + SERVER_LOG);
  }

  private static String onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin";
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return Path.of(d, name).toString();
      }
    }
    return null;
  }

  /** A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both). */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        int p = udp.getLocalPort();
        if (tcpFree(p)) {
          return p;
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }

  /** The first port of {@code size} consecutive UDP ports free on 127.0.0.1, for coturn's relay endpoints. */
  private static int freeUdpRange(int size) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 40_000 + 2 * ThreadLocalRandom.current().nextInt(9_000);
      boolean free = true;
      for (int p = base; p < base + size && free; p++) {
        free = udpFree(p) && tcpFree(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + size + " consecutive free ports on 127.0.0.1");
  }

  private static boolean udpFree(int p) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean tcpFree(int p) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
