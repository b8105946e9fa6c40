// A small tus 1.0 client (core + creation): POST creates an upload, HEAD asks how much the server has, PATCH
// sends the rest from there. Village links drop often, so everything is built around resuming:
//  - the upload URL is remembered in localStorage, keyed by the file's name, size and lastModified, so
//    choosing the same file after a reload (or on another day) continues where the server stopped;
//  - after a failed request it waits (1 s, 2 s, 5 s … 30 s; at once when the browser comes back online),
//    asks the server for its offset with HEAD, and sends from there — never trusting its own count;
//  - pause aborts the request in flight; resume is the same HEAD-then-PATCH path.

import { acceptLanguage, errorFrom, networkError } from './api.js';

const PREFIX = 'kelian.tus:';
const VERSION = '1.0.0';
// 8 MiB: above S3's 5 MiB minimum part, so a server that maps each PATCH onto one multipart part stays valid;
// progress inside a chunk still moves byte by byte.
const CHUNK = 8 * 1024 * 1024;
const RETRY_DELAYS_MS = [1000, 2000, 5000, 10000, 20000, 30000, 30000, 30000, 30000, 30000];

/** The localStorage key of a file: the same file picked again gives the same key. */
export function fileKey(file) {
  return PREFIX + file.name + ':' + file.size + ':' + file.lastModified;
}

function read(key) {
  try {
    const s = window.localStorage.getItem(key);
    return s ? JSON.parse(s) : null;
  } catch (e) {
    return null;
  }
}

function write(key, record) {
  try {
    window.localStorage.setItem(key, JSON.stringify(record));
  } catch (e) {
    // storage full or blocked: this upload still works, it just cannot resume after a reload
  }
}

export function forget(key) {
  try {
    window.localStorage.removeItem(key);
  } catch (e) {
    // nothing to forget
  }
}

/** The remembered upload of this file, if any: {url, resourceId, title, name, size, offset}. */
export function pendingFor(file) {
  return read(fileKey(file));
}

/** Every unfinished upload this browser remembers, newest first, each with its storage key. */
export function pendingUploads() {
  const out = [];
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        const r = read(key);
        if (r) {
          r.key = key;
          out.push(r);
        }
      }
    }
  } catch (e) {
    // no storage, nothing pending
  }
  return out.sort(function (a, b) { return (b.updatedAt || 0) - (a.updatedAt || 0); });
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) {
    bin += String.fromCharCode(bytes[i]);
  }
  return window.btoa(bin);
}

function headers(extra) {
  return Object.assign({ 'Tus-Resumable': VERSION, 'Accept-Language': acceptLanguage() }, extra);
}

// Worth trying again: the network, the server being busy or restarting, or an offset the server disagrees
// with (409; the HEAD before the next PATCH settles it).
function retryable(err) {
  return err.status === 0 || err.status === 409 || err.status === 423 || err.status === 429 || err.status >= 500;
}

/**
 * new TusUpload(file, {endpoint, resourceId, title, onProgress(sent, total), onStatus(status, info),
 * onSuccess(), onError(err)}). status: 'connecting', 'uploading', 'retrying' ({seconds, attempt}), 'paused'.
 */
export function TusUpload(file, options) {
  this.file = file;
  this.options = options;
  this.key = fileKey(file);
  this.run = 0; // each start() gets a number; callbacks of an older run are ignored
  this.xhr = null;
  this.timer = null;
  this.attempt = 0;
  this.active = false;
  const self = this;
  this.onOnline = function () {
    if (self.timer) {
      clearTimeout(self.timer);
      self.timer = null;
      self.connect();
    }
  };
}

/** Starts, or resumes after a pause or a final failure, with a fresh round of retries. */
TusUpload.prototype.start = function () {
  this.attempt = 0;
  this.connect();
};

TusUpload.prototype.connect = function () {
  const run = ++this.run;
  const self = this;
  this.active = true;
  window.addEventListener('online', this.onOnline);
  this.status('connecting');
  this.offset().then(function (offset) {
    return self.send(run, offset);
  }).catch(function (err) {
    self.failed(run, err);
  });
};

TusUpload.prototype.pause = function () {
  this.run++;
  this.stop();
  this.status('paused');
};

