package org.kelian.media.live;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A media server as the class rooms of Kurento mode use it: a pipeline per room, WebRTC endpoints that browsers
 * negotiate with (the browser offers, the server answers), media connected from one element into another, and a
 * recorder. Every call blocks on the media server: {@link SfuRooms} makes them off the event loops, one room at a time.
 */
public interface SfuBackend extends AutoCloseable {

  /** A new pipeline for the room, on the server of the pool that has the fewest rooms. */
  Pipeline pipeline(UUID room);

  /** Lets go of the media servers (their pipelines were released by the rooms). */
  @Override
  void close();

  /** Something on the media server that is released when no longer used. */
  interface Element {
    void release();
  }

  interface Pipeline extends Element {
    /** A WebRTC endpoint for one flow of the room ({@code flow} names it on the media server: "viewer>source"). */
    Endpoint webRtc(UUID room, String flow);

    /** A recorder that writes WebM to {@code uri} (file:// on the media server, or http(s):// as a chunked POST). */
    Recorder recorder(String uri);
  }

  interface Endpoint extends Element {
    /** Media flows from this endpoint into {@code sink}. */
    void connect(Element sink);

    /** The server's SDP answer to the browser's offer. */
    String processOffer(String sdp);

    /** The server's own ICE candidates as RTCIceCandidateInit objects, as it finds them (on the backend's threads). */
    void onCandidate(Consumer<JsonObject> sink);

    /** A browser's candidate (RTCIceCandidateInit). */
    void addCandidate(JsonObject candidate);

    void gatherCandidates();
  }

  interface Recorder extends Element {
    void record();

    /** Stops and waits until what was recorded is written out. */
    void stop();
  }
}
