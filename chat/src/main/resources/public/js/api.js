// The REST API (docs/chat-protocol.md) with the session's token. The token is kept in localStorage, so every tab of
// this site shares one sign-in, and a sign-out in one tab reaches the others through the `storage` event.
const TOKEN = 'corral.token';

export const session = {
  get token() { return localStorage.getItem(TOKEN); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN, value); else localStorage.removeItem(TOKEN);
  },
};

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

function headers(json) {
  const token = session.token;
  return { ...(json ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: 'Bearer ' + token } : {}) };
}

async function answer(response) {
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const reason = data?.detail ? data.detail.map((d) => d.loc.at(-1) + ': ' + d.msg).join('; ') : data?.error;
    throw new ApiError(response.status, reason || response.statusText, Number(response.headers.get('Retry-After')));
  }
  return data;
}

/** A JSON call; resolves to the answer's body (null for 204), or rejects with an ApiError. */
export async function api(method, path, body) {
  const response = await fetch(path, { method, headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body) });
  return answer(response);
}

/** Sends a file's bytes as the body (attachments, avatars). */
export async function upload(method, path, file) {
  return answer(await fetch(path, { method, headers: headers(false), body: file }));
}

const blobs = new Map();
/**
 * A file of the API as a blob: URL, fetched once with the token (an <img src> cannot send the header). A download
 * is retyped as bytes, so a blob: URL of this origin never holds a page (HTML, SVG) that could run here.
 */
export function blobUrl(path, download = false) {
  const key = path + (download ? ' download' : '');
  if (!blobs.has(key)) {
    const url = fetch(path, { headers: headers(false) }).then((r) => {
      if (!r.ok) throw new ApiError(r.status, r.statusText);
      return r.blob();
    }).then((blob) => URL.createObjectURL(download ? new Blob([blob], { type: 'application/octet-stream' }) : blob));
    url.catch(() => blobs.delete(key));  // a failure is tried again next time
    blobs.set(key, url);
  }
  return blobs.get(key);
}
