package org.kelian.deploy.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server run as a supervised child process: output to a log file, a pid file so that a run that was killed
 * (and so could not stop its children) has them reclaimed on the next start, a health wait, and a stop.
 */
final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path pidFile;
  private final Path logFile;
  private Process process;

  ChildProcess(String name, Path runDir, Path logDir) {
    this.name = name;
    this.pidFile = runDir.resolve(name + ".pid");
    this.logFile = logDir.resolve(name + ".log");
  }

  /**
   * Stops whatever an earlier run of this data directory left behind: every process whose command line contains
   * {@code marker} (an absolute path unique to this data directory), so that a run killed with SIGKILL, which
   * could not stop its children, never blocks the next start. Unrelated processes never carry the marker.
   */
  void reclaimStale(String marker) throws IOException {
    Files.deleteIfExists(pidFile);
    reclaim(name, marker);
  }

  static void reclaim(String name, String marker) {
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(h -> h.pid() != self)
        .filter(h -> h.info().commandLine().map(cl -> cl.contains(marker)).orElse(false))
        .forEach(h -> {
          LOG.warn("stopping {} process {} left running by an earlier run", name, h.pid());
          stopTree(name, h);
        });
  }

  void start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
    Files.createDirectories(logFile.getParent());
    Files.createDirectories(pidFile.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // Options meant for Kelian's own JVM must not leak into the servers' JVMs (Elasticsearch refuses to start).
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.environment().putAll(env);
    process = pb.start();
    Files.writeString(pidFile, Long.toString(process.pid()));
    LOG.info("started {} (pid {}), log {}", name, process.pid(), logFile);
  }

  /** Polls {@code url} until its status satisfies {@code healthy}; fails early if the process dies. */
  void awaitHttp(String url, IntPredicate healthy, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with code " + process.exitValue() + " while starting; last lines of " + logFile + ":\n" + tail());
      }
      try {
        HttpResponse<Void> resp = HTTP.send(req, HttpResponse.BodyHandlers.discarding());
        if (healthy.test(resp.statusCode())) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + name, e);
      }
      sleepQuietly(250);
    }
    throw new IOException(name + " did not become healthy within " + timeout.toSeconds() + " s; last lines of " + logFile + ":\n" + tail());
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    if (process != null) {
      stopTree(name, process.toHandle());
      process = null;
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException ignored) {
      // the next start reclaims by pid anyway
    }
  }

  /**
   * Asks the whole tree to stop at once (a launcher such as Elasticsearch's CLI and the server it started), then
   * waits for all of it within one 20 s budget: a JVM shutting down has little time, and a server left behind
   * would outlive the run.
   */
  private static void stopTree(String name, ProcessHandle h) {
    List<ProcessHandle> tree = new java.util.ArrayList<>(h.descendants().toList());
    tree.add(0, h);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        LOG.warn("{} process {} did not stop within 20 s; killing it", name, p.pid());
        p.destroyForcibly();
      }
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
