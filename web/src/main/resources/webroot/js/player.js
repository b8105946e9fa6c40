// 播放器: adaptive HLS (hls.js) with what teachers ask for: automatic or chosen quality, speed 0.5–2×, resume
// where this user stopped (kept on the server), the poster, thumbnails over the seek bar, captions, and keyboard
// shortcuts. While the video is still being processed the page shows its progress, pushed by the server.

import { t } from './i18n.js';
import { api, url, BASE } from './api.js';
import { h, fill, notice, errorText } from './dom.js';

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
const SAVE_EVERY_MS = 10000;
let hlsLoading = null;

/** Loads hls.js (from its WebJar) once, as a classic script: its 1.4 build has no module form. */
export function loadHls() {
  if (!hlsLoading) {
    hlsLoading = new Promise(function (resolve, reject) {
      const s = document.createElement('script');
      s.src = 'vendor/hls.js/dist/hls.min.js';
      s.onload = function () { resolve(window.Hls); };
      s.onerror = function () { hlsLoading = null; reject(new Error('hls.js')); };
      document.head.appendChild(s);
    });
  }
  return hlsLoading;
}

/** The media card of a video or recording resource: progress until ready, then the player. */
export function mediaCard(resourceId) {
  const box = h('div', { class: 'media', id: 'media' });
  let source = null;
  let shown = null;

  function show(state) {
    if (state.status === shown && state.status !== 'processing' && state.status !== 'pending') {
      return;
    }
    if (state.status === 'ready') {
      shown = 'ready';
      if (source) {
        source.close();
      }
      fill(box, player(resourceId, state));
    } else if (state.status === 'failed') {
      shown = 'failed';
      fill(box, notice('error', t('media.failed') + (state.error ? '：' + state.error.message : '')));
    } else {
      shown = state.status;
      const pct = Math.round(state.progress || 0);
      fill(box, h('div', { class: 'media-progress' },
        h('p', null, state.status === 'pending' ? t('media.pending') : t('media.processing') + ' ' + pct + '%'),
        h('progress', { max: 100, value: pct, id: 'media-progress' })));
    }
  }

  fill(box, h('p', { class: 'muted' }, t('app.loading')));
  api('/resources/' + encodeURIComponent(resourceId) + '/media').then(function (state) {
    show(state);
    if (state.status === 'pending' || state.status === 'processing') {
      source = new EventSource(BASE + '/resources/' + encodeURIComponent(resourceId) + '/media/events');
      source.addEventListener('media', function (e) { show(JSON.parse(e.data)); });
    }
  }, function (err) {
    fill(box, notice('error', errorText(err)));
  });
  return box;
}

