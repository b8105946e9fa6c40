package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kelian.core.live.LiveRole;

/**
 * The topology and life cycle of Kurento-mode rooms, over a media server that only notes what it is asked to do
 * (the calls {@link KurentoBackend} makes on a real Kurento Media Server; that one is exercised by
 * {@code WebUiKurentoTest} when a server is configured). What a real server does with the media is not tested here.
 */
class SfuRoomsTest {

  private final Vertx vertx = Vertx.vertx();
  private final Notes notes = new Notes();
  private final SfuRooms rooms = new SfuRooms(vertx, notes);
  private final UUID room = UUID.randomUUID();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theLeadReachesEveryoneAndTheClassroomsReachTheLeadAndObserversOnly() {
    for (LiveRole viewer : LiveRole.values()) {
      assertTrue(SfuRooms.maySee(viewer, LiveRole.LEAD), viewer + " receives the lead");
      assertFalse(SfuRooms.maySee(viewer, LiveRole.OBSERVER), "nobody receives an observer");
    }
    assertTrue(SfuRooms.maySee(LiveRole.LEAD, LiveRole.RECEIVER));
    assertTrue(SfuRooms.maySee(LiveRole.OBSERVER, LiveRole.RECEIVER), "巡课 sees every classroom");
    assertFalse(SfuRooms.maySee(LiveRole.RECEIVER, LiveRole.RECEIVER), "village classrooms take one incoming stream");
  }

  @Test
  void aPublisherFeedsItsReceiversWhicheverOffersFirstAndAnsersComeFromTheServer() throws Exception {
    List<JsonObject> leadCandidates = Collections.synchronizedList(new ArrayList<>());
    // the receiver asks for the lead's media before the lead has published
    String answer = await(rooms.offer(room, "r1", "lead", "offer-r1-lead", c -> { }));
    assertEquals("answer to offer-r1-lead", answer);
    await(rooms.offer(room, "lead", "lead", "offer-lead", leadCandidates::add));
    await(rooms.offer(room, "lead", "r1", "offer-lead-r1", c -> { }));
    await(rooms.offer(room, "r1", "r1", "offer-r1", c -> { }));
    assertEquals(1, notes.count("pipeline"), "one pipeline per room: " + notes);
    Set<String> links = notes.links();
    assertTrue(links.contains("lead>lead -> r1>lead"), "the lead's endpoint feeds the receiver's: " + links);
    assertTrue(links.contains("r1>r1 -> lead>r1"), "the receiver's endpoint feeds the lead's: " + links);
    assertEquals(2, links.size(), links.toString());
    assertTrue(notes.has("gather lead>lead"), "the server gathers its candidates after answering");
    assertEquals(1, leadCandidates.size(), "the server's candidate reached the lead's page");
    assertEquals(Set.of("r1>lead", "lead>lead", "lead>r1", "r1>r1"), Set.copyOf(rooms.flows(room)));
  }

  @Test
  void aReconnectingLeadKeepsItsReceiversAndTheRecording() throws Exception {
    await(rooms.offer(room, "lead", "lead", "first", c -> { }));
    await(rooms.offer(room, "r1", "lead", "sub", c -> { }));
    await(rooms.record(room, "lead", "http://platform/recording"));
    assertTrue(notes.links().contains("lead>lead -> recorder"), notes.links().toString());
    assertTrue(notes.has("record"));

    await(rooms.offer(room, "lead", "lead", "again", c -> { }));
    assertTrue(notes.has("release lead>lead"), "the old endpoint is released: " + notes);
    Set<String> links = notes.links();
    assertTrue(links.contains("lead>lead#2 -> r1>lead"), "the new endpoint feeds the receiver it had: " + links);
    assertTrue(links.contains("lead>lead#2 -> recorder"), "and the recorder: " + links);
    assertEquals(1, notes.count("pipeline"));
    assertEquals(1, notes.count("recorder"), "one recording per class");
  }

