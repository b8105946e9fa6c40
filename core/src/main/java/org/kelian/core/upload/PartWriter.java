package org.kelian.core.upload;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.storage.ObjectStore;

/**
 * Streams one PATCH body into the S3 multipart upload. Bytes go to a spool file on disk; each time it holds a
 * full part, the part is uploaded and the new state is persisted before reading on (backpressure: the body is
 * paused meanwhile), so heap use stays at a few network buffers whatever the file size. When the body ends — or
 * the connection drops — the bytes that do not fill a part become the upload's pending object, and the state
 * (offset, part ETags, SHA-256 state) is persisted: everything acknowledged survives a restart.
 */
final class PartWriter {

  /** Persists the state reached; fails when another writer moved the offset first. */
  interface Checkpoint {
    Future<Void> save(Upload before, Upload after);
  }

  private static final int MAX_QUEUED = 16;

  private final Vertx vertx;
  private final ObjectStore objects;
  private final Checkpoint checkpoint;
  private final int partBytes;
  private final Path spoolDir;
  private final Promise<Upload> done = Promise.promise();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();

  private Upload state;
  private Sha256 sha;
  private ReadStream<Buffer> body;
  private AsyncFile spool;
  private Path spoolPath;
  private long spooled;
  private long received;
  private boolean ended;
  private boolean busy;
  private boolean finished;
  private boolean paused;
  private Throwable failure;

  PartWriter(Vertx vertx, ObjectStore objects, Checkpoint checkpoint, int partBytes, Path spoolDir, Upload start) {
    this.vertx = vertx;
    this.objects = objects;
    this.checkpoint = checkpoint;
    this.partBytes = partBytes;
    this.spoolDir = spoolDir;
    this.state = start;
    this.sha = Sha256.resume(start.digestState());
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
      return spool.write(buf);
    });
  }

  private void onData(Buffer buf) {
    if (finished) {
      return;
    }
    received += buf.length();
    if (state.offset() - state.pendingSize() + spooled + queuedBytes() + buf.length() > state.length()) {
      failure = new KelianException(ErrorKind.TOO_LARGE, "upload_exceeds_length", "上传的数据超过了声明的文件大小（Upload-Length）",
          "More bytes than the declared Upload-Length");
      ended = true;
    } else {
      queue.add(buf);
    }
    if (queue.size() >= MAX_QUEUED && !paused) {
      paused = true;
      body.pause();
    }
    pump();
  }

  private long queuedBytes() {
    long n = 0;
    for (Buffer b : queue) {
      n += b.length();
    }
    return n;
  }

  /**
   * Moves queued buffers into the spool. File writes are not awaited one by one (that would cost a worker-thread
   * round trip per network buffer); the spool's write queue gives backpressure, and a full part is flushed and
   * uploaded before reading on.
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
      sha.update(now.getBytes());
      spooled += now.length();
      Future<Void> written = spool.write(now);
      if (spooled == partBytes) {
        busy = true;
        written.compose(x -> uploadPart(false)).onSuccess(x -> {
          busy = false;
          pump();
        }).onFailure(this::fail);
        return;
      }
      written.onFailure(this::fail);
      if (spool.writeQueueFull()) {
        busy = true;
        spool.drainHandler(v -> {
          busy = false;
          pump();
        });
        return;
      }
    }
  }

  /** Uploads the spool as the next part, persists the new state, and starts a fresh spool. */
  private Future<Void> uploadPart(boolean last) {
    int number = state.parts().size() + 1;
    long size = spooled;
    return spool.flush().compose(x -> spool.close())
        .compose(x -> objects.uploadPart(state.objectKey(), state.s3UploadId(), number, spoolPath, size))
        .compose(etag -> {
          List<String> parts = new ArrayList<>(state.parts());
          parts.add(etag);
          Upload next = new Upload(state.id(), state.resourceId(), state.ownerId(), state.length(),
              (long) (parts.size() - 1) * partBytes + size, state.fileName(), state.objectKey(), state.s3UploadId(), parts, null, 0,
              sha.state(), state.status(), state.expiresAt());
          Upload before = state;
          return checkpoint.save(before, next).map(x -> {
            state = next;
            return null;
          });
        })
        .compose(x -> vertx.fileSystem().delete(spoolPath.toString()))
        .compose(x -> last ? Future.succeededFuture() : openSpool());
  }

  private void finish() {
    Future<Void> f;
    long total = state.offset() - state.pendingSize() + spooled;
    if (failure != null || spooled == 0) {
      // Overflow keeps only whole parts already written; an empty spool (a part boundary was the end) has nothing left.
      f = Future.succeededFuture();
    } else if (total == state.length()) {
      f = uploadPart(true);
    } else if (spooled > state.pendingSize()) {
      f = savePending();
    } else {
      f = Future.succeededFuture();
    }
    f.eventually(this::cleanup).onSuccess(x -> {
      finished = true;
      if (failure != null) {
        done.fail(failure);
      } else {
        done.complete(state);
      }
    }).onFailure(this::fail);
  }

  /** Keeps the bytes that do not fill a part as the upload's pending object, then persists the state. */
  private Future<Void> savePending() {
    String key = state.objectKey() + ".pending";
    long size = spooled;
    return spool.flush().compose(x -> objects.putFile(key, spoolPath, "application/octet-stream")).compose(x -> {
      Upload next = new Upload(state.id(), state.resourceId(), state.ownerId(), state.length(),
          (long) state.parts().size() * partBytes + size, state.fileName(), state.objectKey(), state.s3UploadId(), state.parts(),
          key, size, sha.state(), state.status(), state.expiresAt());
      Upload before = state;
      return checkpoint.save(before, next).map(y -> {
        state = next;
        return null;
      });
    });
  }

  private Future<Void> cleanup() {
    AsyncFile f = spool;
    spool = null;
    Future<Void> closed = f == null ? Future.succeededFuture() : f.close().recover(t -> Future.succeededFuture());
    return closed.compose(x -> vertx.fileSystem().exists(spoolPath.toString()))
        .compose(exists -> exists ? vertx.fileSystem().delete(spoolPath.toString()) : Future.succeededFuture())
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
    cleanup().onComplete(x -> done.fail(t));
  }

  String sha256Hex() {
    return sha.hex();
  }

  long received() {
    return received;
  }
}
