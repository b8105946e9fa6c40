package org.kelian.media.live;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn (Debian package {@code coturn}) for tests: {@code turnserver} as a child process on free ports of
 * 127.0.0.1 with {@code use-auth-secret} (coturn's REST credentials), relaying on 127.0.0.1 to loopback peers,
 * logging to {@link #log()}. Ready when it answers STUN.
 */
public final class Coturn implements AutoCloseable {

  private final Process server;
  private final Path dir;
  private final int port;
  private final StringBuffer log = new StringBuffer();

  private Coturn(Process server, Path dir, int port) {
    this.server = server;
    this.dir = dir;
    this.port = port;
  }

  public static Coturn start(String secret) throws Exception {
    String turnserver = onPath("turnserver");
    if (turnserver == null) {
      fail("coturn is missing: apt-get install coturn");
    }
    Path dir = Files.createTempDirectory("kelian-coturn-");
    int port = freePort();
    int minPort = freeUdpRange(16);
    List<String> cmd = List.of(turnserver, "-n",
        "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
        "--min-port=" + minPort, "--max-port=" + (minPort + 15),
        "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=kelian.test",
        "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
        "--log-file=stdout", "--simple-log", "--verbose",
        "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb"));
    Process server = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    Coturn c = new Coturn(server, dir, port);
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          c.log.append(line).append('\n');
        }
      } catch (IOException e) {
        // the process went away; its log so far is kept
      }
    }, "coturn-log");
    drain.setDaemon(true);
    drain.start();
    try {
      c.awaitStun(Duration.ofSeconds(20));
    } catch (Throwable t) {
      c.close();
      throw t;
    }
    return c;
  }

  /** The TURN/STUN port on 127.0.0.1 (UDP and TCP). */
  public int port() {
    return port;
  }

  /** A folder of this server's, for a test's own files; removed on close. */
  public Path dir() {
    return dir;
  }

  /** What the server has logged so far. */
  public String log() {
    return log.toString();
  }

  /** The named tool of the coturn package ({@code turnutils_uclient}), or null. */
  public static String tool(String name) {
    return onPath(name);
  }

  @Override
  public void close() throws Exception {
    server.descendants().forEach(ProcessHandle::destroyForcibly);
    server.destroyForcibly();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      System.err.println("turnserver " + server.pid() + " did not end after SIGKILL");
    }
    org.kelian.core.Dirs.deleteTree(dir);
  }

  /** Sends STUN Binding requests over UDP until coturn answers with a Binding success response. */
  private void awaitStun(Duration timeout) throws Exception {
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
          fail("turnserver exited with " + server.exitValue() + ":\n" + log);
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
    fail("turnserver did not answer STUN on 127.0.0.1:" + port + " within " + timeout + ":\n" + log);
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
