package org.kelian.bench;

import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.kelian.deploy.Platform;
import org.kelian.deploy.stack.LocalStack;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;
import org.kelian.it.TestStack;

/**
 * A large upload through tus (one PATCH, as a browser sends it) against a direct S3 multipart upload of the same
 * file to the same store, in the same run; and the heap peak for two file sizes, to show it does not grow with them.
 */
public final class UploadBench {

  public static void main(String[] args) throws Exception {
    long big = args.length > 0 ? Long.parseLong(args[0]) << 20 : 1L << 30;
    long small = big / 4;
    System.out.println(Bench.header("upload benchmark"));
    LocalStack stack = TestStack.get();
    Platform platform = TestPlatform.start("benchupload", Map.of());
    try {
      Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      admin.post("/api/v1/catalog/import", new JsonArray(Files.readString(Path.of(System.getProperty("kelian.repo.root", ".."),
          "deploy/src/main/resources/seed/textbooks.json"))));
      String node = admin.get("/api/v1/catalog/nodes").jsonArray().getJsonObject(0).getString("id");
      String token = Api.loginToken(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      MinioClient direct = MinioClient.builder().endpoint(stack.endpoints().s3Endpoint())
          .credentials(stack.endpoints().s3AccessKey(), stack.endpoints().s3SecretKey()).build();

      // A warm-up round (JIT, connection pools, the store's first writes) that is not reported.
      Path warm = Files.createTempFile("kelian-bench", ".mp4");
      write(warm, 64L << 20);
      tusSeconds(platform.port(), token, admin, node, warm, 64L << 20);
      s3Seconds(direct, warm);
      Files.delete(warm);
      for (long size : new long[] {small, big}) {
        Path file = Files.createTempFile("kelian-bench", ".mp4");
        write(file, size);
        Bench.resetHeapPeak();
        double tus = tusSeconds(platform.port(), token, admin, node, file, size);
        long peak = Bench.heapPeakBytes();
        double s3 = s3Seconds(direct, file);
        double tusMiBs = size / 1048576.0 / tus;
        double s3MiBs = size / 1048576.0 / s3;
        System.out.printf("%5d MiB: tus %.1f s (%.0f MiB/s), direct S3 multipart %.1f s (%.0f MiB/s), ratio %.2f (target ≥ 0.70); "
            + "heap peak during tus %d MiB%n", size >> 20, tus, tusMiBs, s3, s3MiBs, tusMiBs / s3MiBs, peak >> 20);
        Files.delete(file);
      }
    } finally {
      platform.close();
      System.exit(0);
    }
  }

  static void write(Path file, long size) throws Exception {
    byte[] block = new byte[1 << 20];
    new Random(1).nextBytes(block);
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's', 'o', '2'};
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        System.arraycopy(ftyp, 0, block, 0, written == 0 ? ftyp.length : 0);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
  }

  static double tusSeconds(int port, String token, Api admin, String node, Path file, long size) throws Exception {
    String id = admin.post("/api/v1/resources", new JsonObject().put("title", "bench").put("type", "video")
        .put("catalogNodeIds", new JsonArray().add(node))).json().getString("id");
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/uploads"))
        .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(size))
        .header("Upload-Metadata", "resourceId " + b64(id) + ",filename " + b64("bench.mp4"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    String loc = created.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(created.body()));
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + loc))
        .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 204) {
      throw new IllegalStateException("upload failed: " + done.statusCode() + " " + done.body());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static double s3Seconds(MinioClient direct, Path file) throws Exception {
    long t0 = System.nanoTime();
    direct.uploadObject(UploadObjectArgs.builder().bucket("t-benchupload").object("bench/" + UUID.randomUUID())
        .filename(file.toString(), 8L << 20).build());
    return (System.nanoTime() - t0) / 1e9;
  }

  static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
