package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.Dirs;

/**
 * Objects that never change (the HLS files of a finished transcode job: its key names the job), kept on this node's
 * disk up to a size, least recently served first out. A miss fills the file once however many viewers ask for it at
 * the same moment, and the file is served only once it is complete; every fill writes a new file (a file evicted
 * while a fill of the same key runs cannot take the new one with it), and the folder is emptied at every start, so a
 * crash leaves nothing that is served. Whoever asks still decides who may see an object: the cache only saves
 * fetching its bytes from the object store again.
 */
public final class FileCache {

  /** A complete file of the cache. */
  public record Cached(Path file, long size) {
  }

  private final Vertx vertx;
  private final Path dir;
  private final long capacity;
  private final Map<String, Cached> files = new LinkedHashMap<>(256, 0.75f, true); // access order: eldest = least recent
  private final Map<String, Future<Cached>> filling = new HashMap<>();
  private long bytes;

  private FileCache(Vertx vertx, Path dir, long capacity) {
    this.vertx = vertx;
    this.dir = dir;
    this.capacity = capacity;
  }

  /** Empties (or creates) the folder, blocking: call at start, before serving. */
  public static FileCache open(Vertx vertx, Path dir, long capacityBytes) {
    try {
      Dirs.deleteTree(dir);
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the HLS cache folder " + dir, e);
    }
    return new FileCache(vertx, dir, capacityBytes);
  }

  /** The largest object kept: a few of the largest still fit together. */
  public long largestObject() {
    return capacity / 8;
  }

  /**
   * The cached file of {@code key}; on a miss, {@code fill} writes the object to the path it is given (a file it
   * creates) and answers the bytes it wrote, and the result is kept. Failures of {@code fill} are passed on and
   * nothing is kept.
   */
  public Future<Cached> get(String key, Function<Path, Future<Long>> fill) {
    Promise<Cached> promise;
    synchronized (this) {
      Cached hit = files.get(key);
      if (hit != null) {
        return Future.succeededFuture(hit);
      }
      Future<Cached> pending = filling.get(key);
      if (pending != null) {
        return pending;
      }
      promise = Promise.promise();
      filling.put(key, promise.future());
    }
    Path file = dir.resolve(UUID.randomUUID().toString());
    Future<Cached> filled = fill.apply(file).map(size -> new Cached(file, size));
    filled.onComplete(ar -> {
      if (ar.failed()) {
        vertx.fileSystem().delete(file.toString()); // may not exist: nothing to do then
      } else {
        keep(key, ar.result());
      }
      synchronized (this) {
        filling.remove(key);
      }
      promise.handle(ar);
    });
    return promise.future();
  }

  private void keep(String key, Cached c) {
    java.util.List<Path> evicted = new java.util.ArrayList<>();
    synchronized (this) {
      Cached old = files.put(key, c);
      bytes += c.size() - (old == null ? 0 : old.size());
      Iterator<Map.Entry<String, Cached>> eldest = files.entrySet().iterator();
      while (bytes > capacity && eldest.hasNext()) {
        Map.Entry<String, Cached> e = eldest.next();
        if (e.getKey().equals(key)) {
          continue; // the file just kept stays, even alone above the capacity for a moment
        }
        bytes -= e.getValue().size();
        evicted.add(e.getValue().file());
        eldest.remove();
      }
    }
    // A file being sent stays readable after its name is gone (the sender holds it open).
    evicted.forEach(p -> vertx.fileSystem().delete(p.toString()));
  }

  /**
   * Drops {@code c} if it is still what the cache holds for {@code key}: its file could not be read (removed by
   * someone else, a disk fault), so the next request fills it again.
   */
  public void forget(String key, Cached c) {
    synchronized (this) {
      if (!files.remove(key, c)) {
        return;
      }
      bytes -= c.size();
    }
    vertx.fileSystem().delete(c.file().toString());
  }

  /** Bytes kept now. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Files kept now. */
  public synchronized int size() {
    return files.size();
  }
}
