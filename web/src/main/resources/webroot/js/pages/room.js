// 课堂: the live class room of a session (#/room/SESSION_ID). Entering asks the API for a room token, the ICE
// servers and the signaling address; the page then joins the room over a WebSocket and connects a browser mesh:
// one RTCPeerConnection per other classroom. The one who joins sends the offers to everyone already there; the
// others answer. The lead and the receiving classrooms send camera and microphone (the lead can share the screen
// in place of the camera); observers only watch.
//
// A dropped WebSocket is joined again with the same token (or a new one once it expired) and "resume": the peer
// connections stay, and the rejoining page restarts ICE on each of them, so pictures come back without a reload.
//
// The lead's page records the class while it is live (MediaRecorder, WebM) and uploads a piece every few seconds
// by tus into a recording resource, so a crash loses seconds, not the lesson; ending the class first sends the
// rest. What is recorded is drawn on a canvas (1280×720, 15 fps) with the sound mixed by Web Audio: the lead's own
// picture and microphone, or, when the lead asks (录制各教室), the lead's picture large and each classroom's beside
// it, with every classroom's sound.
//
// An open class's viewer beyond what the mesh holds (mode "hls") watches the live stream made from the lead's
// recording instead, a few seconds behind, without joining the mesh.
//
// TURN credentials work for iceTtlSeconds (KELIAN_TURN_TTL_SECONDS). Before they run out the page asks for a new
// ticket, gives every peer connection the new ICE servers and restarts ICE on it, so that a class relayed through
// TURN outlives the credentials it started with. Either side may restart; when both offer at once, the peer with
// the smaller id yields ("perfect negotiation").
//
// Kurento mode (ticket mode "sfu"): every stream goes through the media server instead. The page publishes its
// camera and microphone on one connection (source: itself) and receives each classroom it may see on a connection
// of its own: everyone receives the lead; the lead and observers receive every classroom; receiving classrooms do not
// receive each other (one incoming stream on a village link). The page offers, the server answers ("media-offer",
// "media-answer", "media-candidate", each naming its source and the offer's id). A connection that fails, or needs
// new TURN credentials, is made again (a Kurento endpoint negotiates once); the server links a publisher's new
// connection to everyone receiving it, so the others notice nothing. When the server records (recordingBy
// "server"), the lead's page does not.
//
// For tests and for a support call, window.kelianRoom exposes the state: decoded frames per peer, the socket.

import { t } from '../i18n.js';
import { api } from '../api.js';
import { h, fill, clear, notice, errorText, formatBytes } from '../dom.js';
import { TusStream } from '../tus.js';
import { loadHls } from '../player.js';

// Closing codes after which the page does not come back by itself (see SignalingHub).
const FINAL = { 4401: true, 4403: true, 4404: true, 4409: true, 4410: true, 4429: true, 1000: true };
const QUALITY_EVERY_MS = 2000;
const PING_EVERY_MS = 10000;
const RECORD_SLICE_MS = 4000;
const CANVAS_W = 1280;
const CANVAS_H = 720;
const CANVAS_FPS = 15;
const FLUSH_WAIT_MS = 30000;
const ICE_RENEW_MARGIN_MS = 30000; // renew this long before TURN credentials run out, or a fifth of their life if longer
const ICE_RENEW_MIN_MS = 20000;
const ICE_RENEW_RETRY_MS = 15000;

let active = null;

/** Kurento mode: whether a participant in role viewer receives one in role source (as SfuRooms.maySee). */
function maySee(viewer, source) {
  if (source === 'observer') {
    return false;
  }
  return source === 'lead' || viewer === 'lead' || viewer === 'observer';
}

let flowCounter = 0;

export function render(view, route) {
  leave();
  active = new Room(view, route.id);
  active.enter();
}

/** Called by the shell when another page replaces this one. */
export function leave() {
  if (active) {
    active.close(true);
    active = null;
  }
}

function Room(view, sessionId) {
  this.view = view;
  this.sessionId = sessionId;
  this.ticket = null;
  this.ws = null;
  this.local = null;      // MediaStream of camera and microphone
  this.screen = null;     // MediaStream of a screen share, while on
  this.peers = {};        // peerId → {info, pc, tile, video, stream}
  this.out = null;        // Kurento mode: the connection sending our camera and microphone to the media server
  this.me = null;
  this.status = null;
  this.closed = false;
  this.joinedOnce = false;
  this.reconnects = 0;
  this.timers = [];
  this.iceTimer = null;
  this.iceRenewals = 0;
  this.audioOn = true;
  this.videoOn = true;
  this.build();
  window.kelianRoom = this.testHooks();
}

