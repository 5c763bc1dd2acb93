// Signed URL tokens as Storage makes them: HS256 JWTs signed with the project's JWT secret,
// `{url: "<bucket>/<key>", scope, iat, exp}` for downloads and `{owner, url, upsert, scope, iat,
// exp}` for uploads. The scope binds a token to one action, so a download token can never be
// replayed to upload (legacy tokens without a scope are told apart by the `upsert` claim).
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ERRORS } from './errors.ts';

export const SCOPE_DOWNLOAD = 'download';
export const SCOPE_UPLOAD = 'upload';
export type SignedUrlScope = typeof SCOPE_DOWNLOAD | typeof SCOPE_UPLOAD;

/** How long a signed upload URL lives (Storage's UPLOAD_SIGNED_URL_EXPIRATION_TIME default). */
export const UPLOAD_URL_EXPIRES_IN = 7200;

export interface DownloadToken extends JWTPayload {
  url: string;
  /** Image transformations of a signed render URL (`height:100,width:100,resize:cover`). */
  transformations?: string;
  format?: string;
  scope?: SignedUrlScope;
  exp: number;
}

export interface UploadToken extends JWTPayload {
  url: string;
  owner?: string;
  upsert: boolean;
  scope?: SignedUrlScope;
  exp: number;
}

/** `expiresIn` of a sign request: whole seconds, at least 1, an expiry a JWT can carry. */
export function assertValidExpiresIn(expiresIn: unknown, nowMs = Date.now()): asserts expiresIn is number {
  const max = Math.floor(Number.MAX_SAFE_INTEGER / 1000) - Math.floor(nowMs / 1000);
  if (typeof expiresIn !== 'number' || !Number.isSafeInteger(expiresIn) || expiresIn < 1 || expiresIn > max) {
    throw ERRORS.InvalidParameter('expiresIn');
  }
}

export class UrlSigner {
  constructor(private readonly key: Uint8Array) {}

  /** `render` (transformations and format) rides along in the token of a signed render URL. */
  async signDownload(url: string, expiresIn: number, render: { transformations?: string; format?: string } = {}): Promise<string> {
    const extra: JWTPayload = {};
    if (render.transformations) extra.transformations = render.transformations;
    if (render.format) extra.format = render.format;
    return this.sign({ ...extra, url, scope: SCOPE_DOWNLOAD }, expiresIn);
  }

  async signUpload(url: string, owner: string | undefined, upsert: boolean, expiresIn = UPLOAD_URL_EXPIRES_IN): Promise<string> {
    return this.sign({ owner, url, upsert, scope: SCOPE_UPLOAD }, expiresIn);
  }

  private async sign(payload: JWTPayload, expiresIn: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(iat + expiresIn).sign(this.key);
  }

  /** Checks signature, scope, the object it was issued for, and expiry; returns the claims. */
  async verify(token: string, url: string, scope: typeof SCOPE_UPLOAD): Promise<UploadToken>;
  async verify(token: string, url: string, scope: typeof SCOPE_DOWNLOAD): Promise<DownloadToken>;
  async verify(token: string, url: string, scope: SignedUrlScope): Promise<DownloadToken | UploadToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw ERRORS.InvalidJWT('"exp" claim timestamp check failed');
      throw ERRORS.InvalidJWT(e instanceof Error ? e.message : undefined);
    }
    const hasUpsert = 'upsert' in payload;
    const scoped = scope === SCOPE_UPLOAD ? payload.scope === SCOPE_UPLOAD || (payload.scope === undefined && hasUpsert) : payload.scope === SCOPE_DOWNLOAD || (payload.scope === undefined && !hasUpsert);
    if (!scoped) throw ERRORS.InvalidSignature(`Token is not scoped for ${scope}`);
    if (payload.url !== url) throw ERRORS.InvalidSignature();
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) throw ERRORS.ExpiredSignature();
    return payload as DownloadToken | UploadToken;
  }
}
