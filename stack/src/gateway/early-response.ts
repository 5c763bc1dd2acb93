// An error answered before the request body was read (a 413 from its Content-Length, a refused
// upload) leaves the rest of that body on the wire. Left to itself the server reads it for a
// while and then drops the connection without a word, so a client that kept it alive sends its
// next request into a closed socket. Instead such an answer says `Connection: close`, so no
// client reuses the connection, and the close is a lingering one (as nginx's lingering_close):
// our side is shut after the answer while what the client still sends is read and discarded,
// for a bounded time and size, so the client reads the answer instead of a reset.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { MiddlewareHandler } from 'hono';

/** How long and how much of an abandoned body is read before the socket is closed anyway. */
export const LINGER_MS = 5_000;
export const LINGER_BYTES = 256 * 1024 * 1024;

const lingering = new WeakSet<Socket>();

/**
 * Makes the socket's next close (Node's, after a `Connection: close` answer) a lingering one:
 * it waits until the rest of the request body has been read and discarded (or the time or size
 * runs out), then closes as Node would have.
 */
export function lingerOnClose(socket: Socket, incoming: IncomingMessage, ms = LINGER_MS, maxBytes = LINGER_BYTES): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  const close = socket.destroySoon.bind(socket);
  let closing = false;
  socket.destroySoon = function lingeringClose() {
    if (closing) return;
    closing = true;
    let read = 0;
    let closed = false;
    const done = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      incoming.off('data', onData);
      close();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) done();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    if (incoming.readableEnded) return done();
    // Whoever was reading the body (and pausing it when nobody consumed its stream) is done:
    // from here on the body is only counted and discarded.
    incoming.removeAllListeners('data');
    incoming.on('data', onData);
    incoming.once('end', done);
    incoming.once('error', done);
    incoming.resume();
  };
}

/** True when a request with a body was answered before that body was read to its end. */
export function bodyLeftUnread(incoming: IncomingMessage | undefined): boolean {
  if (!incoming || incoming.readableEnded || incoming.destroyed) return false;
  const length = incoming.headers['content-length'];
  const chunked = /\bchunked\b/i.test(String(incoming.headers['transfer-encoding'] ?? ''));
  return chunked || (length !== undefined && Number(length) > 0);
}

/**
 * Gateway middleware: an error answer sent while the request body is still unread carries
 * `Connection: close` and closes lingeringly. Reads `c.env.incoming` (@hono/node-server).
 */
export function closeAfterEarlyAnswer(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status < 400) return;
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!bodyLeftUnread(incoming)) return;
    try {
      c.res.headers.set('Connection', 'close');
    } catch {
      // A response with immutable headers (one passed through as fetched): copy it.
      const copy = new Response(c.res.body, c.res);
      copy.headers.set('Connection', 'close');
      c.res = copy;
    }
    lingerOnClose(incoming!.socket, incoming!);
  };
}