Room.prototype.build = function () {
  const self = this;
  this.titleEl = h('h1', null, t('room.title'));
  this.statusEl = h('span', { class: 'badge', id: 'room-status' }, '');
  this.recordingEl = h('span', { class: 'badge status-live', id: 'room-recording', hidden: true });
  this.banner = h('div', { id: 'room-banner', 'aria-live': 'polite' });
  this.tiles = h('div', { class: 'room-tiles', id: 'room-tiles' });
  this.controls = h('div', { class: 'actions room-controls', id: 'room-controls' });
  this.hands = h('ul', { class: 'room-hands', id: 'room-hands' });
  this.chatLog = h('ol', { class: 'room-chat-log', id: 'room-chat-log', 'aria-live': 'polite' });
  this.chatInput = h('input', { type: 'text', id: 'room-chat-input', maxlength: '500', 'aria-label': t('room.chat') });
  const chatForm = h('form', { class: 'room-chat-form', onsubmit: function (e) {
    e.preventDefault();
    const text = self.chatInput.value.trim();
    if (text) {
      self.send({ type: 'chat', text: text });
      self.chatInput.value = '';
    }
  } }, this.chatInput, h('button', { type: 'submit', class: 'btn small' }, t('room.send')));
  this.view.appendChild(h('div', { class: 'title-row spread' }, this.titleEl, h('span', null, this.recordingEl, this.statusEl)));
  this.view.appendChild(this.banner);
  this.view.appendChild(h('div', { class: 'room' },
    h('div', { class: 'room-main' }, this.tiles, this.controls),
    h('aside', { class: 'room-side card' },
      h('h2', null, t('room.hands')), this.hands,
      h('h2', null, t('room.chat')), this.chatLog, chatForm)));
};

Room.prototype.say = function (kind, text) {
  fill(this.banner, text ? notice(kind, text) : null);
};

Room.prototype.enter = function () {
  const self = this;
  this.say('info', t('room.entering'));
  this.fetchTicket().then(function () {
    self.titleEl.textContent = self.ticket.title;
    if (self.ticket.mode === 'hls') {
      self.watchLive();
      return 'stream';
    }
    if (self.ticket.role === 'observer') {
      return null;
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15 } } })
      .then(function (stream) {
        self.local = stream;
      }, function (err) {
        // still enter: the others are seen and heard, and the teacher can be told in the chat
        self.say('error', t('room.noCamera', err && err.name ? err.name : String(err)));
      });
  }).then(function (how) {
    if (how === 'stream') {
      return;
    }
    if (self.closed) {
      self.stopLocal();
      return;
    }
    self.addLocalTile();
    self.connect(false);
  }, function (err) {
    self.say('error', errorText(err));
  });
};

/** The live stream of an open class: waits for it to start, then plays it close to the live edge. */
Room.prototype.watchLive = function () {
  const self = this;
  this.say('info', t('room.liveWaiting'));
  this.setStatus(this.ticket.status);
  const video = h('video', { id: 'room-live', controls: true, autoplay: true, playsinline: true });
  video.muted = true; // autoplay needs it; the viewer turns the sound on from the controls
  fill(this.tiles, h('figure', { class: 'room-tile live' }, video, h('figcaption', null, t('room.liveViewer'))));
  fill(this.controls, h('button', { type: 'button', class: 'btn', id: 'room-leave', onclick: function () {
    self.close(false);
    window.history.back();
  } }, t('room.leave')));
  video.addEventListener('ended', function () {
    self.setStatus('ended');
  });
  const url = this.ticket.hlsUrl;
  function attempt() {
    if (self.closed) {
      return;
    }
    fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
      if (res.status !== 200) {
        throw new Error(String(res.status));
      }
      return loadHls();
    }).then(function (Hls) {
      self.say(null, null);
      if (Hls && Hls.isSupported()) {
        const hls = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 5 });
        self.hls = hls;
        hls.on(Hls.Events.ERROR, function (e, data) {
          if (data.fatal) {
            hls.destroy();
            self.hls = null;
            self.timers.push(setTimeout(attempt, 3000));
          }
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      } else {
        video.src = url; // Safari plays HLS itself
      }
      video.play().catch(function () {});
    }).catch(function () {
      self.timers.push(setTimeout(attempt, 3000));
    });
  }
  attempt();
};

Room.prototype.fetchTicket = function () {
  const self = this;
  return api('/sessions/' + encodeURIComponent(this.sessionId) + '/join', { method: 'POST' }).then(function (ticket) {
    self.ticket = ticket;
    self.scheduleIceRenewal();
    return ticket;
  });
};

/** Counts from the ticket's arrival, not from iceExpiresAt: a classroom PC's clock may be far from the server's. */
Room.prototype.scheduleIceRenewal = function () {
  const self = this;
  clearTimeout(this.iceTimer);
  const ttl = (this.ticket.iceTtlSeconds || 0) * 1000;
  if (!ttl || this.closed || this.ticket.mode === 'hls') {
    return;
  }
  const wait = Math.max(ICE_RENEW_MIN_MS, ttl - Math.max(ICE_RENEW_MARGIN_MS, ttl / 5));
  this.iceTimer = setTimeout(function () { self.renewIce(); }, wait);
};

Room.prototype.renewIce = function () {
  const self = this;
  if (this.closed || this.status === 'ended') {
    return;
  }
  this.fetchTicket().then(function (ticket) {
    self.iceRenewals++;
    if (ticket.mode === 'sfu') {
      // a Kurento endpoint negotiates once: new connections with the new credentials
      if (self.out && self.local) {
        self.publish();
      }
      Object.keys(self.peers).forEach(function (id) { self.subscribe(self.peers[id]); });
      return;
    }
    Object.keys(self.peers).forEach(function (id) {
      const p = self.peers[id];
      const config = p.pc.getConfiguration();
      config.iceServers = ticket.iceServers || [];
      try {
        p.pc.setConfiguration(config);
      } catch (err) {
        self.iceError = String(err);
        return; // a closed connection: nothing to renew
      }
      self.offer(p, true);
    });
  }, function (err) {
    // offline for a moment: the credentials still hold, try again soon (a refusal, say the class is over, is final)
    if (!self.closed && err.status === 0) {
      clearTimeout(self.iceTimer);
      self.iceTimer = setTimeout(function () { self.renewIce(); }, ICE_RENEW_RETRY_MS);
    }
  });
};