TusUpload.prototype.stop = function () {
  this.active = false;
  clearTimeout(this.timer);
  this.timer = null;
  window.removeEventListener('online', this.onOnline);
  if (this.xhr) {
    this.xhr.abort();
    this.xhr = null;
  }
};

TusUpload.prototype.status = function (s, info) {
  if (this.options.onStatus) {
    this.options.onStatus(s, info);
  }
};

TusUpload.prototype.progress = function (sent) {
  if (this.options.onProgress) {
    this.options.onProgress(sent, this.file.size);
  }
};

/** The server's offset for a remembered upload of this file to this resource, or a new upload at 0. */
TusUpload.prototype.offset = function () {
  const self = this;
  const known = read(this.key);
  if (!known || known.resourceId !== this.options.resourceId) {
    return this.create();
  }
  this.url = known.url;
  return fetch(known.url, { method: 'HEAD', headers: headers(), credentials: 'same-origin', cache: 'no-store' })
    .catch(function () { throw networkError(); })
    .then(function (res) {
      if (res.status === 404 || res.status === 410 || res.status === 403) {
        // expired or gone on the server: start this file over
        forget(self.key);
        return self.create();
      }
      if (!res.ok) {
        throw errorFrom(res.status, '');
      }
      return parseInt(res.headers.get('Upload-Offset'), 10) || 0;
    });
};

TusUpload.prototype.create = function () {
  const self = this;
  const file = this.file;
  return fetch(this.options.endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({
      'Upload-Length': String(file.size),
      'Upload-Metadata': 'resourceId ' + base64(this.options.resourceId) + ',filename ' + base64(file.name)
    })
  }).catch(function () { throw networkError(); }).then(function (res) {
    if (res.status !== 201) {
      return res.text().then(function (text) { throw errorFrom(res.status, text); });
    }
    self.url = new URL(res.headers.get('Location'), window.location.href).href;
    self.remember(0);
    return 0;
  });
};

TusUpload.prototype.remember = function (offset) {
  write(this.key, {
    url: this.url, resourceId: this.options.resourceId, title: this.options.title,
    name: this.file.name, size: this.file.size, offset: offset, updatedAt: Date.now()
  });
};

/** PATCHes one chunk from offset, then the next, until the server has the whole file. */
TusUpload.prototype.send = function (run, offset) {
  const self = this;
  if (run !== this.run) {
    return Promise.resolve();
  }
  this.progress(offset);
  if (offset >= this.file.size) {
    this.stop();
    forget(this.key);
    if (this.options.onSuccess) {
      this.options.onSuccess();
    }
    return Promise.resolve();
  }
  this.status('uploading');
  return this.patch(run, offset).then(function (next) {
    self.attempt = 0; // progress was made: the next failure starts the back-off from the beginning
    self.remember(next);
    return self.send(run, next);
  });
};

