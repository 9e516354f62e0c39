// The /ws connection: authenticates with the first frame, and comes back after any close but a sign-out (4401).
// 1012 (a worker replaced during a deploy) and 1001 (the service restarting) come back at once, anything else with
// a growing wait. What to do once back (subscribe from the last seq, resend the queue) is the caller's `onReady`.
const SIGNED_OUT = 4401;
const AT_ONCE = new Set([1001, 1012]);

export class Connection {
  constructor(token, { onReady, onFrame, onDown, onSignedOut }) {
    Object.assign(this, { token, onReady, onFrame, onDown, onSignedOut });
    this.retry = 250;
    this.ready = false;
    this.closed = false;
  }

  open() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.socket = socket;
    socket.onopen = () => {
      // Closed again before this ran (the server went down at accept): sending now would only log an error.
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'auth', token: this.token }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'ready') {
        this.ready = true;
        this.retry = 250;
        this.onReady(frame);
      } else {
        this.onFrame(frame);
      }
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.ready = false;
      if (this.closed) return;
      if (close.code === SIGNED_OUT) {
        this.closed = true;
        this.onSignedOut();
        return;
      }
      this.onDown();
      const wait = AT_ONCE.has(close.code) ? 50 + Math.random() * 200 : this.retry;
      this.retry = Math.min(this.retry * 2, 8000);
      this.timer = setTimeout(() => this.open(), wait);
    };
  }

  /** Sends a frame if the socket is up and signed in; false otherwise (the caller keeps what must not be lost). */
  send(frame) {
    if (!this.ready || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }
}