Room.prototype.connect = function (resume) {
  const self = this;
  if (this.closed) {
    return;
  }
  const ws = new WebSocket(this.ticket.signalingUrl);
  this.ws = ws;
  ws.onopen = function () {
    ws.send(JSON.stringify({ type: 'join', token: self.ticket.token, resume: resume }));
  };
  ws.onmessage = function (e) {
    let m;
    try {
      m = JSON.parse(e.data);
    } catch (ignored) {
      return;
    }
    self.onMessage(m);
  };
  ws.onclose = function (e) {
    if (self.ws !== ws || self.closed) {
      return;
    }
    self.ws = null;
    if (e.code === 4401 && self.joinedOnce && !self.freshTicketTried) {
      // the token ran out while we were away (or the clocks disagree): enter again with a new one
      self.freshTicketTried = true;
      self.fetchTicket().then(function () { self.connect(true); }, function (err) { self.say('error', errorText(err)); });
      return;
    }
    if (FINAL[e.code]) {
      if (e.code === 4410 || e.code === 1000) {
        self.setStatus('ended');
      }
      self.hangUp();
      return;
    }
    // lost: come back with our place, the peer connections kept
    self.reconnects++;
    const wait = Math.min(8000, 500 * Math.pow(2, Math.min(self.reconnects, 4)));
    self.say('info', t('room.reconnecting'));
    self.timers.push(setTimeout(function () { self.rejoin(); }, wait));
  };
  if (!this.pinger) {
    this.pinger = setInterval(function () { self.send({ type: 'ping' }); }, PING_EVERY_MS);
    this.quality = setInterval(function () { self.showQuality(); }, QUALITY_EVERY_MS);
  }
};

Room.prototype.rejoin = function () {
  const self = this;
  const expired = new Date(this.ticket.expiresAt).getTime() - Date.now() < 5000;
  (expired ? this.fetchTicket() : Promise.resolve(this.ticket)).then(function () {
    self.connect(self.joinedOnce);
  }, function (err) {
    if (err.status === 0) {
      self.timers.push(setTimeout(function () { self.rejoin(); }, 4000));
    } else {
      self.say('error', errorText(err));
    }
  });
};

Room.prototype.send = function (m) {
  if (this.ws && this.ws.readyState === 1) {
    this.ws.send(JSON.stringify(m));
  }
};

Room.prototype.onMessage = function (m) {
  const self = this;
  switch (m.type) {
    case 'welcome': {
      // the server still knew us: the others kept their peer connections to us, and ICE restarts them
      const resumed = this.joinedOnce && m.resumed;
      this.freshTicketTried = false;
      this.joinedOnce = true;
      this.reconnects = 0;
      this.me = m.you;
      this.say(null, null);
      this.setStatus(m.status);
      this.renderControls();
      if (this.ticket.mode === 'sfu') {
        this.sfuWelcome(m, resumed);
        this.renderHands();
        break;
      }
      const present = {};
      m.peers.forEach(function (info) {
        present[info.peerId] = true;
        const known = self.peers[info.peerId];
        if (resumed && known && known.pc) {
          known.info = info;
          self.offer(known, true);
        } else {
          self.dropPeer(info.peerId);
          self.offer(self.addPeer(info), false);
        }
      });
      Object.keys(this.peers).forEach(function (id) {
        if (!present[id]) {
          self.dropPeer(id);
        }
      });
      this.renderHands();
      break;
    }
    case 'peer-joined':
      this.dropPeer(m.peer.peerId);
      if (this.ticket.mode !== 'sfu' || maySee(this.me.role, m.peer.role)) {
        this.addPeer(m.peer);
      }
      this.renderHands();
      break;
    case 'peer-rejoined':
      if (this.ticket.mode === 'sfu' && !maySee(this.me.role, m.peer.role)) {
        break;
      }
      if (!m.resume || !this.peers[m.peer.peerId]) {
        this.dropPeer(m.peer.peerId);
        this.addPeer(m.peer);
      } else {
        this.peers[m.peer.peerId].info = m.peer;
      }
      this.renderHands();
      break;
    case 'peer-left':
      this.dropPeer(m.peerId);
      this.renderHands();
      break;
    case 'offer':
      this.onOffer(m);
      break;
    case 'answer': {
      const p = this.peers[m.from];
      if (p && p.pc) {
        p.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }).catch(function () {});
      }
      break;
    }
    case 'candidate': {
      const p = this.peers[m.from];
      if (p && p.pc && m.candidate) {
        p.pc.addIceCandidate(m.candidate).catch(function () {});
      }
      break;
    }
    case 'media-answer':
      this.onMediaAnswer(m);
      break;
    case 'media-candidate':
      this.onMediaCandidate(m);
      break;
    case 'state': {
      const p = m.peerId === (this.me && this.me.peerId) ? null : this.peers[m.peerId];
      if (p) {
        p.info.audio = m.audio;
        p.info.video = m.video;
        p.info.screen = m.screen;
        this.renderTile(p);
      }
      break;
    }
    case 'hand': {
      if (this.me && m.peerId === this.me.peerId) {
        this.me.hand = m.raised;
        this.renderControls();
      } else if (this.peers[m.peerId]) {
        this.peers[m.peerId].info.hand = m.raised;
        this.renderTile(this.peers[m.peerId]);
      }
      this.renderHands();
      break;
    }
    case 'chat':
      this.chatLog.appendChild(h('li', null, h('strong', null, m.name + '：'), m.text));
      this.chatLog.scrollTop = this.chatLog.scrollHeight;
      break;
    case 'status':
      this.setStatus(m.status);
      this.renderControls();
      break;
    case 'removed':
      this.say('error', t('room.removed'));
      break;
    case 'replaced':
      this.say('error', t('room.replaced'));
      break;
    case 'error':
      if (m.code === 'class_ended') {
        this.setStatus('ended');
      }
      this.say('error', document.documentElement.lang === 'en' ? m.messageEn : m.message);
      break;
    default:
      break;
  }
};

