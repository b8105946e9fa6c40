package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher as a user runs it, in its own JVM on its own data folder: killed with SIGKILL (so it cannot stop its
 * children), it is started again on the same folder and comes up healthy, having reclaimed what the first run left.
 */
class KilledRunTest {

  @Test
  void aRunKilledWithSigkillDoesNotBlockTheNext() throws Exception {
    Path data = Files.createTempDirectory(Path.of(System.getProperty("kelian.test.data", "target")).getParent(), "killed-run-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process first = launch(data, port, "first");
    try {
      awaitHealthy(port, first);
      List<ProcessHandle> children = first.toHandle().descendants().toList();
      assertTrue(children.size() >= 3, "PostgreSQL, Elasticsearch and S3Proxy run as children: " + children.size());
      first.destroyForcibly().waitFor();
      assertTrue(children.stream().anyMatch(ProcessHandle::isAlive), "the children outlive a SIGKILLed launcher");

      Process second = launch(data, port, "second");
      List<ProcessHandle> secondChildren;
      try {
        awaitHealthy(port, second);
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "the second run stopped what the first left");
      } finally {
        // taken before the stop: once the launcher has exited, its children are no longer listed as its own
        secondChildren = second.toHandle().descendants().toList();
        second.destroy();
        assertEquals(true, second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "a stopped run exits");
      }
      assertTrue(secondChildren.size() >= 3, "PostgreSQL, Elasticsearch and S3Proxy of the second run: " + secondChildren.size());
      List<String> alive = secondChildren.stream().filter(ProcessHandle::isAlive)
          .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList();
      assertTrue(alive.isEmpty(), "a stopped run stops its children: " + alive);
    } finally {
      first.destroyForcibly();
    }
  }

  static Process launch(Path data, int port, String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"), "org.kelian.deploy.Main")
        .redirectErrorStream(true).redirectOutput(data.resolve(name + ".log").toFile());
    pb.environment().putAll(Map.of("KELIAN_DATA_DIR", data.toString(), "KELIAN_HTTP_PORT", Integer.toString(port),
        "KELIAN_HTTP_HOST", "127.0.0.1", "KELIAN_ADMIN_PASSWORD", "killed-run-password", "KELIAN_SEED_CATALOG", "false",
        "KELIAN_STACK_DIR", Path.of(System.getProperty("kelian.stack.dir", "target/stack")).toAbsolutePath().toString()));
    return pb.start();
  }

  /** Waits (bounded) for /health to answer 200, failing early if the launcher exits. */
  static void awaitHealthy(int port, Process p) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), "the launcher exited with " + (p.isAlive() ? "" : p.exitValue()));
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      java.util.concurrent.locks.LockSupport.parkNanos(250_000_000);
    }
    throw new AssertionError("not healthy within 180 s");
  }
}
