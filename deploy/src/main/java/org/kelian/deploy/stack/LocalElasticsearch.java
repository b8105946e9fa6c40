package org.kelian.deploy.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch integ-test distribution from Maven Central, unpacked once and run as a child process bound
 * to 127.0.0.1. Elasticsearch refuses to run as root, so when this JVM is root the child runs as {@code nobody}
 * through {@code setpriv}, in a folder that user can reach.
 */
final class LocalElasticsearch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalElasticsearch.class);
  static final int NOBODY = 65534;

  private final StackOptions options;
  private final ChildProcess process;
  private final Path root;

  private final boolean fresh;

  LocalElasticsearch(StackOptions options, boolean fresh) throws IOException {
    this.options = options;
    this.fresh = fresh;
    this.root = chooseRoot(options.dataDir());
    this.process = new ChildProcess("elasticsearch", options.dataDir().resolve("run"), options.dataDir().resolve("logs"));
  }

  String start() throws IOException {
    Path zip = options.stackDir().resolve("elasticsearch.zip");
    if (!Files.isRegularFile(zip)) {
      throw new IOException("missing " + zip + ": build the project first (mvn -q package -DskipTests) or set KELIAN_STACK_DIR");
    }
    Path home = root.resolve("home");
    process.reclaimStale(home.toString());
    unpackOnce(zip, home);
    if (fresh) {
      deleteTree(root.resolve("data"));
    }
    Path data = Files.createDirectories(root.resolve("data"));
    Path logs = Files.createDirectories(root.resolve("logs"));
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    int[] ports = Ports.free(2);
    int httpPort = ports[0];
    int transportPort = ports[1];
    Files.writeString(home.resolve("config/elasticsearch.yml"), String.join("\n",
        "cluster.name: kelian-local",
        "node.name: kelian-local",
        "network.host: 127.0.0.1",
        "http.port: " + httpPort,
        "transport.port: " + transportPort,
        "discovery.type: single-node",
        "xpack.security.enabled: false",
        "path.data: " + data,
        "path.logs: " + logs,
        // A nearly full shared disk must not turn the local indices read-only.
        "cluster.routing.allocation.disk.threshold_enabled: false",
        ""), StandardCharsets.UTF_8);
    Files.writeString(home.resolve("config/jvm.options.d/kelian.options"),
        "-Xms" + options.esHeap() + "\n-Xmx" + options.esHeap() + "\n", StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      chownTree(root);
      cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    cmd.add(home.resolve("bin/elasticsearch").toString());
    process.start(cmd, Map.of(
        "ES_JAVA_HOME", System.getProperty("java.home"),
        "ES_TMPDIR", tmp.toString(),
        "ES_JAVA_OPTS", ""), home);
    String url = "http://127.0.0.1:" + httpPort;
    process.awaitHttp(url + "/_cluster/health?wait_for_status=yellow&timeout=1s", s -> s == 200, Duration.ofSeconds(180));
    LOG.info("elasticsearch ready at {}", url);
    return url;
  }

  private static void unpackOnce(Path zip, Path home) throws IOException {
    String stamp = Files.size(zip) + ":" + Files.getLastModifiedTime(zip).toMillis();
    Path marker = home.resolve(".unpacked");
    if (Files.exists(marker) && Files.readString(marker).equals(stamp)) {
      return;
    }
    deleteTree(home);
    Path staging = Files.createDirectories(home.resolveSibling("home.unpacking"));
    deleteTree(staging);
    Files.createDirectories(staging);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        int slash = name.indexOf('/');
        String rel = slash < 0 ? "" : name.substring(slash + 1); // drop "elasticsearch-8.x.y/"
        if (rel.isEmpty()) {
          continue;
        }
        Path target = staging.resolve(rel).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("unsafe entry in " + zip + ": " + name);
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          copy(in, target);
          if (rel.startsWith("bin/")) {
            target.toFile().setExecutable(true, false);
          }
        }
      }
    }
    Files.createDirectories(staging.resolve("config/jvm.options.d"));
    Files.writeString(staging.resolve(".unpacked"), stamp);
    Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void copy(InputStream in, Path target) throws IOException {
    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Where the node lives: {@code <data>/es}, unless this JVM is root and {@code nobody} cannot reach the data
   * folder (a checkout under /root, say); then a folder under /var/tmp named after the data folder.
   */
  private static Path chooseRoot(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path preferred = dataDir.resolve("es");
    if (!isRoot() || reachableByNobody(dataDir)) {
      return Files.createDirectories(preferred);
    }
    String hash;
    try {
      hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(dataDir.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path fallback = Path.of("/var/tmp", "kelian-es-" + hash);
    LOG.info("user nobody cannot reach {}; Elasticsearch keeps its files in {}", dataDir, fallback);
    return Files.createDirectories(fallback);
  }

  private static boolean reachableByNobody(Path dir) {
    try {
      Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--",
          "test", "-x", dir.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      throw new IllegalStateException("Elasticsearch cannot run as root and setpriv is not available to drop to user nobody; "
          + "install util-linux or start Kelian as an ordinary user", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static void chownTree(Path dir) throws IOException {
    try {
      Process p = new ProcessBuilder("chown", "-R", NOBODY + ":" + NOBODY, dir.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("chown of " + dir + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    org.kelian.core.Dirs.deleteTree(dir);
  }

  @Override
  public void close() {
    process.close();
  }
}