Room.prototype.setStatus = function (status) {
  this.status = status;
  if (status === 'live' && this.isLead() && this.ticket.recording && this.ticket.recordingBy !== 'server' && !this.closed) {
    this.startRecording();
  }
  this.statusEl.textContent = t('room.status.' + status);
  this.statusEl.className = 'badge status-' + status;
  if (status === 'ended') {
    this.say('info', t('room.ended'));
  }
};

Room.prototype.rtcConfig = function () {
  return { iceServers: this.ticket.iceServers || [], iceTransportPolicy: this.ticket.iceTransportPolicy || 'all' };
};

Room.prototype.addPeer = function (info) {
  const self = this;
  const sfu = this.ticket.mode === 'sfu';
  const pc = sfu ? null : new RTCPeerConnection(this.rtcConfig());
  const video = h('video', { autoplay: true, playsinline: true });
  const p = { info: info, pc: pc, video: video, stream: new MediaStream(), tile: null };
  video.srcObject = p.stream;
  if (sfu) {
    this.peers[info.peerId] = p;
    this.addTile(p);
    this.subscribe(p);
    return p;
  }
  if (this.local) {
    this.local.getTracks().forEach(function (track) {
      pc.addTrack(self.screen && track.kind === 'video' ? self.screen.getVideoTracks()[0] : track, self.local);
    });
  }
  pc.ontrack = function (e) {
    p.stream.addTrack(e.track);
  };
  pc.onicecandidate = function (e) {
    self.send({ type: 'candidate', to: info.peerId, candidate: e.candidate ? e.candidate.toJSON() : null });
  };
  this.peers[info.peerId] = p;
  this.addTile(p);
  return p;
};

Room.prototype.addTile = function (p) {
  p.tile = h('figure', { class: 'room-tile', 'data-peer': p.info.peerId }, p.video, h('figcaption'));
  this.tiles.appendChild(p.tile);
  this.renderTile(p);
};

// ---- Kurento mode ----

/** Entered (again): receive everyone this page may see, and publish; a resumed page keeps what still works. */
Room.prototype.sfuWelcome = function (m, resumed) {
  const self = this;
  const present = {};
  m.peers.forEach(function (info) {
    if (!maySee(self.me.role, info.role)) {
      return;
    }
    present[info.peerId] = true;
    const known = self.peers[info.peerId];
    if (resumed && known && known.pc && working(known.pc)) {
      known.info = info;
      self.renderTile(known);
    } else {
      self.dropPeer(info.peerId);
      self.addPeer(info);
    }
  });
  Object.keys(this.peers).forEach(function (id) {
    if (!present[id]) {
      self.dropPeer(id);
    }
  });
  if (this.local && !(resumed && this.out && working(this.out))) {
    this.publish();
  }
};

function working(pc) {
  return pc.connectionState !== 'failed' && pc.connectionState !== 'closed';
}

/** Sends camera and microphone (or the screen in place of the camera) to the media server. */
Room.prototype.publish = function () {
  const self = this;
  if (this.out) {
    this.out.close();
  }
  this.out = this.sfuFlow(this.me.peerId, function (pc) {
    self.local.getTracks().forEach(function (track) {
      const use = self.screen && track.kind === 'video' ? self.screen.getVideoTracks()[0] : track;
      pc.addTransceiver(use, { direction: 'sendonly', streams: [self.local] });
    });
  });
};

/** Receives one classroom from the media server, on a connection of its own. */
Room.prototype.subscribe = function (p) {
  if (p.pc) {
    p.pc.close();
  }
  p.stream = new MediaStream();
  p.video.srcObject = p.stream;
  p.pc = this.sfuFlow(p.info.peerId, function (pc) {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.ontrack = function (e) {
      p.stream.addTrack(e.track);
    };
  });
};

/** A connection to the media server for one source: offers, sends its candidates once the offer is out. */
Room.prototype.sfuFlow = function (source, setUp) {
  const self = this;
  const pc = new RTCPeerConnection(this.rtcConfig());
  pc.flowId = 'f' + (++flowCounter);
  pc.early = [];   // the server's candidates that came before its answer
  pc.outbox = [];  // ours from before the offer went out
  setUp(pc);
  pc.onicecandidate = function (e) {
    if (!e.candidate) {
      return;
    }
    const m = { type: 'media-candidate', source: source, id: pc.flowId, candidate: e.candidate.toJSON() };
    if (pc.outbox) {
      pc.outbox.push(m);
    } else {
      self.send(m);
    }
  };
  pc.onconnectionstatechange = function () {
    if (pc.connectionState === 'failed' && !self.closed) {
      self.timers.push(setTimeout(function () {
        if (self.flowOf(source) === pc && !self.closed) {
          self.reflow(source);
        }
      }, 1000));
    }
  };
  pc.createOffer().then(function (offer) {
    return pc.setLocalDescription(offer);
  }).then(function () {
    self.send({ type: 'media-offer', source: source, id: pc.flowId, sdp: pc.localDescription.sdp });
    const waiting = pc.outbox;
    pc.outbox = null;
    waiting.forEach(function (m) { self.send(m); });
  }).catch(function (err) {
    self.say('error', t('room.mediaFailed', errorText(err)));
  });
  return pc;
};

