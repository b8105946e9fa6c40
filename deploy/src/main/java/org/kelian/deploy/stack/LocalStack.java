package org.kelian.deploy.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default mode's real servers: PostgreSQL, Elasticsearch and S3 storage, started together, health-waited,
 * and stopped on close. Everything lives under the data folder; a killed run's leftovers are reclaimed.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /** Where the clients connect. */
  public record Endpoints(String pgUrl, String esUrl, String s3Endpoint, String s3AccessKey, String s3SecretKey) {
  }

  private final LocalPostgres postgres;
  private final LocalElasticsearch elasticsearch;
  private final LocalS3 s3;
  private Endpoints endpoints;

  private LocalStack(StackOptions options, boolean fresh) throws IOException {
    this.postgres = new LocalPostgres(options, fresh);
    this.elasticsearch = new LocalElasticsearch(options, fresh);
    this.s3 = new LocalS3(options, fresh);
  }

  public static LocalStack start(StackOptions options) throws IOException {
    return start(options, false);
  }

  /**
   * Starts the stack; {@code fresh} first throws away the data of an earlier run (tests: one clean stack per run),
   * keeping only the unpacked Elasticsearch distribution.
   */
  public static LocalStack start(StackOptions options, boolean fresh) throws IOException {
    long t0 = System.nanoTime();
    LocalStack stack = new LocalStack(options, fresh);
    try {
      CompletableFuture<String> es = CompletableFuture.supplyAsync(() -> unchecked(() -> retried("elasticsearch", stack.elasticsearch::start)));
      CompletableFuture<String> s3 = CompletableFuture.supplyAsync(() -> unchecked(() -> retried("s3proxy", stack.s3::start)));
      String pg = retried("postgres", stack.postgres::start);
      stack.endpoints = new Endpoints(pg, es.join(), s3.join(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY);
    } catch (IOException | RuntimeException e) {
      stack.close();
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
    LOG.info("local stack ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    return stack;
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** A database of its own, for isolating one test class (or one tenant) from another. */
  public String createDatabase(String name) throws IOException {
    postgres.createDatabase(name);
    return postgres.uri(name);
  }

  @Override
  public void close() {
    s3.close();
    elasticsearch.close();
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("stopping postgres: {}", e.getMessage());
    }
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  /**
   * Starts a server, once more on failure: the free port it was given may have been taken by another process in
   * the moment before it bound it, and a second start picks new ports.
   */
  private static <T> T retried(String name, IoSupplier<T> start) throws IOException {
    try {
      return start.get();
    } catch (IOException first) {
      LOG.warn("{} failed to start ({}); trying once more with new ports", name, first.getMessage().lines().findFirst().orElse(""));
      return start.get();
    }
  }

  private static <T> T unchecked(IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