TusUpload.prototype.patch = function (run, offset) {
  const self = this;
  const chunk = this.file.slice(offset, Math.min(offset + CHUNK, this.file.size));
  return new Promise(function (resolve, reject) {
    const xhr = new XMLHttpRequest();
    self.xhr = xhr;
    xhr.open('PATCH', self.url);
    const h = headers({ 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' });
    Object.keys(h).forEach(function (k) { xhr.setRequestHeader(k, h[k]); });
    xhr.upload.onprogress = function (e) {
      if (run === self.run) {
        self.progress(offset + e.loaded);
      }
    };
    xhr.onload = function () {
      const next = parseInt(xhr.getResponseHeader('Upload-Offset'), 10);
      if ((xhr.status === 204 || xhr.status === 200) && next > offset) {
        resolve(next);
      } else if (xhr.status === 204 || xhr.status === 200) {
        reject(errorFrom(409, '')); // no progress acknowledged: ask with HEAD and try again
      } else {
        reject(errorFrom(xhr.status, xhr.responseText));
      }
    };
    xhr.onerror = function () { reject(networkError()); };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = function () { reject(networkError()); };
    xhr.send(chunk);
  });
};

TusUpload.prototype.failed = function (run, err) {
  if (run !== this.run) {
    return; // paused or restarted meanwhile: this failure is the abort we caused
  }
  if (err.status === 404 || err.status === 410) {
    forget(this.key); // the upload expired under us; the retry creates a new one for the same resource
  }
  if ((retryable(err) || err.status === 404 || err.status === 410) && this.attempt < RETRY_DELAYS_MS.length) {
    const delay = RETRY_DELAYS_MS[this.attempt++];
    this.status('retrying', { seconds: Math.round(delay / 1000), attempt: this.attempt, error: err });
    const self = this;
    this.timer = setTimeout(function () {
      self.timer = null;
      self.connect();
    }, delay);
    return;
  }
  this.stop();
  if (this.options.onError) {
    this.options.onError(err);
  }
};

/**
 * new TusStream({endpoint, resourceId, fileName, onError(err)}): an upload that grows while it is sent, created
 * without a length (creation-defer-length): the recording of a live class. append(blob) queues the recorder's
 * pieces; they go out in order, one PATCH at a time, so the server holds all but the last few seconds; a failed
 * PATCH is retried from the offset the server reports (HEAD). finish() sends what is left with Upload-Length and
 * resolves once the server has the whole file.
 */
export function TusStream(options) {
  this.options = options;
  this.url = null;
  this.offset = 0;
  this.queue = [];
  this.busy = false;
  this.ending = false;
  this.attempt = 0;
  this.done = null;
  this.resolveDone = null;
  const self = this;
  this.created = fetch(options.endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: headers({
      'Upload-Defer-Length': '1',
      'Upload-Metadata': 'resourceId ' + base64(options.resourceId) + ',filename ' + base64(options.fileName)
    })
  }).then(function (res) {
    if (res.status !== 201) {
      return res.text().then(function (text) { throw errorFrom(res.status, text); });
    }
    self.url = res.headers.get('Location');
    self.pump();
  }, function () {
    throw networkError();
  });
  this.created.catch(function (err) {
    options.onError(err);
  });
}

TusStream.prototype.append = function (blob) {
  if (blob && blob.size > 0) {
    this.queue.push(blob);
    this.pump();
  }
};

/** Declares the length with the last bytes; resolves when the server has them all. */
TusStream.prototype.finish = function () {
  const self = this;
  if (!this.done) {
    this.done = new Promise(function (resolve) {
      self.resolveDone = resolve;
    });
    this.ending = true;
    this.pump();
  }
  return this.done;
};

TusStream.prototype.pump = function () {
  const self = this;
  if (this.busy || !this.url) {
    return;
  }
  if (this.queue.length === 0 && !this.ending) {
    return;
  }
  if (this.queue.length === 0 && this.ending && this.finished) {
    return;
  }
  const blob = this.queue.length > 0 ? this.queue[0] : new Blob([]);
  const last = this.ending && this.queue.length <= 1;
  const extra = { 'Upload-Offset': String(this.offset), 'Content-Type': 'application/offset+octet-stream' };
  if (last) {
    extra['Upload-Length'] = String(this.offset + blob.size);
  }
  this.busy = true;
  fetch(this.url, { method: 'PATCH', credentials: 'same-origin', headers: headers(extra), body: blob }).then(function (res) {
    if (res.status !== 204) {
      return res.text().then(function (text) { throw errorFrom(res.status, text); });
    }
    self.attempt = 0;
    self.offset += blob.size;
    if (self.queue.length > 0) {
      self.queue.shift();
    }
    self.busy = false;
    if (last) {
      self.finished = true;
      self.resolveDone(self.offset);
    } else {
      self.pump();
    }
  }, function () {
    throw networkError();
  }).catch(function (err) {
    if (!retryable(err)) {
      self.busy = false;
      self.options.onError(err);
      if (self.resolveDone) {
        self.resolveDone(self.offset);
      }
      return;
    }
    // ask the server what it has, drop that much of the piece, and go on
    const wait = RETRY_DELAYS_MS[Math.min(self.attempt++, RETRY_DELAYS_MS.length - 1)];
    setTimeout(function () {
      fetch(self.url, { method: 'HEAD', credentials: 'same-origin', headers: headers({}) }).then(function (res) {
        const server = Number(res.headers.get('Upload-Offset'));
        if (res.ok && server > self.offset && self.queue.length > 0) {
          self.queue[0] = self.queue[0].slice(server - self.offset);
          self.offset = server;
        }
      }).catch(function () {
        // still away: the next try asks again
      }).then(function () {
        self.busy = false;
        self.pump();
      });
    }, wait);
  });
};