/** The connection of a source now: our own publication, or the one receiving that peer. */
Room.prototype.flowOf = function (source) {
  if (this.me && source === this.me.peerId) {
    return this.out || null;
  }
  const p = this.peers[source];
  return p ? p.pc : null;
};

Room.prototype.reflow = function (source) {
  if (this.me && source === this.me.peerId) {
    if (this.local) {
      this.publish();
    }
  } else if (this.peers[source]) {
    this.subscribe(this.peers[source]);
  }
};

Room.prototype.onMediaAnswer = function (m) {
  const self = this;
  const pc = this.flowOf(m.source);
  if (!pc || pc.flowId !== m.id) {
    return; // the answer to a connection made again since
  }
  pc.setRemoteDescription({ type: 'answer', sdp: m.sdp }).then(function () {
    pc.early.forEach(function (c) { pc.addIceCandidate(c).catch(function () {}); });
    pc.early = [];
  }).catch(function (err) {
    self.say('error', t('room.mediaFailed', errorText(err)));
  });
};

Room.prototype.onMediaCandidate = function (m) {
  const pc = this.flowOf(m.source);
  if (!pc || pc.flowId !== m.id || !m.candidate) {
    return;
  }
  if (pc.remoteDescription) {
    pc.addIceCandidate(m.candidate).catch(function () {});
  } else {
    pc.early.push(m.candidate);
  }
};

Room.prototype.offer = function (p, iceRestart) {
  const self = this;
  const pc = p.pc;
  if (!this.local) {
    // an observer (or a classroom without a camera) still asks for the others' pictures and sound
    if (pc.getTransceivers().length === 0) {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
    }
  }
  p.makingOffer = true;
  p.restarting = !!iceRestart;
  pc.createOffer(iceRestart ? { iceRestart: true } : {}).then(function (offer) {
    return pc.setLocalDescription(offer);
  }).then(function () {
    p.makingOffer = false;
    self.send({ type: 'offer', to: p.info.peerId, sdp: pc.localDescription.sdp });
  }).catch(function (err) {
    p.makingOffer = false;
    self.say('error', t('room.mediaFailed', errorText(err)));
  });
};

Room.prototype.onOffer = function (m) {
  const self = this;
  const p = this.peers[m.from];
  if (!p) {
    return;
  }
  const pc = p.pc;
  // Both sides offered at once (say, both renewed their TURN credentials): the one with the smaller id yields and
  // takes the other's offer (which rolls its own back); the other ignores this one and waits for its answer.
  const collision = p.makingOffer || pc.signalingState !== 'stable';
  if (collision && !(this.me && this.me.peerId < m.from)) {
    return;
  }
  // yielding an ICE restart of our own (new TURN credentials): restart again once this exchange is done
  const restartAgain = collision && p.restarting;
  pc.setRemoteDescription({ type: 'offer', sdp: m.sdp }).then(function () {
    return pc.createAnswer();
  }).then(function (answer) {
    return pc.setLocalDescription(answer);
  }).then(function () {
    self.send({ type: 'answer', to: m.from, sdp: pc.localDescription.sdp });
    if (restartAgain) {
      self.offer(p, true);
    }
  }).catch(function (err) {
    self.say('error', t('room.mediaFailed', errorText(err)));
  });
};

Room.prototype.dropPeer = function (id) {
  const p = this.peers[id];
  if (p) {
    p.pc.close();
    if (p.tile && p.tile.parentNode) {
      p.tile.parentNode.removeChild(p.tile);
    }
    delete this.peers[id];
  }
};

Room.prototype.addLocalTile = function () {
  const video = h('video', { autoplay: true, playsinline: true, muted: true });
  video.muted = true;
  if (this.local) {
    video.srcObject = this.local;
  }
  this.localVideo = video;
  this.tiles.appendChild(h('figure', { class: 'room-tile local', id: 'room-local' }, video,
    h('figcaption', null, this.ticket.displayName + ' · ' + t('room.you'))));
};

Room.prototype.renderTile = function (p) {
  const self = this;
  const info = p.info;
  const cap = p.tile.querySelector('figcaption');
  fill(cap, h('span', { class: 'room-name' }, info.name),
    h('span', { class: 'room-role' }, t('room.role.' + info.role)),
    info.audio === false ? h('span', { class: 'room-flag' }, t('room.muted')) : null,
    info.video === false ? h('span', { class: 'room-flag' }, t('room.cameraOff')) : null,
    info.hand ? h('span', { class: 'room-flag hand' }, '✋ ' + t('room.handUp')) : null,
    h('span', { class: 'room-quality', 'data-quality': p.quality || '' }, p.quality ? t('room.quality.' + p.quality) : ''),
    this.isLead() ? h('button', { type: 'button', class: 'btn small danger', onclick: function () {
      if (window.confirm(t('room.removeConfirm', info.name))) {
        self.send({ type: 'remove', peer: info.peerId });
      }
    } }, t('room.remove')) : null);
};