  @Test
  void candidatesReachTheirFlowOnlyAndLeavingReleasesEverythingOfThatPeer() throws Exception {
    await(rooms.offer(room, "lead", "lead", "o1", c -> { }));
    await(rooms.offer(room, "r1", "lead", "o2", c -> { }));
    await(rooms.offer(room, "lead", "r1", "o3", c -> { }));
    await(rooms.offer(room, "r2", "lead", "o4", c -> { }));
    rooms.candidate(room, "r1", "lead", new JsonObject().put("candidate", "candidate:1 1 udp 1 10.0.0.1 5000 typ host"));
    rooms.candidate(room, "r9", "lead", new JsonObject().put("candidate", "candidate:2 1 udp 1 10.0.0.2 5000 typ host"));
    await(rooms.left(room, "r2").compose(v -> rooms.left(room, "nobody")));
    assertTrue(notes.has("candidate r1>lead candidate:1 1 udp 1 10.0.0.1 5000 typ host"), notes.toString());
    assertFalse(notes.toString().contains("10.0.0.2"), "a candidate for no flow goes nowhere");

    await(rooms.left(room, "r1"));
    assertTrue(notes.has("release r1>lead"), notes.toString());
    assertTrue(notes.has("release lead>r1"), "the lead's flow receiving r1 goes too: " + notes);
    assertEquals(Set.of("lead>lead"), Set.copyOf(rooms.flows(room)));
    assertEquals(1, rooms.rooms());
    await(rooms.left(room, "lead"));
    assertTrue(notes.has("release pipeline"), "the empty room lets its pipeline go");
    assertEquals(0, rooms.rooms());
  }

  @Test
  void theEndOfTheClassStopsTheRecordingBeforeThePipelineGoes() throws Exception {
    await(rooms.record(room, "lead", "http://platform/recording"));
    await(rooms.left(room, "lead"));
    assertEquals(1, rooms.rooms(), "a room being recorded stays until the class ends");
    await(rooms.close(room));
    int stop = notes.index("stop");
    int release = notes.index("release pipeline");
    assertTrue(stop >= 0 && release > stop, notes.toString());
    assertEquals(0, rooms.rooms());
  }

  @Test
  void aMediaServerThatFailsFailsTheOfferAndTheRoomGoesOn() throws Exception {
    notes.failOffers = true;
    Future<String> f = rooms.offer(room, "lead", "lead", "bad", c -> { });
    f.toCompletionStage().toCompletableFuture().handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    assertTrue(f.failed());
    notes.failOffers = false;
    assertEquals("answer to good", await(rooms.offer(room, "lead", "lead", "good", c -> { })));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A media server that notes each call, names endpoints by their flow, and answers offers with "answer to …". */
  private static final class Notes implements SfuBackend {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile boolean failOffers;
    private final java.util.Map<String, Integer> made = new java.util.HashMap<>();

    void note(String s) {
      log.add(s);
    }

    boolean has(String s) {
      return log.contains(s);
    }

    int index(String s) {
      return log.indexOf(s);
    }

    long count(String s) {
      return log.stream().filter(s::equals).count();
    }

    /** "from -> to" of every connect. */
    Set<String> links() {
      return log.stream().filter(l -> l.startsWith("connect ")).map(l -> l.substring(8)).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
      return log.toString();
    }

    @Override
    public Pipeline pipeline(UUID room) {
      note("pipeline");
      return new Pipeline() {
        @Override
        public Endpoint webRtc(UUID r, String flow) {
          int n = made.merge(flow, 1, Integer::sum);
          return new Ep(n == 1 ? flow : flow + "#" + n);
        }

        @Override
        public Recorder recorder(String uri) {
          note("recorder");
          return new Recorder() {
            @Override
            public void record() {
              note("record");
            }

            @Override
            public void stop() {
              note("stop");
            }

            @Override
            public void release() {
              note("release recorder");
            }

            @Override
            public String toString() {
              return "recorder";
            }
          };
        }

        @Override
        public void release() {
          note("release pipeline");
        }
      };
    }

    @Override
    public void close() {
      note("close");
    }

    /** Named after its flow, "#2" and on for the flow's later endpoints. */
    private final class Ep implements Endpoint {
      final String name;
      Consumer<JsonObject> candidates;

      Ep(String name) {
        this.name = name;
      }

      @Override
      public void connect(Element sink) {
        note("connect " + name + " -> " + sink);
      }

      @Override
      public String processOffer(String sdp) {
        if (failOffers) {
          throw new IllegalStateException("media server error");
        }
        return "answer to " + sdp;
      }

      @Override
      public void onCandidate(Consumer<JsonObject> sink) {
        this.candidates = sink;
      }

      @Override
      public void addCandidate(JsonObject candidate) {
        note("candidate " + name + " " + candidate.getString("candidate"));
      }

      @Override
      public void gatherCandidates() {
        note("gather " + name);
        candidates.accept(new JsonObject().put("candidate", "candidate:9 1 udp 1 192.0.2.1 6000 typ host"));
      }

      @Override
      public void release() {
        note("release " + name);
      }

      @Override
      public String toString() {
        return name;
      }
    }
  }
}
