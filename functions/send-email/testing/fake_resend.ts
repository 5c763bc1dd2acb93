// A fake Resend API for unit tests, speaking its wire format: POST /emails with a bearer key and
// an optional Idempotency-Key, `{ id }` on success, `{ statusCode, name, message }` on failure.
// `failNext` makes the next answers fail with a given status and error name.

export interface FakeRequest {
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
}

export interface FakeResend {
  url: string;
  requests: FakeRequest[];
  /** Distinct e-mails accepted (a replayed idempotency key adds none). */
  delivered: Array<{ id: string; body: Record<string, unknown> }>;
  failNext(times: number, status: number, name: string, message?: string): void;
  close(): Promise<void>;
}

export const FAKE_KEY = 're_test_fake';

export function startFakeResend(): FakeResend {
  const requests: FakeRequest[] = [];
  const delivered: FakeResend['delivered'] = [];
  const byKey = new Map<string, { payload: string; id: string }>();
  let failures: Array<{ status: number; name: string; message: string }> = [];
  const error = (statusCode: number, name: string, message: string) =>
    Response.json({ statusCode, name, message }, { status: statusCode });

  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const body = await req.json().catch(() => ({}));
    const r: FakeRequest = {
      path,
      authorization: req.headers.get('authorization'),
      idempotencyKey: req.headers.get('idempotency-key'),
      body,
    };
    requests.push(r);
    if (!r.authorization) return error(401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (r.authorization !== `Bearer ${FAKE_KEY}`) return error(403, 'validation_error', 'API key is invalid');
    const fail = failures.shift();
    if (fail) return error(fail.status, fail.name, fail.message);
    if (req.method !== 'POST' || path !== '/emails') {
      return error(404, 'not_found', 'The requested endpoint does not exist.');
    }
    for (const field of ['from', 'to', 'subject']) {
      if (!(field in body)) return error(422, 'missing_required_field', `Missing \`${field}\` field.`);
    }
    const payload = JSON.stringify(body);
    if (r.idempotencyKey) {
      const seen = byKey.get(r.idempotencyKey);
      if (seen && seen.payload !== payload) {
        return error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
      }
      if (seen) return Response.json({ id: seen.id });
    }
    const id = crypto.randomUUID();
    if (r.idempotencyKey) byKey.set(r.idempotencyKey, { payload, id });
    delivered.push({ id, body });
    return Response.json({ id });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    delivered,
    failNext(times, status, name, message = 'failing as told') {
      failures = Array.from({ length: times }, () => ({ status, name, message }));
    },
    close: () => server.shutdown(),
  };
}
