package org.kelian.core.upload;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.storage.ObjectStore;

/**
 * Streams one PATCH body into the S3 multipart upload. Bytes go to a spool file on disk; when it holds a full
 * part, the part is hashed, uploaded and checkpointed in the background while the next part is received (at most
 * one part in flight, so heap and disk use stay bounded whatever the file size). When the body ends — or the
 * connection drops — the bytes that do not fill a part become the upload's pending object. Every checkpoint
 * persists offset, part ETags and SHA-256 state together: everything acknowledged survives a restart.
 */
final class PartWriter {

  /** Persists the state reached; fails when another writer moved the offset first. */
  interface Checkpoint {
    Future<Void> save(Upload before, Upload after);
  }

  private static final int MAX_QUEUED = 16;
  private static final int HASH_CHUNK = 1 << 20;

  private final Vertx vertx;
  private final ObjectStore objects;
  private final Checkpoint checkpoint;
  private final int partBytes;
  private final Path spoolDir;
  private final Promise<Upload> done = Promise.promise();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();

  /** The last persisted state; it advances only along {@link #chain}. */
  private Upload state;
  /** The running SHA-256, or null when this process did not see every byte before (then it is computed later). */
  private final RunningDigest sha;
  /** Part uploads and checkpoints, in order. */
  private Future<Void> chain = Future.succeededFuture();
  private int partsStarted;

  private ReadStream<Buffer> body;
  private AsyncFile spool;
  private Path spoolPath;
  /** Bytes in the current spool file, and where in it the bytes not yet hashed begin (after carried pending bytes). */
  private long spooled;
  private long hashFrom;
  private long accepted;
  private final long limit;
  private boolean ended;
  private boolean busy;
  private boolean finished;
  private boolean paused;
  private Throwable failure;

  /** {@code maxBytes} bounds an upload whose length is not declared yet. */
  PartWriter(Vertx vertx, ObjectStore objects, Checkpoint checkpoint, int partBytes, long maxBytes, Path spoolDir, Upload start,
             RunningDigest sha) {
    this.vertx = vertx;
    this.objects = objects;
    this.checkpoint = checkpoint;
    this.partBytes = partBytes;
    this.spoolDir = spoolDir;
    this.state = start;
    this.sha = sha;
    this.partsStarted = start.parts().size();
    this.accepted = start.offset();
    this.limit = start.lengthKnown() ? start.length() : maxBytes;
  }

  /** Reads {@code body} to its end (it must be paused); answers the upload's state afterwards. */
  Future<Upload> write(ReadStream<Buffer> in) {
    this.body = in;
    openSpool().compose(x -> state.pendingSize() > 0 ? carryPending() : Future.succeededFuture())
        .onSuccess(x -> {
          in.handler(this::onData);
          in.endHandler(v -> {
            ended = true;
            pump();
          });
          in.exceptionHandler(t -> {
            // A dropped connection keeps what arrived; tus clients ask HEAD for the offset and go on from there.
            ended = true;
            pump();
          });
          in.resume();
        })
        .onFailure(this::fail);
    return done.future();
  }