function player(resourceId, state) {
  const video = h('video', { class: 'player-video', id: 'player', preload: 'metadata', playsinline: true, tabindex: 0 });
  if (state.poster) {
    video.poster = state.poster;
  }
  const status = h('div', { class: 'player-status', 'aria-live': 'polite' });
  const playBtn = h('button', { type: 'button', class: 'btn', id: 'player-play' }, t('player.play'));
  const time = h('span', { class: 'player-time', id: 'player-time' }, '0:00 / ' + clock(state.durationSeconds || 0));
  const seek = h('input', { type: 'range', min: 0, max: 1000, value: 0, step: 1, class: 'player-seek', id: 'player-seek',
    'aria-label': t('player.seek') });
  const thumb = h('div', { class: 'player-thumb', hidden: true });
  const quality = h('select', { id: 'player-quality', 'aria-label': t('player.quality') },
    h('option', { value: '-1' }, t('player.auto')));
  const speed = h('select', { id: 'player-speed', 'aria-label': t('player.speed') }, SPEEDS.map(function (s) {
    return h('option', { value: String(s), selected: s === 1 }, s + '×');
  }));
  const full = h('button', { type: 'button', class: 'btn', id: 'player-fullscreen' }, t('player.fullscreen'));
  const captions = h('select', { id: 'player-captions', 'aria-label': t('player.captions'), hidden: true },
    h('option', { value: '' }, t('player.captionsOff')));
  const downloads = h('span', { class: 'player-downloads' }, (state.renditions || []).filter(function (r) { return r.height; })
    .map(function (r) {
      return h('a', { href: url('/resources/' + encodeURIComponent(resourceId) + '/media/download', { quality: r.label }),
        class: 'btn small', download: '' }, t('player.download') + ' ' + r.label + 'p');
    }));
  const wrap = h('div', { class: 'player' },
    h('div', { class: 'player-stage' }, video, thumb),
    h('div', { class: 'player-bar' }, playBtn, h('div', { class: 'player-seek-wrap' }, seek), time,
      h('label', null, t('player.quality') + ' ', quality), h('label', null, t('player.speed') + ' ', speed), captions, full),
    status,
    h('p', { class: 'muted small' }, t('player.keys')),
    state.audioOnly ? null : h('div', { class: 'actions' }, downloads));

  let hls = null;
  let cues = [];
  let lastSaved = 0;
  const positionUrl = '/resources/' + encodeURIComponent(resourceId) + '/playback';

  loadHls().then(function (Hls) {
    if (Hls && Hls.isSupported()) {
      hls = new Hls({ capLevelToPlayerSize: true, startLevel: -1 });
      hls.loadSource(state.hls);
      hls.attachMedia(video);
      hls.on(Hls.Events.MANIFEST_PARSED, function (e, data) {
        data.levels.forEach(function (l, i) {
          quality.appendChild(h('option', { value: String(i) }, l.height ? l.height + 'p' : t('player.audio')));
        });
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, function (e, data) {
        const l = hls.levels[data.level];
        video.dataset.level = String(data.level);
        video.dataset.height = l ? String(l.height) : '';
      });
      hls.on(Hls.Events.ERROR, function (e, data) {
        if (data.fatal) {
          fill(status, notice('error', t('player.error')));
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
            hls.startLoad(); // a village link that dropped: try again from where it stopped
          } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
          }
        }
      });
      window.kelianPlayer = hls; // for support staff in the browser console, and the browser tests
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = state.hls; // Safari plays HLS natively
    } else {
      fill(status, notice('error', t('player.unsupported')));
    }
  }, function () {
    fill(status, notice('error', t('player.error')));
  });

  // Caption tracks (WebVTT from the server; SRT was converted on upload); the first one is shown by default.
  api('/resources/' + encodeURIComponent(resourceId) + '/captions').then(function (tracks) {
    tracks.forEach(function (tr, i) {
      video.appendChild(h('track', { kind: 'captions', src: tr.url, srclang: tr.lang, label: tr.label, default: i === 0 }));
      captions.appendChild(h('option', { value: tr.lang, selected: i === 0 }, tr.label));
    });
    captions.hidden = tracks.length === 0;
  }, function () {});
  captions.addEventListener('change', function () {
    Array.prototype.forEach.call(video.textTracks, function (tt) {
      tt.mode = tt.language === captions.value ? 'showing' : 'disabled';
    });
  });

  // Resume where this user stopped, unless that is the very start or end; a link to a moment (?t=) wins.
  const linked = Number(new URLSearchParams(window.location.hash.split('?')[1] || '').get('t'));
  api(positionUrl).then(function (p) {
    const at = linked > 0 ? linked : p.positionSeconds || 0;
    function resume() {
      if (linked > 0) {
        video.currentTime = linked;
      } else if (at > 5 && at < (video.duration || state.durationSeconds) - 5) {
        video.currentTime = at;
        fill(status, notice('info', t('player.resumed') + ' ' + clock(at)));
      }
    }
    if (video.readyState >= 1) {
      resume();
    } else {
      video.addEventListener('loadedmetadata', resume, { once: true });
    }
  }, function () {});

  function save(force) {
    const now = Date.now();
    if (!force && now - lastSaved < SAVE_EVERY_MS) {
      return;
    }
    lastSaved = now;
    fetch(BASE + positionUrl, { method: 'PUT', keepalive: true, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ positionSeconds: video.currentTime || 0 }) })
      .catch(function () {});
  }

  video.addEventListener('timeupdate', function () {
    const d = video.duration || state.durationSeconds || 0;
    time.textContent = clock(video.currentTime) + ' / ' + clock(d);
    if (d && !seek.dragging) {
      seek.value = String(Math.round(video.currentTime / d * 1000));
    }
    if (!video.paused) {
      save(false);
    }
  });
  video.addEventListener('play', function () { playBtn.textContent = t('player.pause'); });
  video.addEventListener('pause', function () { playBtn.textContent = t('player.play'); save(true); });
  video.addEventListener('ended', function () { save(true); });
  window.addEventListener('pagehide', function () { save(true); }, { once: true });
  video.addEventListener('click', toggle);
  playBtn.addEventListener('click', toggle);

  function toggle() {
    if (video.paused) {
      video.play().catch(function () {});
    } else {
      video.pause();
    }
  }

  seek.addEventListener('input', function () {
    seek.dragging = true;
    const d = video.duration || state.durationSeconds || 0;
    video.currentTime = Number(seek.value) / 1000 * d;
  });
  seek.addEventListener('change', function () { seek.dragging = false; });

  // Seek-bar thumbnails: the WebVTT index names a tile of a sprite sheet for each stretch of time.
  if (state.thumbnails) {
    fetch(state.thumbnails, { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : ''; }).then(function (text) {
      cues = parseThumbs(text, state.thumbnails);
    }).catch(function () {});
  }
  seek.addEventListener('mousemove', function (e) {
    const rect = seek.getBoundingClientRect();
    const frac = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    const at = frac * (video.duration || state.durationSeconds || 0);
    const cue = cues.find(function (c) { return at >= c.start && at < c.end; });
    if (!cue) {
      thumb.hidden = true;
      return;
    }
    thumb.hidden = false;
    thumb.style.width = cue.w + 'px';
    thumb.style.height = cue.h + 'px';
    thumb.style.backgroundImage = 'url("' + cue.src + '")';
    thumb.style.backgroundPosition = '-' + cue.x + 'px -' + cue.y + 'px';
    thumb.style.left = Math.max(0, e.clientX - rect.left - cue.w / 2) + 'px';
    thumb.dataset.time = clock(at);
  });
  seek.addEventListener('mouseleave', function () { thumb.hidden = true; });

  quality.addEventListener('change', function () {
    if (hls) {
      hls.currentLevel = Number(quality.value); // -1: automatic
    }
  });
  speed.addEventListener('change', function () { video.playbackRate = Number(speed.value); });
  full.addEventListener('click', fullscreen);

  function fullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (wrap.requestFullscreen) {
      wrap.requestFullscreen();
    }
  }

  function setSpeed(step) {
    const i = Math.min(SPEEDS.length - 1, Math.max(0, SPEEDS.indexOf(video.playbackRate) + step));
    video.playbackRate = SPEEDS[i];
    speed.value = String(SPEEDS[i]);
  }

  // Keyboard: space/K play, ←/→ 5 s, J/L 10 s, ↑/↓ volume, M mute, F full screen, < and > speed.
  wrap.tabIndex = 0;
  wrap.addEventListener('keydown', function (e) {
    if (e.target.tagName === 'SELECT' || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    const k = e.key;
    let handled = true;
    if (k === ' ' || k === 'k' || k === 'K') {
      toggle();
    } else if (k === 'ArrowLeft') {
      video.currentTime = Math.max(0, video.currentTime - 5);
    } else if (k === 'ArrowRight') {
      video.currentTime = video.currentTime + 5;
    } else if (k === 'j' || k === 'J') {
      video.currentTime = Math.max(0, video.currentTime - 10);
    } else if (k === 'l' || k === 'L') {
      video.currentTime = video.currentTime + 10;
    } else if (k === 'ArrowUp') {
      video.volume = Math.min(1, video.volume + 0.1);
    } else if (k === 'ArrowDown') {
      video.volume = Math.max(0, video.volume - 0.1);
    } else if (k === 'm' || k === 'M') {
      video.muted = !video.muted;
    } else if (k === 'f' || k === 'F') {
      fullscreen();
    } else if (k === '>' ) {
      setSpeed(1);
    } else if (k === '<') {
      setSpeed(-1);
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  });
  return wrap;
}

/** "00:01:02.000 --> 00:01:04.000\nsprite-001.jpg#xywh=160,0,160,90" → {start, end, src, x, y, w, h}. */
function parseThumbs(text, vttUrl) {
  const base = vttUrl.substring(0, vttUrl.lastIndexOf('/') + 1);
  const out = [];
  const blocks = text.split(/\n\n+/);
  blocks.forEach(function (b) {
    const lines = b.trim().split('\n');
    const timing = lines.find(function (l) { return l.indexOf('-->') > 0; });
    const target = lines[lines.indexOf(timing) + 1];
    if (!timing || !target) {
      return;
    }
    const parts = timing.split('-->');
    const m = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target.trim());
    if (!m) {
      return;
    }
    out.push({ start: seconds(parts[0]), end: seconds(parts[1]), src: base + m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
  });
  return out;
}

function seconds(ts) {
  const p = ts.trim().split(':').map(Number);
  return p.length === 3 ? p[0] * 3600 + p[1] * 60 + p[2] : p[0] * 60 + p[1];
}

function clock(s) {
  s = Math.max(0, Math.floor(s || 0));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor(s / 60) % 60;
  const ss = String(s % 60).padStart(2, '0');
  return hh ? hh + ':' + String(mm).padStart(2, '0') + ':' + ss : mm + ':' + ss;
}
