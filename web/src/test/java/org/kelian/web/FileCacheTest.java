package org.kelian.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {

  @TempDir
  Path dir;
  Vertx vertx;
  List<String> fills = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Writes {@code size} bytes of {@code b}, counting the fills of each key. */
  Function<Path, Future<Long>> bytes(String key, int size, byte b) {
    return file -> {
      fills.add(key);
      byte[] content = new byte[size];
      java.util.Arrays.fill(content, b);
      return vertx.fileSystem().writeFile(file.toString(), Buffer.buffer(content)).map((long) size);
    };
  }

  @Test
  void aMissIsFilledOnceForEveryoneWaitingAndThenServedFromDisk() throws Exception {
    FileCache cache = FileCache.open(vertx, dir, 10_000);
    Promise<Void> slow = Promise.promise();
    Function<Path, Future<Long>> fill = file -> {
      fills.add("a");
      return slow.future().compose(v -> vertx.fileSystem().writeFile(file.toString(), Buffer.buffer("segment"))).map(7L);
    };
    Future<FileCache.Cached> first = cache.get("a", fill);
    Future<FileCache.Cached> second = cache.get("a", fill);
    assertFalse(first.isComplete());
    slow.complete();
    FileCache.Cached c = first.await();
    assertSame(c, second.await());
    assertEquals(7, c.size());
    assertEquals("segment", Files.readString(c.file()));
    assertSame(c, cache.get("a", fill).await());
    assertEquals(List.of("a"), fills);
    assertEquals(7, cache.bytes());
  }

  @Test
  void theLeastRecentlyServedGoFirstWhenTheDiskShareIsFull() throws Exception {
    FileCache cache = FileCache.open(vertx, dir, 300);
    FileCache.Cached a = cache.get("a", bytes("a", 100, (byte) 1)).await();
    FileCache.Cached b = cache.get("b", bytes("b", 100, (byte) 2)).await();
    cache.get("c", bytes("c", 100, (byte) 3)).await();
    cache.get("a", bytes("a", 100, (byte) 1)).await(); // a served again: b is now the least recent
    cache.get("d", bytes("d", 100, (byte) 4)).await();
    assertEquals(List.of("a", "b", "c", "d"), fills);
    assertEquals(3, cache.size());
    assertEquals(300, cache.bytes());
    assertSame(a, cache.get("a", bytes("a", 100, (byte) 1)).await());
    for (int i = 0; i < 100 && Files.exists(b.file()); i++) {
      Thread.sleep(20);
    }
    assertFalse(Files.exists(b.file()), "an evicted file leaves the disk");
    cache.get("b", bytes("b", 100, (byte) 2)).await();
    assertEquals(List.of("a", "b", "c", "d", "b"), fills, "evicted, then filled again");
    assertEquals(300, cache.bytes());
  }

  @Test
  void aFailedFillKeepsNothingAndTheNextRequestTriesAgain() throws Exception {
    FileCache cache = FileCache.open(vertx, dir, 1000);
    Function<Path, Future<Long>> broken = file -> vertx.fileSystem().writeFile(file.toString(), Buffer.buffer("half"))
        .compose(v -> Future.failedFuture(new IllegalStateException("the store went away")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.get("a", broken).await());
    assertEquals("the store went away", e.getMessage());
    assertEquals(0, cache.size());
    for (int i = 0; i < 100 && listed(dir) > 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(0, listed(dir), "the partial file is removed");
    assertArrayEquals(new byte[] {5, 5}, Files.readAllBytes(cache.get("a", bytes("a", 2, (byte) 5)).await().file()));
  }

  @Test
  void aFileThatCannotBeReadIsForgottenAndFilledAgain() throws Exception {
    FileCache cache = FileCache.open(vertx, dir, 1000);
    FileCache.Cached c = cache.get("a", bytes("a", 10, (byte) 1)).await();
    Files.delete(c.file()); // as another process emptying the folder would
    cache.forget("a", c);
    assertEquals(0, cache.size());
    assertEquals(0, cache.bytes());
    FileCache.Cached again = cache.get("a", bytes("a", 10, (byte) 1)).await();
    assertTrue(Files.exists(again.file()));
    assertEquals(List.of("a", "a"), fills);
    cache.forget("a", c); // an older copy: the new one stays
    assertSame(again, cache.get("a", bytes("a", 10, (byte) 1)).await());
  }

  @Test
  void openingEmptiesWhatAnEarlierRunLeft() throws Exception {
    Files.createDirectories(dir.resolve("old"));
    Files.writeString(dir.resolve("old/partial"), "x");
    Files.writeString(dir.resolve("stale"), "y");
    FileCache cache = FileCache.open(vertx, dir, 1000);
    assertEquals(0, listed(dir));
    assertEquals(0, cache.size());
    assertTrue(Files.isDirectory(dir));
  }

  static long listed(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }
}
