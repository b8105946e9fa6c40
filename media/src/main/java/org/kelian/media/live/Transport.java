package org.kelian.media.live;

/** One client's connection as the signaling hub sees it (a WebSocket in the web module, a fake in unit tests). */
public interface Transport {

  void send(String text);

  /** Closes the connection with a WebSocket close code (4000–4999 are ours) and a short reason. */
  void close(short code, String reason);
}