Room.prototype.isLead = function () {
  return !!this.ticket && this.ticket.role === 'lead';
};

Room.prototype.renderControls = function () {
  const self = this;
  const buttons = [];
  if (this.local) {
    buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-mute', 'aria-pressed': String(!this.audioOn), onclick: function () {
      self.audioOn = !self.audioOn;
      self.local.getAudioTracks().forEach(function (tr) { tr.enabled = self.audioOn; });
      self.send({ type: 'state', audio: self.audioOn });
      self.renderControls();
    } }, this.audioOn ? t('room.mute') : t('room.unmute')));
    buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-camera', 'aria-pressed': String(!this.videoOn), onclick: function () {
      self.videoOn = !self.videoOn;
      self.local.getVideoTracks().forEach(function (tr) { tr.enabled = self.videoOn; });
      self.send({ type: 'state', video: self.videoOn });
      self.renderControls();
    } }, this.videoOn ? t('room.cameraStop') : t('room.cameraStart')));
  }
  if (this.isLead() && this.local && navigator.mediaDevices.getDisplayMedia) {
    buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-screen', onclick: function () { self.toggleScreen(); } },
      this.screen ? t('room.screenStop') : t('room.screenShare')));
  }
  if (this.isLead() && this.ticket.recording && this.ticket.recordingBy !== 'server' && this.status !== 'ended') {
    buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-compose', 'aria-pressed': String(!!this.compose), onclick: function () {
      self.compose = !self.compose;
      self.renderControls();
    } }, this.compose ? t('room.composeOff') : t('room.composeOn')));
  }
  if (this.ticket && this.ticket.role === 'receiver') {
    const up = !!(this.me && this.me.hand);
    buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-hand', onclick: function () {
      self.send({ type: 'hand', raised: !up });
    } }, up ? t('room.handDown') : t('room.handRaise')));
  }
  if (this.isLead() && this.status === 'scheduled') {
    buttons.push(h('button', { type: 'button', class: 'btn primary', id: 'room-start', onclick: function () { self.send({ type: 'start' }); } },
      t('room.start')));
  }
  if (this.isLead() && (this.status === 'scheduled' || this.status === 'live')) {
    buttons.push(h('button', { type: 'button', class: 'btn danger', id: 'room-end', onclick: function () {
      if (window.confirm(t('room.endConfirm'))) {
        // the recording's last seconds go up before the class ends (and the server closes what is left)
        self.stopRecording().then(function () { self.send({ type: 'end' }); });
      }
    } }, t('room.end')));
  }
  buttons.push(h('button', { type: 'button', class: 'btn', id: 'room-leave', onclick: function () {
    self.close(false);
    window.history.back();
  } }, t('room.leave')));
  fill(this.controls, buttons);
};

Room.prototype.renderHands = function () {
  const self = this;
  const up = Object.keys(this.peers).map(function (id) { return self.peers[id].info; }).filter(function (i) { return i.hand; });
  fill(this.hands, up.length === 0 ? h('li', { class: 'muted' }, t('room.noHands')) : up.map(function (i) {
    return h('li', null, i.name, ' ',
      self.isLead() ? h('button', { type: 'button', class: 'btn small', onclick: function () {
        self.send({ type: 'hand', raised: false, peer: i.peerId });
      } }, t('room.handLower')) : null);
  }));
};

Room.prototype.toggleScreen = function () {
  const self = this;
  function useTrack(track) {
    const pcs = Object.keys(self.peers).map(function (id) { return self.peers[id].pc; }).concat(self.out ? [self.out] : []);
    pcs.forEach(function (pc) {
      pc.getSenders().forEach(function (s) {
        if (s.track && s.track.kind === 'video') {
          s.replaceTrack(track);
        }
      });
    });
    self.localVideo.srcObject = track === self.local.getVideoTracks()[0] ? self.local : new MediaStream([track]);
  }
  if (this.screen) {
    this.screen.getTracks().forEach(function (tr) { tr.stop(); });
    this.screen = null;
    useTrack(this.local.getVideoTracks()[0]);
    this.send({ type: 'state', screen: false });
    this.renderControls();
    return;
  }
  navigator.mediaDevices.getDisplayMedia({ video: true }).then(function (stream) {
    self.screen = stream;
    const track = stream.getVideoTracks()[0];
    track.onended = function () {
      if (self.screen === stream) {
        self.toggleScreen();
      }
    };
    useTrack(track);
    self.send({ type: 'state', screen: true });
    self.renderControls();
  }, function (err) {
    self.say('error', t('room.mediaFailed', errorText(err)));
  });
};

