// The client address as the edge determines it: the peer, unless the peer is a trusted proxy.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { clientAddress, forwardedFor, parseTrustedProxies } from './forwarded.ts';

describe('client address', () => {
  const none = parseTrustedProxies('');
  const lb = parseTrustedProxies('10.0.0.0/8, ::1');

  test('an untrusted peer is the client, whatever X-Forwarded-For it sends', () => {
    assert.equal(clientAddress('127.0.0.1', '1.2.3.4', none), '127.0.0.1');
    assert.equal(clientAddress('::ffff:127.0.0.1', '1.2.3.4, 5.6.7.8', none), '127.0.0.1');
    assert.equal(forwardedFor('127.0.0.1', '1.2.3.4', none), '127.0.0.1');
  });

  test('behind a trusted proxy: the nearest untrusted hop, so prepended entries change nothing', () => {
    assert.equal(clientAddress('10.0.0.2', '203.0.113.7', lb), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.7', lb), '203.0.113.7');
    assert.equal(clientAddress('10.0.0.2', '203.0.113.7, 10.0.0.9', lb), '203.0.113.7');
    assert.equal(clientAddress('::1', 'junk, 198.51.100.1', lb), '198.51.100.1');
    assert.equal(clientAddress('10.0.0.2', undefined, lb), '10.0.0.2');
    assert.equal(forwardedFor('10.0.0.2', '203.0.113.7', lb), '203.0.113.7, 10.0.0.2');
  });

  test('a malformed STACK_TRUSTED_PROXIES entry is an error naming it', () => {
    assert.throws(() => parseTrustedProxies('10.0.0.0/8, example.com'), /"example.com" is not an IP address or CIDR block/);
  });
});
