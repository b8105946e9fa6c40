package org.kelian.media.live;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.live.LiveClaims;
import org.kelian.core.live.LiveService;
import org.kelian.core.upload.Upload;
import org.kelian.core.upload.UploadService;

/**
 * Server-side recording in Kurento mode. When a class goes live, the recording resource and a tus upload of
 * deferred length are made for the lead teacher (as the lead's page does in mesh mode), and the media server's
 * RecorderEndpoint is pointed at {@code <base>/live/recordings/<upload>/<owner>/<tag>}: it POSTs the WebM there
 * (chunked) until the class ends. The bytes go through the upload's S3 multipart parts like any tus PATCH (a
 * part acknowledged is kept across a crash of this node); when the POST ends, the upload ends at what arrived and
 * the recording is transcoded like any video. The tag is a MAC under the room-token key, so any node can take the
 * POST and nobody else can write into the upload.
 */
public final class KurentoRecordings {

  public static final String PATH = "/live/recordings/";

  private final LiveService live;
  private final UploadService uploads;
  private final Function<UUID, Future<Optional<User>>> users;
  private final String baseUrl;

  public KurentoRecordings(LiveService live, UploadService uploads, Function<UUID, Future<Optional<User>>> users, String baseUrl) {
    this.live = live;
    this.uploads = uploads;
    this.users = users;
    this.baseUrl = baseUrl;
  }

  /** The class of {@code lead} went live: where the media server is to send the lead's recording. */
  public Future<String> start(LiveClaims lead) {
    return user(lead.userId()).compose(u -> live.startServerRecording(u, lead.sessionId()))
        .map(up -> baseUrl + PATH + up.id() + "/" + up.ownerId() + "/" + live.recordingTag(up.id(), up.ownerId()));
  }

  /** The media server's POST: appended at the upload's offset; the upload then ends at what arrived. */
  public Future<Upload> receive(UUID uploadId, UUID ownerId, String tag, ReadStream<Buffer> body) {
    if (!live.recordingTagMatches(uploadId, ownerId, tag)) {
      throw notFound();
    }
    return user(ownerId).compose(u -> uploads.status(u, uploadId)
        .compose(up -> uploads.append(u, uploadId, up.offset(), body, null))
        .compose(up -> uploads.endDeferred(List.of(up.resourceId())).map(up)));
  }

  private Future<User> user(UUID id) {
    return users.apply(id).map(u -> u.orElseThrow(KurentoRecordings::notFound));
  }

  private static KelianException notFound() {
    return KelianException.notFound("recording_not_found", "没有这份课堂录制", "No such class recording");
  }
}
