// Preloaded (`node --require`) into the jest process of an upstream suite. The suites hard-code the
// Supabase CLI's default ports (API 54321, database 54322); on this machine those belong to another
// stack, so every loopback connection to a mapped port goes to the suite's own instance instead.
// Patching net.Socket#connect covers fetch (undici), `ws`, http and pg alike; the request itself,
// Host header included, is left exactly as the suite wrote it.
// UPSTREAM_PORT_MAP: "54321=55417,54322=55418" (`from=to`, comma-separated).
'use strict';
const net = require('node:net');

const map = new Map(
  (process.env.UPSTREAM_PORT_MAP ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=').map(Number)),
);
const LOOPBACK = new Set([undefined, null, '', 'localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

function mapped(options) {
  if (!options || typeof options !== 'object' || options.path) return options;
  const to = map.get(Number(options.port));
  return to !== undefined && LOOPBACK.has(options.host) ? { ...options, port: to } : options;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // net.connect() hands over its normalised [options, callback] array; a direct call passes
  // (options[, cb]) or (port[, host][, cb]).
  if (Array.isArray(args[0])) {
    args[0][0] = mapped(args[0][0]);
  } else if (args[0] && typeof args[0] === 'object') {
    args[0] = mapped(args[0]);
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const to = map.get(Number(args[0]));
    if (to !== undefined && (typeof args[1] !== 'string' || LOOPBACK.has(args[1]))) args[0] = to;
  }
  return connect.apply(this, args);
};
