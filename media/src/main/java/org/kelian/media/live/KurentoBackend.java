package org.kelian.media.live;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.kurento.client.IceCandidate;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaElement;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaProfileSpecType;
import org.kurento.client.RecorderEndpoint;
import org.kurento.client.WebRtcEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SfuBackend} on Kurento Media Servers through kurento-client: a pool of servers, each room's pipeline on the
 * one with the fewest rooms of this node (a server that does not answer is passed over). Each WebRTC endpoint gets
 * the STUN server and a TURN credential of its own (coturn's REST scheme, as the browsers get), so a media server
 * behind NAT is reachable through the county's TURN server.
 */
public final class KurentoBackend implements SfuBackend {

  private static final Logger LOG = LoggerFactory.getLogger(KurentoBackend.class);

  private final List<String> urls;
  private final IceOptions ice;
  private final Clock clock;
  private final Map<String, KurentoClient> clients = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> rooms = new ConcurrentHashMap<>();

  public KurentoBackend(List<String> urls, IceOptions ice, Clock clock) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no Kurento Media Server URL");
    }
    this.urls = List.copyOf(urls);
    this.ice = ice;
    this.clock = clock;
    urls.forEach(u -> rooms.put(u, new AtomicInteger()));
  }

  @Override
  public Pipeline pipeline(UUID room) {
    List<String> order = new ArrayList<>(urls);
    order.sort(Comparator.comparingInt(u -> rooms.get(u).get()));
    RuntimeException last = null;
    for (String url : order) {
      try {
        MediaPipeline p = client(url).createMediaPipeline();
        rooms.get(url).incrementAndGet();
        return new KPipeline(url, p);
      } catch (RuntimeException e) {
        LOG.warn("Kurento Media Server {} did not make a pipeline for room {}: {}", url, room, e.toString());
        KurentoClient broken = clients.remove(url);
        if (broken != null) {
          broken.destroy();
        }
        last = e;
      }
    }
    throw new IllegalStateException("no Kurento Media Server of " + urls + " answered", last);
  }

  private KurentoClient client(String url) {
    return clients.computeIfAbsent(url, KurentoClient::create);
  }

  @Override
  public void close() {
    clients.values().forEach(KurentoClient::destroy);
    clients.clear();
  }

  /** "user:password@host:port?transport=…" as a WebRtcEndpoint takes it, user and password URL-encoded (the user has ':'). */
  static String turnUrl(String turn, TurnCredentials.Credential c) {
    String rest = turn.substring(turn.indexOf(':') + 1);
    return URLEncoder.encode(c.username(), StandardCharsets.UTF_8) + ":" + URLEncoder.encode(c.password(), StandardCharsets.UTF_8) + "@" + rest;
  }

  private final class KPipeline implements Pipeline {
    final String url;
    final MediaPipeline pipeline;

    KPipeline(String url, MediaPipeline pipeline) {
      this.url = url;
      this.pipeline = pipeline;
    }

    @Override
    public Endpoint webRtc(UUID room, String flow) {
      WebRtcEndpoint ep = new WebRtcEndpoint.Builder(pipeline).build();
      ep.setName(room + "/" + flow);
      if (!ice.stunUrls().isEmpty()) {
        URI stun = URI.create(ice.stunUrls().get(0).replaceFirst("^stuns?:", "stun://"));
        ep.setStunServerAddress(stun.getHost());
        ep.setStunServerPort(stun.getPort() > 0 ? stun.getPort() : 3478);
      }
      if (!ice.turnUrls().isEmpty()) {
        TurnCredentials.Credential c = TurnCredentials.issue(ice.turnSecret(), "kms-" + room, clock.instant(), ice.turnTtl());
        ep.setTurnUrl(turnUrl(ice.turnUrls().get(0), c));
      }
      return new KEndpoint(ep);
    }

    @Override
    public Recorder recorder(String uri) {
      return new KRecorder(new RecorderEndpoint.Builder(pipeline, uri).withMediaProfile(MediaProfileSpecType.WEBM).build());
    }

    @Override
    public void release() {
      rooms.get(url).decrementAndGet();
      pipeline.release();
    }
  }

  /** An element of ours with its Kurento media element. */
  private interface KElement extends Element {
    MediaElement element();
  }

  private record KRecorder(RecorderEndpoint element) implements Recorder, KElement {
    @Override
    public void record() {
      element.record();
    }

    @Override
    public void stop() {
      element.stopAndWait();
    }

    @Override
    public void release() {
      element.release();
    }
  }

  private record KEndpoint(WebRtcEndpoint ep) implements Endpoint, KElement {
    @Override
    public MediaElement element() {
      return ep;
    }

    @Override
    public void connect(Element sink) {
      if (!(sink instanceof KElement k)) {
        throw new IllegalArgumentException("not a Kurento element: " + sink);
      }
      ep.connect(k.element());
    }

    @Override
    public String processOffer(String sdp) {
      return ep.processOffer(sdp);
    }

    @Override
    public void onCandidate(Consumer<JsonObject> sink) {
      ep.addIceCandidateFoundListener(e -> {
        IceCandidate c = e.getCandidate();
        sink.accept(new JsonObject().put("candidate", c.getCandidate()).put("sdpMid", c.getSdpMid()).put("sdpMLineIndex", c.getSdpMLineIndex()));
      });
    }

    @Override
    public void addCandidate(JsonObject c) {
      Integer index = c.getInteger("sdpMLineIndex");
      ep.addIceCandidate(new IceCandidate(c.getString("candidate"), c.getString("sdpMid"), index == null ? 0 : index));
    }

    @Override
    public void gatherCandidates() {
      ep.gatherCandidates();
    }

    @Override
    public void release() {
      ep.release();
    }
  }
}
