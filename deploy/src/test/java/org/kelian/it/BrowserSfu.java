package org.kelian.it;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.kelian.media.live.SfuBackend;

/**
 * A media server for tests of Kurento mode where no Kurento Media Server is: a headless Chromium whose page plays
 * the part of the pipeline. Each endpoint is an RTCPeerConnection there that answers the class room page's offer;
 * "connect" forwards the tracks one endpoint receives into the endpoints linked from it (sender.replaceTrack, which
 * Chromium re-encodes). Answers carry all their candidates (no trickle from this side); the pages' trickled
 * candidates are added. It does not record. It tests what Kurento mode asks of the platform and the pages (who
 * offers what, what reaches whom, what survives a reconnect), not Kurento itself.
 */
final class BrowserSfu implements SfuBackend {

  /** Chromium hides host addresses behind mDNS names unless told not to; the pages here must reach it by address. */
  static final String[] ARGS = {"--disable-features=WebRtcHideLocalIpsWithMdns", "--use-fake-ui-for-media-stream"};

  private static final String SCRIPT = """
      window.sfu = (function () {
        const eps = {};
        let n = 0;
        function feed(sink, track) {
          sink.pc.getTransceivers().forEach(function (t) {
            if (t.receiver.track && t.receiver.track.kind === track.kind && (t.direction === 'sendonly' || t.direction === 'sendrecv')) {
              t.sender.replaceTrack(track);
            }
          });
        }
        function feedFromSources(id) {
          Object.keys(eps).forEach(function (k) {
            if (eps[k].sinks.indexOf(id) >= 0) {
              eps[k].tracks.forEach(function (t) { feed(eps[id], t); });
            }
          });
        }
        return {
          create: function (name) {
            const id = 'e' + (++n);
            const ep = { name: name, pc: new RTCPeerConnection(), tracks: [], sinks: [] };
            ep.pc.ontrack = function (e) {
              ep.tracks.push(e.track);
              ep.sinks.forEach(function (s) { if (eps[s]) { feed(eps[s], e.track); } });
            };
            eps[id] = ep;
            return id;
          },
          connect: function (src, sink) {
            const s = eps[src];
            if (s) {
              s.sinks.push(sink);
              if (eps[sink]) {
                s.tracks.forEach(function (t) { feed(eps[sink], t); });
              }
            }
          },
          offer: function (id, sdp, done) {
            const pc = eps[id].pc;
            pc.setRemoteDescription({ type: 'offer', sdp: sdp }).then(function () {
              if (/a=recvonly/.test(sdp)) {
                pc.getTransceivers().forEach(function (t) { t.direction = 'sendonly'; });
              }
              return pc.createAnswer();
            }).then(function (a) {
              return pc.setLocalDescription(a);
            }).then(function () {
              return new Promise(function (resolve) {
                if (pc.iceGatheringState === 'complete') { resolve(); return; }
                pc.addEventListener('icegatheringstatechange', function () { if (pc.iceGatheringState === 'complete') { resolve(); } });
                setTimeout(resolve, 3000);
              });
            }).then(function () {
              feedFromSources(id);
              done(pc.localDescription.sdp);
            }).catch(function (e) { done({ error: String(e) }); });
          },
          candidate: function (id, c) {
            if (eps[id]) { eps[id].pc.addIceCandidate(c).catch(function () {}); }
          },
          release: function (id) {
            if (eps[id]) { eps[id].pc.close(); delete eps[id]; }
          }
        };
      })();
      """;

  private final Browser host;
  private boolean installed;
  /** What the platform asked for, in order: "endpoint flow", "connect a -> b", "release flow" (tests read it). */
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  BrowserSfu(Browser host) {
    this.host = host;
  }

  private synchronized Object js(String script, Object... args) {
    if (!installed) {
      host.driver().get("about:blank");
      host.driver().executeScript(SCRIPT);
      installed = true;
    }
    return host.driver().executeScript(script, args);
  }

  private synchronized Object jsAsync(String script, Object... args) {
    js("return 0");
    return host.driver().executeAsyncScript(script, args);
  }

  /** Closes the endpoint of this flow from the media server's side, as a server that lost it would. */
  void breakFlow(String flow) {
    js("arguments[0].forEach(function (id) { window.sfu.release(id); });", idsOf(flow));
  }

  private final Map<String, List<String>> ids = Collections.synchronizedMap(new java.util.HashMap<>());

  private List<String> idsOf(String flow) {
    return new ArrayList<>(ids.getOrDefault(flow, List.of()));
  }

  @Override
  public Pipeline pipeline(UUID room) {
    List<Ep> made = Collections.synchronizedList(new ArrayList<>());
    return new Pipeline() {
      @Override
      public Endpoint webRtc(UUID r, String flow) {
        String id = (String) js("return window.sfu.create(arguments[0]);", flow);
        ids.computeIfAbsent(flow, f -> Collections.synchronizedList(new ArrayList<>())).add(id);
        log.add("endpoint " + flow);
        Ep ep = new Ep(id, flow);
        made.add(ep);
        return ep;
      }

      @Override
      public Recorder recorder(String uri) {
        throw new UnsupportedOperationException("this test's media server does not record");
      }

      @Override
      public void release() {
        new ArrayList<>(made).forEach(Ep::release);
        log.add("release pipeline");
      }
    };
  }

  @Override
  public void close() {
  }

  private final class Ep implements Endpoint {
    final String id;
    final String flow;

    Ep(String id, String flow) {
      this.id = id;
      this.flow = flow;
    }

    @Override
    public void connect(Element sink) {
      Ep to = (Ep) sink;
      js("window.sfu.connect(arguments[0], arguments[1]);", id, to.id);
      log.add("connect " + flow + " -> " + to.flow);
    }

    @Override
    public String processOffer(String sdp) {
      Object answer = jsAsync("window.sfu.offer(arguments[0], arguments[1], arguments[arguments.length - 1]);", id, sdp);
      if (!(answer instanceof String s)) {
        throw new IllegalStateException("the test media server could not answer: " + answer);
      }
      return s;
    }

    @Override
    public void onCandidate(Consumer<JsonObject> sink) {
      // its candidates are in its answer
    }

    @Override
    public void addCandidate(JsonObject candidate) {
      js("window.sfu.candidate(arguments[0], arguments[1]);", id, candidate.getMap());
    }

    @Override
    public void gatherCandidates() {
    }

    @Override
    public void release() {
      js("window.sfu.release(arguments[0]);", id);
      log.add("release " + flow);
    }
  }
}
