// Socket writes of one event-loop turn leave in one system call per socket, not one per message:
// the first write of a turn corks the socket and one setImmediate uncorks every corked socket.
// Fan-out is bound by those system calls (a loopback TCP write is most of a delivery's cost), so a
// burst of messages to the same sockets costs one writev per socket per turn. ws has no public
// cork; its net.Socket is `_socket`, and ws corks around its own frame writes the same way.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** `ws.send(data)`, its bytes written to the socket when this event-loop turn ends. */
export function sendBatched(ws: WebSocket, data: string | Buffer): void {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (socket && !socket.destroyed && !corked.has(socket)) {
    socket.cork();
    corked.add(socket);
    if (!scheduled) {
      scheduled = true;
      setImmediate(uncorkAll);
    }
  }
  ws.send(data);
}
