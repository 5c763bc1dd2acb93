// `upload-avatar`: the signed-in user's profile photo.
//   POST   multipart/form-data with a `file` field (or the image as the raw body): the bytes must be
//          a PNG, JPEG or WebP image (magic numbers; the name and Content-Type are not trusted) of
//          at most 5 MB. Stored as the caller (storage RLS: only avatars/<own uid>/...) under a new
//          name, recorded with set_profile_photo(), the previous photo deleted.
//          201 {photo_path, url, thumbnail_url, content_type, size}
//   DELETE clears the profile photo and deletes the object. 200 {photo_path: null, removed}
// Errors: 401 not signed in, 400 no file, 413 over 5 MB, 415 not PNG/JPEG/WebP, 403/502 storage or
// database refusal, each as {error, code?, details?}.
import type { SupabaseClient } from '@supabase/supabase-js';
import { corsHeaders, json } from '../_shared/cors.ts';
import { callerClient, dbError, errorResponse, HttpError, readUpload, requireUser } from '../_shared/request.ts';
import { describeBytes, sniffImage } from './sniff.ts';

export const BUCKET = 'avatars';
export const MAX_BYTES = 5 * 1024 * 1024;
export const THUMBNAIL = { width: 128, height: 128 };

type ClientFor = (authorization: string) => SupabaseClient;

/** A fresh object name in the caller's folder: a new name per upload, so caches never serve a stale photo. */
export function photoPath(userId: string, extension: string, now = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(4));
  const suffix = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${userId}/photo-${now.toString(36)}-${suffix}.${extension}`;
}

function storageError(action: string, error: { message: string; statusCode?: string | number }): HttpError {
  const status = Number((error as { statusCode?: string | number }).statusCode ?? (error as { status?: number }).status);
  const relay = [400, 403, 404, 409, 413, 415].includes(status) ? status : 502;
  return new HttpError(relay, `Cannot ${action}: storage answered ${error.message}`, 'storage_error');
}

function urls(client: SupabaseClient, path: string) {
  const bucket = client.storage.from(BUCKET);
  return {
    url: bucket.getPublicUrl(path).data.publicUrl,
    // Served by Storage's image transformations (/storage/v1/render/image/public/...).
    thumbnail_url: bucket.getPublicUrl(path, { transform: THUMBNAIL }).data.publicUrl,
  };
}

async function upload(req: Request, clientFor: ClientFor): Promise<Response> {
  const { userId, authorization } = requireUser(req.headers.get('authorization'));
  const { file } = await readUpload(req, MAX_BYTES, 'the profile photo');
  if (!file || file.bytes.byteLength === 0) {
    throw new HttpError(400, 'no image: send multipart/form-data with a `file` field, or the image as the body', 'missing_file');
  }
  const kind = sniffImage(file.bytes);
  if (!kind) {
    const what = describeBytes(file.bytes);
    throw new HttpError(
      415,
      `Cannot use this file as a profile photo: its content is ${what}${file.name ? ` (named ${file.name})` : ''}; upload a PNG, JPEG or WebP image`,
      'unsupported_media_type',
      { detected: what, allowed: ['image/png', 'image/jpeg', 'image/webp'] },
    );
  }
  const client = clientFor(authorization);
  const path = photoPath(userId, kind.extension);
  const stored = await client.storage.from(BUCKET).upload(path, file.bytes, { contentType: kind.mime, upsert: false });
  if (stored.error) throw storageError('store the profile photo', stored.error);

  const { data, error } = await client.rpc('set_profile_photo', { p_path: path });
  if (error) {
    await client.storage.from(BUCKET).remove([path]);
    throw dbError('record the profile photo', error);
  }
  const previous = (data as { previous_path: string | null }).previous_path;
  if (previous && previous !== path) {
    const removed = await client.storage.from(BUCKET).remove([previous]);
    if (removed.error) console.warn(`upload-avatar: could not delete the previous photo ${previous}: ${removed.error.message}`);
  }
  return json({ photo_path: path, ...urls(client, path), content_type: kind.mime, size: file.bytes.byteLength }, 201);
}

async function clear(req: Request, clientFor: ClientFor): Promise<Response> {
  const { authorization } = requireUser(req.headers.get('authorization'));
  const client = clientFor(authorization);
  const { data, error } = await client.rpc('set_profile_photo', { p_path: null });
  if (error) throw dbError('clear the profile photo', error);
  const previous = (data as { previous_path: string | null }).previous_path;
  let removed: string | null = null;
  if (previous) {
    const res = await client.storage.from(BUCKET).remove([previous]);
    if (res.error) throw storageError('delete the previous profile photo', res.error);
    removed = previous;
  }
  return json({ photo_path: null, removed });
}

/** The request handler; `clientFor` builds the caller's client (replaced in tests). */
export function makeHandler(clientFor: ClientFor = callerClient) {
  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
    try {
      if (req.method === 'POST' || req.method === 'PUT') return await upload(req, clientFor);
      if (req.method === 'DELETE') return await clear(req, clientFor);
      await req.body?.cancel();
      return json({ error: `Cannot ${req.method} upload-avatar: it answers POST (upload) and DELETE (clear)` }, 405, {
        Allow: 'POST, PUT, DELETE, OPTIONS',
      });
    } catch (e) {
      await req.body?.cancel().catch(() => {});
      return errorResponse(e);
    }
  };
}

export const handler = makeHandler();
