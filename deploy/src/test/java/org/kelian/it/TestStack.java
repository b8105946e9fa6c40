package org.kelian.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.kelian.core.config.Config;
import org.kelian.deploy.stack.LocalStack;
import org.kelian.deploy.stack.StackOptions;

/**
 * The real servers of the local stack, started once per test run (one JVM) and shared by every test class;
 * each class isolates itself with its own database, index prefix and bucket (see {@link TestPlatform}).
 */
public final class TestStack {

  private static LocalStack stack;
  private static Path dataDir;

  private TestStack() {
  }

  public static synchronized LocalStack get() {
    if (stack == null) {
      try {
        dataDir = Path.of(System.getProperty("kelian.test.data", "target/test-data")).toAbsolutePath();
        Files.createDirectories(dataDir);
        Path stackDir = Path.of(System.getProperty("kelian.stack.dir", "target/stack")).toAbsolutePath();
        Config c = Config.of(Map.of(), Map.of(StackOptions.DATA_DIR.env(), dataDir.toString(),
            StackOptions.STACK_DIR.env(), stackDir.toString()));
        stack = LocalStack.start(StackOptions.from(c, stackDir), true);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "test-stack-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return stack;
  }

  public static Path dataDir() {
    get();
    return dataDir;
  }

}