/** Records the lead's camera and microphone into a new recording resource, uploaded piece by piece. */
Room.prototype.startRecording = function () {
  const self = this;
  if (this.recorder || this.recordingStarting || !this.local || !window.MediaRecorder) {
    return;
  }
  this.recordingStarting = true;
  api('/sessions/' + encodeURIComponent(this.sessionId) + '/recordings', { method: 'POST' }).then(function (resource) {
    if (self.closed) {
      return;
    }
    const type = ['video/webm;codecs=vp8,opus', 'video/webm'].filter(function (m) { return MediaRecorder.isTypeSupported(m); })[0];
    const recorder = new MediaRecorder(self.recordingStream(), { mimeType: type, videoBitsPerSecond: 1500000, audioBitsPerSecond: 64000 });
    const upload = new TusStream({ endpoint: '/api/v1/uploads', resourceId: resource.id, fileName: 'class-recording.webm', onError: function (err) {
      self.say('error', t('room.recordingFailed', errorText(err)));
    } });
    self.recorder = recorder;
    self.upload = upload;
    self.recordingId = resource.id;
    recorder.ondataavailable = function (e) {
      upload.append(e.data);
      self.showRecording();
    };
    recorder.start(RECORD_SLICE_MS);
    self.showRecording();
    self.recordingTimer = setInterval(function () { self.showRecording(); }, 2000);
  }, function (err) {
    if (err.code !== 'recording_off') {
      self.say('error', t('room.recordingFailed', errorText(err)));
    }
  }).then(function () {
    self.recordingStarting = false;
  });
};

/** The stream the recorder records: a canvas the page draws the class on, and the mixed sound. */
Room.prototype.recordingStream = function () {
  const self = this;
  const canvas = h('canvas', { width: String(CANVAS_W), height: String(CANVAS_H) });
  const g = canvas.getContext('2d');
  const stream = canvas.captureStream(CANVAS_FPS);
  const AudioCtx = window.AudioContext || window.webkitAudioContext;
  const mix = { ctx: new AudioCtx(), sources: {} };
  mix.dest = mix.ctx.createMediaStreamDestination();
  if (this.local.getAudioTracks().length > 0) {
    mix.ctx.createMediaStreamSource(new MediaStream(this.local.getAudioTracks())).connect(mix.dest);
  }
  stream.addTrack(mix.dest.stream.getAudioTracks()[0]);
  this.mix = mix;
  this.drawTimer = setInterval(function () {
    self.drawFrame(g);
    self.mixSound();
  }, 1000 / CANVAS_FPS);
  return stream;
};

/** The classrooms drawn beside the lead when composing: those that send a picture. */
Room.prototype.composed = function () {
  const self = this;
  if (!this.compose) {
    return [];
  }
  return Object.keys(this.peers).map(function (id) { return self.peers[id]; }).filter(function (p) {
    return p.info.role !== 'observer' && p.video.videoWidth > 0;
  }).slice(0, 4);
};

Room.prototype.drawFrame = function (g) {
  g.fillStyle = '#111';
  g.fillRect(0, 0, CANVAS_W, CANVAS_H);
  const others = this.composed();
  if (others.length === 0) {
    drawContained(g, this.localVideo, 0, 0, CANVAS_W, CANVAS_H);
    return;
  }
  // the lead large on the left, up to four classrooms in a column on the right
  const side = CANVAS_W / 4;
  drawContained(g, this.localVideo, 0, 0, CANVAS_W - side, CANVAS_H);
  const tile = CANVAS_H / 4;
  others.forEach(function (p, i) {
    drawContained(g, p.video, CANVAS_W - side, i * tile, side, tile);
    g.fillStyle = 'rgba(0, 0, 0, .55)';
    g.fillRect(CANVAS_W - side, i * tile + tile - 22, side, 22);
    g.fillStyle = '#fff';
    g.font = '14px sans-serif';
    g.fillText(p.info.name, CANVAS_W - side + 6, i * tile + tile - 6, side - 12);
  });
};

function drawContained(g, video, x, y, w, h) {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (!vw || !vh) {
    return;
  }
  const scale = Math.min(w / vw, h / vh);
  const dw = vw * scale;
  const dh = vh * scale;
  g.drawImage(video, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh);
}

/** While composing, every classroom's sound goes into the recording too; a classroom that left leaves it. */
Room.prototype.mixSound = function () {
  const self = this;
  const mix = this.mix;
  const wanted = {};
  if (this.compose) {
    Object.keys(this.peers).forEach(function (id) {
      const p = self.peers[id];
      if (p.stream.getAudioTracks().length > 0) {
        wanted[id] = p;
      }
    });
  }
  Object.keys(mix.sources).forEach(function (id) {
    if (!wanted[id] || mix.sources[id].stream !== wanted[id].stream) {
      mix.sources[id].node.disconnect();
      delete mix.sources[id];
    }
  });
  Object.keys(wanted).forEach(function (id) {
    if (!mix.sources[id]) {
      const node = mix.ctx.createMediaStreamSource(wanted[id].stream);
      node.connect(mix.dest);
      mix.sources[id] = { node: node, stream: wanted[id].stream };
    }
  });
};

Room.prototype.showRecording = function () {
  this.recordingEl.hidden = !this.recorder;
  if (this.upload) {
    this.recordingEl.textContent = t('room.recording', formatBytes(this.upload.offset));
    this.recordingEl.setAttribute('data-bytes', String(this.upload.offset));
  }
};

/** Stops the recorder and sends what is left; resolves when the server has it (or after a wait, on a bad link). */
Room.prototype.stopRecording = function () {
  const self = this;
  const recorder = this.recorder;
  if (!recorder) {
    return Promise.resolve();
  }
  this.recorder = null;
  clearInterval(this.recordingTimer);
  clearInterval(this.drawTimer);
  const flushed = new Promise(function (resolve) {
    recorder.onstop = function () {
      self.upload.finish().then(resolve);
    };
    if (recorder.state !== 'inactive') {
      recorder.stop();
    } else {
      self.upload.finish().then(resolve);
    }
  });
  const patience = new Promise(function (resolve) { setTimeout(resolve, FLUSH_WAIT_MS); });
  return Promise.race([flushed, patience]).then(function () {
    if (self.mix) {
      self.mix.ctx.close();
      self.mix = null;
    }
    self.showRecording();
    self.recordingEl.hidden = true;
  });
};

