package org.kelian.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** A tus 1.0 client for tests, on {@link Api}. */
final class Tus {

  private final Api api;

  Tus(Api api) {
    this.api = api;
  }

  static String meta(UUID resourceId, String fileName) {
    Base64.Encoder b64 = Base64.getEncoder();
    return "resourceId " + b64.encodeToString(resourceId.toString().getBytes(StandardCharsets.UTF_8))
        + ",filename " + b64.encodeToString(fileName.getBytes(StandardCharsets.UTF_8));
  }

  Api.Response create(UUID resourceId, String fileName, long length) {
    return api.request("POST", "/api/v1/uploads", null, "Tus-Resumable", "1.0.0", "Upload-Length", Long.toString(length),
        "Upload-Metadata", meta(resourceId, fileName));
  }

  /** An upload whose length is declared later (creation-defer-length), as a live recording makes. */
  Api.Response createDeferred(UUID resourceId, String fileName) {
    return api.request("POST", "/api/v1/uploads", null, "Tus-Resumable", "1.0.0", "Upload-Defer-Length", "1",
        "Upload-Metadata", meta(resourceId, fileName));
  }

  /** A PATCH that also declares the upload's length. */
  Api.Response patchLast(String location, long offset, byte[] bytes, long length) {
    return api.request("PATCH", location, bytes, "Tus-Resumable", "1.0.0", "Upload-Offset", Long.toString(offset),
        "Upload-Length", Long.toString(length), "Content-Type", "application/offset+octet-stream");
  }

  /** Creates an upload and answers its path, failing the test when creation is refused. */
  String start(UUID resourceId, String fileName, long length) {
    Api.Response r = create(resourceId, fileName, length);
    if (r.status() != 201) {
      throw new AssertionError("tus create: " + r.status() + " " + r.body());
    }
    return r.header("Location");
  }

  Api.Response patch(String location, long offset, byte[] bytes) {
    return api.request("PATCH", location, bytes, "Tus-Resumable", "1.0.0", "Upload-Offset", Long.toString(offset),
        "Content-Type", "application/offset+octet-stream");
  }

  Api.Response head(String location) {
    return api.request("HEAD", location, null, "Tus-Resumable", "1.0.0");
  }

  long offset(String location) {
    Api.Response r = head(location);
    if (r.status() != 200) {
      throw new AssertionError("tus head: " + r.status());
    }
    return Long.parseLong(r.header("Upload-Offset"));
  }

  /** Uploads a whole file in one PATCH; answers the final response. */
  Api.Response upload(UUID resourceId, String fileName, byte[] bytes) {
    Api.Response created = create(resourceId, fileName, bytes.length);
    if (created.status() != 201) {
      return created;
    }
    return patch(created.header("Location"), 0, bytes);
  }
}
