package org.kelian.media.live;

import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * one with the fewest rooms of this node (a server that does not answer is passed over, and tried last for 30 s). Each WebRTC endpoint gets
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
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
  private static final long REST_NANOS = 30_000_000_000L;

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
    // the servers with the fewest rooms first; one that failed lately is tried only when no other will do
    List<String> order = new ArrayList<>(urls);
    order.sort(Comparator.<String, Boolean>comparing(this::resting).thenComparingInt(u -> rooms.get(u).get()));
    RuntimeException last = null;
    for (String url : order) {
      try {
        MediaPipeline p = client(url).createMediaPipeline();
        rooms.get(url).incrementAndGet();
        failedAt.remove(url);
        return new KPipeline(url, p);
      } catch (RuntimeException e) {
        LOG.warn("Kurento Media Server {} did not make a pipeline for room {}: {}", url, room, e.toString());
        failedAt.put(url, System.nanoTime());
        KurentoClient broken = clients.remove(url);
        if (broken != null) {
          broken.destroy();
        }
        last = e;
      }
    }
    throw new IllegalStateException("no Kurento Media Server of " + urls + " answered", last);
  }

  /** Whether this server failed within the last {@link #REST_NANOS} (it goes last in the pool's order). */
  boolean resting(String url) {
    Long at = failedAt.get(url);
    return at != null && System.nanoTime() - at < REST_NANOS;
  }

  private KurentoClient client(String url) {
    return clients.computeIfAbsent(url, KurentoClient::create);
  }

  @Override
  public void close() {
    clients.values().forEach(KurentoClient::destroy);
    clients.clear();
  }

  /**
   * A TURN URL and credential as a WebRtcEndpoint takes them: {@code user:password@IPv4:port?transport=udp|tcp|tls}.
   * Kurento parses it with {@code ^(?<user>.+):(?<password>.+)@(?<address>[0-9.]+):(?<port>[0-9]+)(\?transport=…)?$}
   * and decodes nothing: the user of coturn's REST scheme ({@code expiry:id}) goes as it is (the greedy user part
   * ends at the last ':' before '@', and a Base64 password has none), the host must be an IPv4 address (a name is
   * resolved here), the port is always written.
   */
  static String turnUrl(String turn, TurnCredentials.Credential c) {
    boolean tls = turn.startsWith("turns:");
    String rest = turn.substring(turn.indexOf(':') + 1);
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    HostPort hp = HostPort.of(rest, tls ? 5349 : 3478);
    String transport = tls ? "tls" : query.contains("transport=tcp") ? "tcp" : "udp";
    return c.username() + ":" + c.password() + "@" + ipv4(hp.host()) + ":" + hp.port() + "?transport=" + transport;
  }

  /** A STUN URL's server as a WebRtcEndpoint takes it: an IPv4 address and a port. */
  static HostPort stunServer(String stun) {
    HostPort hp = HostPort.of(stun.substring(stun.indexOf(':') + 1), 3478);
    return new HostPort(ipv4(hp.host()), hp.port());
  }

  record HostPort(String host, int port) {
    static HostPort of(String hostPort, int defaultPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon > 0 && hostPort.indexOf(':') == colon) {
        return new HostPort(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      }
      return new HostPort(hostPort, defaultPort);
    }
  }

  /** Kurento takes ICE servers by IPv4 address only. */
  private static String ipv4(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("the ICE server " + host + " has no address: " + e.getMessage(), e);
    }
    throw new IllegalStateException("the ICE server " + host + " has no IPv4 address (Kurento takes IPv4 only)");
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
        HostPort stun = stunServer(ice.stunUrls().get(0));
        ep.setStunServerAddress(stun.host());
        ep.setStunServerPort(stun.port());
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