/** Connection quality per classroom from getStats: round trip and lost packets of what we receive. */
Room.prototype.showQuality = function () {
  const self = this;
  Object.keys(this.peers).forEach(function (id) {
    const p = self.peers[id];
    p.pc.getStats().then(function (stats) {
      let rtt = null;
      let lost = 0;
      let received = 0;
      stats.forEach(function (s) {
        if (s.type === 'candidate-pair' && s.nominated && s.currentRoundTripTime !== undefined) {
          rtt = s.currentRoundTripTime;
        }
        if (s.type === 'inbound-rtp') {
          lost += s.packetsLost || 0;
          received += s.packetsReceived || 0;
        }
      });
      const loss = received + lost > 0 ? lost / (received + lost) : 0;
      const q = rtt === null ? '' : (rtt > 0.4 || loss > 0.08 ? 'poor' : (rtt > 0.15 || loss > 0.02 ? 'fair' : 'good'));
      if (q !== p.quality) {
        p.quality = q;
        self.renderTile(p);
      }
    }).catch(function () {});
  });
};

Room.prototype.stopLocal = function () {
  [this.local, this.screen].forEach(function (s) {
    if (s) {
      s.getTracks().forEach(function (tr) { tr.stop(); });
    }
  });
};

Room.prototype.hangUp = function () {
  const self = this;
  this.stopRecording();
  Object.keys(this.peers).forEach(function (id) { self.dropPeer(id); });
  if (this.out) {
    this.out.close();
    this.out = null;
  }
  clearInterval(this.pinger);
  clearInterval(this.quality);
  this.stopLocal();
  this.renderControls();
};

Room.prototype.close = function (navigating) {
  if (this.closed) {
    return;
  }
  if (this.hls) {
    this.hls.destroy();
    this.hls = null;
  }
  this.send({ type: 'leave' });
  this.closed = true;
  this.timers.forEach(clearTimeout);
  clearTimeout(this.iceTimer);
  if (this.ws) {
    const ws = this.ws;
    this.ws = null;
    ws.close(1000);
  }
  this.hangUp();
  if (navigating) {
    clear(this.view);
  }
};

Room.prototype.testHooks = function () {
  const self = this;
  return {
    /** {peerId: frames decoded from that peer}, from each peer connection's inbound video. */
    framesDecoded: function () {
      const ids = Object.keys(self.peers);
      return Promise.all(ids.map(function (id) {
        return self.peers[id].pc.getStats().then(function (stats) {
          let frames = 0;
          stats.forEach(function (s) {
            if (s.type === 'inbound-rtp' && s.kind === 'video') {
              frames += s.framesDecoded || 0;
            }
          });
          return frames;
        });
      })).then(function (counts) {
        const out = {};
        ids.forEach(function (id, i) { out[id] = counts[i]; });
        return out;
      });
    },
    /** Drops the signaling connection as a network blip would (the page reconnects by itself). */
    dropSocket: function () {
      if (self.ws) {
        self.ws.close(4999, 'test drop');
      }
    },
    /** This page's peer id (its user's id). */
    me: function () {
      return self.me ? self.me.peerId : null;
    },
    connected: function () {
      return !!self.ws && self.ws.readyState === 1 && !!self.me;
    },
    reconnected: function () {
      return self.joinedOnce && self.reconnects === 0 && !!self.ws && self.ws.readyState === 1;
    },
    status: function () {
      return self.status;
    },
    /** TURN credential renewals so far, and the TURN user names the peer connections now hold. */
    iceRenewals: function () {
      return self.iceRenewals;
    },
    iceError: function () {
      return self.iceError || null;
    },
    turnUsers: function () {
      return Object.keys(self.peers).map(function (id) {
        const servers = self.peers[id].pc.getConfiguration().iceServers || [];
        const turn = servers.filter(function (s) { return s.username; })[0];
        return turn ? turn.username : null;
      });
    },
    /** Per peer connection, the type of the local candidate in use (host, srflx, relay), or null before one is chosen. */
    localCandidateTypes: function () {
      const ids = Object.keys(self.peers);
      return Promise.all(ids.map(function (id) {
        return self.peers[id].pc.getStats().then(function (stats) {
          let pair = null;
          stats.forEach(function (s) {
            if (s.type === 'transport' && s.selectedCandidatePairId) {
              pair = stats.get(s.selectedCandidatePairId);
            }
          });
          const local = pair ? stats.get(pair.localCandidateId) : null;
          return local ? local.candidateType : null;
        });
      }));
    },
    iceUfrags: function () {
      return Object.keys(self.peers).map(function (id) {
        const d = self.peers[id].pc.localDescription;
        const m = d ? /a=ice-ufrag:(\S+)/.exec(d.sdp) : null;
        return m ? m[1] : null;
      });
    },
    /** The recording resource and the bytes the server has confirmed. */
    recording: function () {
      return self.upload ? { resourceId: self.recordingId, bytes: self.upload.offset } : null;
    }
  };
};
