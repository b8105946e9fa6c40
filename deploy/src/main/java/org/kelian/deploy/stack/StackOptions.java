package org.kelian.deploy.stack;

import java.nio.file.Path;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** The local stack of real servers that the default mode starts and supervises. */
public record StackOptions(Path dataDir, Path stackDir, String esHeap) {

  public static final Setting DATA_DIR = Setting.of("KELIAN_DATA_DIR", "dataDir", "./data",
      "Where local mode keeps PostgreSQL (pg/), Elasticsearch (es/), objects (objects/) and logs (logs/)");
  public static final Setting STACK_DIR = Setting.of("KELIAN_STACK_DIR", "stack.dir", null,
      "Folder holding elasticsearch.zip and s3proxy.jar (default: the stack/ folder beside kelian.jar, filled by the Maven build)");
  public static final Setting ES_HEAP = Setting.of("KELIAN_LOCAL_ES_HEAP", "stack.esHeap", "512m",
      "Heap of the local Elasticsearch child process");

  public static final List<Setting> SETTINGS = List.of(DATA_DIR, STACK_DIR, ES_HEAP);

  public static StackOptions from(Config c, Path defaultStackDir) {
    String stack = c.get(STACK_DIR);
    return new StackOptions(c.getPath(DATA_DIR).toAbsolutePath().normalize(),
        stack == null ? defaultStackDir : Path.of(stack).toAbsolutePath().normalize(), c.require(ES_HEAP));
  }
}