  private Future<Void> openSpool() {
    spoolPath = spoolDir.resolve(state.id() + "-" + UUID.randomUUID() + ".part");
    spooled = 0;
    hashFrom = 0;
    return vertx.fileSystem().mkdirs(spoolDir.toString())
        .compose(x -> vertx.fileSystem().open(spoolPath.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)))
        .map(f -> {
          spool = f;
          return null;
        });
  }

  /** The bytes of the last request that did not fill a part are in the object store: put them first in the spool. */
  private Future<Void> carryPending() {
    return objects.read(state.pendingKey(), 0, (int) state.pendingSize()).compose(buf -> {
      if (buf.length() != state.pendingSize()) {
        return Future.failedFuture(new IllegalStateException("pending part of upload " + state.id() + " has " + buf.length()
            + " bytes, expected " + state.pendingSize()));
      }
      spooled = buf.length();
      hashFrom = spooled; // hashed by the request that received them
      return spool.write(buf);
    });
  }

  private void onData(Buffer buf) {
    if (finished || failure != null) {
      return;
    }
    if (accepted + buf.length() > limit) {
      failure = state.lengthKnown()
          ? new KelianException(ErrorKind.TOO_LARGE, "upload_exceeds_length", "上传的数据超过了声明的文件大小（Upload-Length）",
          "More bytes than the declared Upload-Length")
          : new KelianException(ErrorKind.TOO_LARGE, "file_too_large", "文件过大（最大 " + limit / (1 << 20) + " MiB）",
          "The file is too large (at most " + limit / (1 << 20) + " MiB)");
      ended = true;
    } else {
      accepted += buf.length();
      queue.add(buf);
    }
    if (queue.size() >= MAX_QUEUED && !paused) {
      paused = true;
      body.pause();
    }
    pump();
  }

  /**
   * Moves queued buffers into the spool. File writes are not awaited one by one (that would cost a worker-thread
   * round trip per network buffer); the spool's write queue gives backpressure.
   */
  private void pump() {
    while (!busy && !finished) {
      Buffer next = queue.poll();
      if (next == null) {
        if (paused) {
          paused = false;
          body.resume();
        }
        if (ended) {
          busy = true;
          finish();
        }
        return;
      }
      int room = (int) (partBytes - spooled);
      Buffer now = next.length() <= room ? next : next.slice(0, room);
      if (now.length() < next.length()) {
        queue.addFirst(next.slice(room, next.length()));
      }
      spooled += now.length();
      Future<Void> written = spool.write(now);
      if (spooled == partBytes) {
        busy = true;
        written.compose(x -> rotate()).onSuccess(x -> {
          busy = false;
          pump();
        }).onFailure(this::fail);
        return;
      }
      written.onFailure(this::fail);
      if (spool.writeQueueFull()) {
        busy = true;
        AsyncFile full = spool;
        full.drainHandler(v -> {
          full.drainHandler(null);
          // A spool handed to the upload chain meanwhile is no longer ours to resume from.
          if (full == spool) {
            busy = false;
            pump();
          }
        });
        return;
      }
    }
  }

  /**
   * Hands the full spool to the upload chain and opens the next one. Reading on waits only for the part before
   * this one: one part uploads while the next is received.
   */
  private Future<Void> rotate() {
    Future<Void> previous = chain;
    AsyncFile file = spool;
    Path path = spoolPath;
    long size = spooled;
    long from = hashFrom;
    chain = previous.compose(x -> commitPart(file, path, size, from));
    chain.onFailure(this::fail);
    return previous.compose(x -> openSpool());
  }

  /** Flushes, hashes (on a worker: never on the event loop), uploads and checkpoints one part. */
  private Future<Void> commitPart(AsyncFile file, Path path, long size, long from) {
    int number = ++partsStarted;
    return file.flush().compose(x -> file.close())
        .compose(x -> hash(path, from, size))
        .compose(x -> objects.uploadPart(state.objectKey(), state.s3UploadId(), number, path, size))
        .compose(etag -> {
          List<String> parts = new ArrayList<>(state.parts());
          parts.add(etag);
          return advance(parts, state.offset() - state.pendingSize() + size, null, 0);
        })
        .compose(x -> vertx.fileSystem().delete(path.toString()));
  }

  /**
   * Keeps the bytes that do not fill a part as the upload's pending object, then checkpoints. The spool is closed
   * first: closing waits for the writes still queued, flushing alone does not (hashing or storing a spool with
   * writes in flight would keep fewer bytes than the offset says — seen with small PATCHes on a busy machine).
   */
  private Future<Void> commitPending(AsyncFile file, Path path, long size, long from) {
    String key = state.objectKey() + ".pending";
    return file.flush().compose(x -> file.close()).compose(x -> hash(path, from, size))
        .compose(x -> objects.putFile(key, path, "application/octet-stream"))
        .compose(x -> advance(state.parts(), state.offset() - state.pendingSize() + size, key, size));
  }

  private Future<Void> advance(List<String> parts, long offset, String pendingKey, long pendingSize) {
    Upload next = new Upload(state.id(), state.resourceId(), state.ownerId(), state.length(), offset, state.fileName(),
        state.objectKey(), state.s3UploadId(), parts, pendingKey, pendingSize, state.status(), state.expiresAt());
    return checkpoint.save(state, next).map(x -> {
      state = next;
      return null;
    });
  }

  /** Feeds the new bytes of a spool file to the running digest, on a worker thread (never on the event loop). */
  private Future<Void> hash(Path path, long from, long to) {
    if (sha == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(HASH_CHUNK);
        long pos = from;
        while (pos < to) {
          buf.clear().limit((int) Math.min(HASH_CHUNK, to - pos));
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new IllegalStateException("spool file " + path + " ended early");
          }
          buf.flip();
          sha.update(buf);
          pos += n;
        }
      }
      return null;
    });
  }

  private void finish() {
    AsyncFile file = spool;
    Path path = spoolPath;
    long size = spooled;
    long from = hashFrom;
    chain.compose(x -> {
      boolean last = state.lengthKnown() && state.offset() - state.pendingSize() + size == state.length();
      if (failure != null || size == 0 || (size == from && !last)) {
        // Overflow keeps only the parts already written; nothing new in the spool means nothing to save, unless
        // the bytes carried from the pending object are the end of a file whose length was declared just now.
        return Future.<Void>succeededFuture();
      }
      return last ? commitPart(file, path, size, from) : commitPending(file, path, size, from);
    }).eventually(this::cleanup).onSuccess(x -> {
      finished = true;
      if (failure != null) {
        done.fail(failure);
      } else {
        done.complete(state);
      }
    }).onFailure(this::fail);
  }

  private Future<Void> cleanup() {
    AsyncFile f = spool;
    Path p = spoolPath;
    spool = null;
    Future<Void> closed;
    try {
      closed = f == null ? Future.succeededFuture() : f.close().recover(t -> Future.succeededFuture());
    } catch (IllegalStateException alreadyClosed) {
      closed = Future.succeededFuture(); // commitPending closed it
    }
    return closed.compose(x -> vertx.fileSystem().exists(p.toString()))
        .compose(exists -> exists ? vertx.fileSystem().delete(p.toString()) : Future.succeededFuture())
        .recover(t -> Future.succeededFuture());
  }

  private void fail(Throwable t) {
    if (finished) {
      return;
    }
    finished = true;
    if (paused) {
      body.resume();
    }
    body.handler(null);
    // Let a part already in flight settle (its checkpoint keeps the bytes it carried), then report.
    chain.eventually(this::cleanup).onComplete(x -> done.fail(t));
  }
}
