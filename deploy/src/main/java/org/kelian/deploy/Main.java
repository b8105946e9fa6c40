package org.kelian.deploy;

import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.deploy.stack.LocalStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The launcher: reads the configuration, starts the local stack in local mode, then the platform. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    LocalStack stack = null;
    try {
      String file = System.getenv().getOrDefault(PlatformOptions.CONFIG_FILE.env(), PlatformOptions.CONFIG_FILE.defaultValue());
      Config config = Config.load(Path.of(file), System.getenv());
      PlatformOptions options = PlatformOptions.from(config, defaultStackDir());
      if (options.mode() == Mode.LOCAL) {
        stack = LocalStack.start(options.stack());
        LocalStack.Endpoints e = stack.endpoints();
        options = options.withEndpoints(e.pgUrl(), e.esUrl(), e.s3Endpoint(), e.s3AccessKey(), e.s3SecretKey());
      }
      // Registered before the platform starts: a stop that comes while it starts (or the exit after a failed start)
      // still stops the local servers, which would outlive the run otherwise.
      LocalStack stopStack = stack;
      AtomicReference<Platform> running = new AtomicReference<>();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          Platform p = running.get();
          if (p != null) {
            p.close();
          }
        } catch (RuntimeException | Error e) {
          LOG.warn("stopping the platform: {}", e.toString(), e);
        } finally {
          if (stopStack != null) {
            stopStack.close();
          }
        }
      }, "kelian-shutdown"));
      stack = null; // the hook stops it from here on
      Platform platform = Platform.start(options).await();
      running.set(platform);
      platform.generatedAdminPassword().ifPresent(pw -> System.out.println(
          "\n  首次启动：管理员账号 admin 的密码是 / first start: the password of 'admin' is  " + pw
              + "\n  (shown once; set KELIAN_ADMIN_PASSWORD to choose it)\n"));
      System.out.printf("%n  Kelian 课联 is ready in %.1f s: http://localhost:%d/%n%n", (System.nanoTime() - t0) / 1e9, platform.port());
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      closeQuietly(stack);
      System.exit(2);
    } catch (Exception e) {
      LOG.error("Kelian failed to start: {}", e.getMessage(), e);
      closeQuietly(stack);
      System.exit(1);
    }
  }

  private static void closeQuietly(LocalStack stack) {
    if (stack != null) {
      stack.close();
    }
  }

  /** The stack/ folder beside kelian.jar (or beside target/classes when run from the build). */
  static Path defaultStackDir() {
    try {
      Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self.getParent().resolve("stack");
    } catch (URISyntaxException e) {
      return Path.of("deploy/target/stack");
    }
  }
}
