package org.kelian.deploy.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** S3Proxy from Maven Central with its filesystem backend under {@code <data>/objects}, as a child process. */
final class LocalS3 implements AutoCloseable {

  static final String ACCESS_KEY = "kelian-local";
  static final String SECRET_KEY = "kelian-local-secret";

  private final StackOptions options;
  private final ChildProcess process;

  private final boolean fresh;

  LocalS3(StackOptions options, boolean fresh) {
    this.options = options;
    this.fresh = fresh;
    this.process = new ChildProcess("s3proxy", options.dataDir().resolve("run"), options.dataDir().resolve("logs"));
  }

  String start() throws IOException {
    Path jar = options.stackDir().resolve("s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException("missing " + jar + ": build the project first (mvn -q package -DskipTests) or set KELIAN_STACK_DIR");
    }
    Path run = Files.createDirectories(options.dataDir().resolve("run"));
    Path objects = options.dataDir().resolve("objects");
    if (fresh) {
      LocalElasticsearch.deleteTree(objects);
    }
    Files.createDirectories(objects);
    Path props = run.resolve("s3proxy.properties");
    process.reclaimStale(props.toString());
    int port = Ports.free();
    String endpoint = "http://127.0.0.1:" + port;
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + objects,
        ""), StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process.start(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString()), Map.of(), run);
    // Any HTTP answer (403 for an anonymous request) means it is serving.
    process.awaitHttp(endpoint + "/", s -> s > 0, Duration.ofSeconds(60));
    return endpoint;
  }

  @Override
  public void close() {
    process.close();
  }
}
