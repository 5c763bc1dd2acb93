// GET /render/image/{authenticated,public,sign}/:bucket/*key: an image object resized and
// re-encoded on the fly (width, height, resize, quality, format, gravity in the query; for a
// signed URL, in its token). Authenticated renders read through the caller's SELECT policy,
// public ones need a public bucket, signed ones only their token.
import type { Hono } from 'hono';
import type { GatewayEnv } from '../../../kit/service.ts';
import { ERRORS } from '../../errors.ts';
import { bucketAndKey, imageResponse, OP, type StorageHttp } from '../../http.ts';
import { parseTransformationString, parseTransformQuery } from '../../transform.ts';

export default function renderImage(app: Hono<GatewayEnv>, http: StorageHttp): void {
  // Disabled in config.toml: the routes are not there, as when Storage runs without imgproxy.
  app.use('/render/image/*', async (c, next) => {
    if (http.deps.imageTransformation === false) {
      const url = new URL(c.req.url);
      throw ERRORS.RouteNotFound(c.req.method, `${url.pathname.replace(/^\/storage\/v1/, '')}${url.search}`);
    }
    await next();
  });

  app.get('/render/image/authenticated/:bucket/*', async (c) => {
    const { storage } = await http.storage(c, OP.RENDER_AUTH_IMAGE, 'jwt');
    const options = parseTransformQuery(c.req.query());
    const { bucket, key } = bucketAndKey(c, 3);
    const obj = await storage.from(bucket).findObject(key);
    return imageResponse(c, http.backend, obj, options, { download: c.req.query('download') });
  });

  app.get('/render/image/public/:bucket/*', async (c) => {
    const options = parseTransformQuery(c.req.query());
    const { storage } = await http.storage(c, OP.RENDER_PUBLIC_IMAGE, 'none');
    const { bucket, key } = bucketAndKey(c, 3);
    const admin = storage.asSuperUser();
    const [, obj] = await Promise.all([admin.findBucket(bucket, { isPublic: true }), admin.from(bucket).findObject(key)]);
    return imageResponse(c, http.backend, obj, options, { download: c.req.query('download') });
  });

  app.get('/render/image/sign/:bucket/*', async (c) => {
    const token = c.req.query('token');
    if (!token) throw ERRORS.ValidationError("querystring must have required property 'token'");
    const { storage } = await http.storage(c, OP.RENDER_SIGNED_IMAGE, 'none');
    const { bucket, key } = bucketAndKey(c, 3);
    const admin = storage.asSuperUser().from(bucket);
    const { exp, transformations } = await admin.verifyDownloadToken(token, key);
    const obj = await admin.findObject(key);
    return imageResponse(c, http.backend, obj, parseTransformationString(transformations ?? ''), {
      download: c.req.query('download'),
      expires: new Date(exp * 1000).toUTCString(),
    });
  });
}
