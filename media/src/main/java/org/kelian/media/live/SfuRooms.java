package org.kelian.media.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.kelian.core.live.LiveRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of class rooms in Kurento mode (an SFU). A room has one pipeline on a media server. Each
 * participant's browser negotiates one WebRTC connection per <em>flow</em>: its own camera and microphone into the
 * pipeline (the flow whose source is itself; the lead and receiving classrooms publish), and one per participant it
 * receives. The lead's media fans out to everyone; the classrooms' media goes to the lead (and observers, for 巡课);
 * receiving classrooms do not receive each other, which keeps a village link to one incoming stream ({@link #maySee}).
 *
 * <p>A new offer for a flow replaces its endpoint (a reconnect, an ICE restart, new TURN credentials: a Kurento
 * endpoint negotiates once). A publisher's new endpoint is connected to every endpoint receiving it and to the
 * recorder, so the receivers keep their connections. Calls on one room run one after another, off the event loops
 * (the media server's client blocks); rooms run side by side.
 */
public final class SfuRooms {

  private static final Logger LOG = LoggerFactory.getLogger(SfuRooms.class);

  private final Vertx vertx;
  private final SfuBackend backend;
  private final Map<UUID, RoomMedia> rooms = new ConcurrentHashMap<>();

  public SfuRooms(Vertx vertx, SfuBackend backend) {
    this.vertx = vertx;
    this.backend = backend;
  }

  /** Whether a participant in role {@code viewer} receives the media of one in role {@code source}. */
  public static boolean maySee(LiveRole viewer, LiveRole source) {
    if (!source.publishes()) {
      return false;
    }
    return source == LiveRole.LEAD || viewer == LiveRole.LEAD || viewer == LiveRole.OBSERVER;
  }

  /**
   * A browser's offer for a flow: {@code source} equal to {@code peer} publishes its media, another peer's id receives
   * that peer's (the caller has checked {@link #maySee}). Answers the media server's SDP answer; the server's ICE
   * candidates for this flow go to {@code candidates} as they are found.
   */
  public Future<String> offer(UUID room, String peer, String source, String sdp, Consumer<JsonObject> candidates) {
    RoomMedia r = rooms.computeIfAbsent(room, RoomMedia::new);
    return r.run(() -> {
      if (r.pipeline == null) {
        r.pipeline = backend.pipeline(room);
      }
      String key = key(peer, source);
      Flow flow = new Flow(peer, source, r.pipeline.webRtc(room, key));
      flow.endpoint.onCandidate(c -> {
        if (r.flows.get(key) == flow) {
          candidates.accept(c);
        }
      });
      Flow old = r.flows.put(key, flow);
      if (peer.equals(source)) {
        for (Flow f : r.flows.values()) {
          if (f.source.equals(source) && !f.viewer.equals(source)) {
            flow.endpoint.connect(f.endpoint);
          }
        }
        if (r.recorder != null && source.equals(r.recorded)) {
          flow.endpoint.connect(r.recorder);
        }
      } else {
        Flow published = r.flows.get(key(source, source));
        if (published != null) {
          published.endpoint.connect(flow.endpoint);
        }
      }
      if (old != null) {
        old.endpoint.release();
      }
      String answer = flow.endpoint.processOffer(sdp);
      flow.endpoint.gatherCandidates();
      return answer;
    });
  }

  /** A browser's ICE candidate for one of its flows (dropped when that flow is not there). */
  public void candidate(UUID room, String peer, String source, JsonObject candidate) {
    RoomMedia r = rooms.get(room);
    if (r == null) {
      return;
    }
    r.run(() -> {
      Flow f = r.flows.get(key(peer, source));
      if (f != null) {
        f.endpoint.addCandidate(candidate);
      }
      return null;
    }).onFailure(e -> LOG.debug("candidate for {} in room {} not taken: {}", source, room, e.toString()));
  }

  /** The participant left: its flows and everyone's flows receiving it are released (the room with them, when empty). */
  public Future<Void> left(UUID room, String peer) {
    RoomMedia r = rooms.get(room);
    if (r == null) {
      return Future.succeededFuture();
    }
    return r.run(() -> {
      List<Flow> gone = new ArrayList<>();
      r.flows.values().removeIf(f -> (f.viewer.equals(peer) || f.source.equals(peer)) && gone.add(f));
      gone.forEach(f -> f.endpoint.release());
      if (r.flows.isEmpty() && r.recorder == null) {
        r.release();
        rooms.remove(room, r);
      }
      return null;
    });
  }

  /** Makes the room's pipeline now if it has none (fails while no media server answers). */
  public Future<Void> ready(UUID room) {
    RoomMedia r = rooms.computeIfAbsent(room, RoomMedia::new);
    return r.run(() -> {
      if (r.pipeline == null) {
        r.pipeline = backend.pipeline(room);
      }
      return null;
    });
  }

  /** Starts recording the lead's media (kept across the lead's reconnects) into {@code uri}; once per room. */
  public Future<Void> record(UUID room, String lead, String uri) {
    RoomMedia r = rooms.computeIfAbsent(room, RoomMedia::new);
    return r.run(() -> {
      if (r.recorder != null) {
        return null;
      }
      if (r.pipeline == null) {
        r.pipeline = backend.pipeline(room);
      }
      r.recorder = r.pipeline.recorder(uri);
      r.recorded = lead;
      Flow published = r.flows.get(key(lead, lead));
      if (published != null) {
        published.endpoint.connect(r.recorder);
      }
      r.recorder.record();
      return null;
    });
  }

  /** The class ended: the recording is finished and everything of the room on the media server is released. */
  public Future<Void> close(UUID room) {
    RoomMedia r = rooms.remove(room);
    if (r == null) {
      return Future.succeededFuture();
    }
    return r.run(() -> {
      r.release();
      return null;
    });
  }

  /** Every room (the platform is stopping); then the media servers are let go. */
  public Future<Void> closeAll() {
    List<Future<Void>> all = new ArrayList<>();
    new ArrayList<>(rooms.keySet()).forEach(id -> all.add(close(id)));
    return Future.join(all).<Void>mapEmpty().eventually(() -> vertx.executeBlocking(() -> {
      backend.close();
      return null;
    }));
  }

  /** Rooms with media on a server now (tests, metrics). */
  public int rooms() {
    return rooms.size();
  }

  /** The flows of a room as "viewer>source" keys (tests). */
  List<String> flows(UUID room) {
    RoomMedia r = rooms.get(room);
    if (r == null) {
      return List.of();
    }
    return r.run(() -> new ArrayList<>(r.flows.keySet())).toCompletionStage().toCompletableFuture().join();
  }

  private static String key(String viewer, String source) {
    return viewer + ">" + source;
  }

  private record Flow(String viewer, String source, SfuBackend.Endpoint endpoint) {
  }

  private final class RoomMedia {
    final UUID id;
    final Map<String, Flow> flows = new HashMap<>();
    SfuBackend.Pipeline pipeline;
    SfuBackend.Recorder recorder;
    String recorded;
    private Future<?> tail = Future.succeededFuture();

    RoomMedia(UUID id) {
      this.id = id;
    }

    /** Runs {@code op} on a worker thread after the room's earlier calls. */
    synchronized <T> Future<T> run(Callable<T> op) {
      Future<T> next = tail.transform(prev -> vertx.executeBlocking(op, false));
      tail = next;
      return next;
    }

    /** On the room's turn: stops the recorder (waiting for its last bytes) and releases the pipeline. */
    void release() {
      if (recorder != null) {
        attempt(recorder::stop, "the recording of room {} did not stop cleanly: {}");
        recorder = null;
      }
      flows.clear();
      if (pipeline != null) {
        attempt(pipeline::release, "the media pipeline of room {} was not released: {}");
        pipeline = null;
      }
    }

    /** A media server call whose failure is logged: the room goes away either way. */
    private void attempt(Runnable call, String warning) {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.warn(warning, id, e.toString());
      }
    }
  }
}
