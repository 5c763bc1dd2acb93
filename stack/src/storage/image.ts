// Renders an object with image transformations, as Storage does through imgproxy
// (src/storage/renderer/image.ts), here with sharp (libvips) in-process. imgproxy's behaviour as
// the Supabase CLI configures it is kept: no enlargement, EXIF orientation applied, metadata
// stripped, quality 80 by default, WebP for clients that accept it, at most 50 megapixels and
// 25 MB of source, at most 60 animation frames (of which the first is rendered). Only raster images whose bytes say so are
// rendered (JPEG, PNG, WebP, AVIF, GIF); anything else is Storage's "invalid or unsupported"
// error, before any decoder sees it.
import sharp, { type Metadata, type Sharp } from 'sharp';
import { sniffMimeType } from './content-type.ts';
import { ERRORS, StorageError } from './errors.ts';
import { type ImageFormat, IMAGE_SIZE_LIMITS, MIME_BY_FORMAT, outputFormat, resizingType, type TransformOptions } from './transform.ts';

/** imgproxy's defaults in the Supabase CLI (IMGPROXY_MAX_SRC_RESOLUTION=50, MAX_SRC_FILE_SIZE=25000000, MAX_ANIMATION_FRAMES=60). */
export const RENDER_LIMITS = {
  maxSourcePixels: 50_000_000,
  maxSourceBytes: 25_000_000,
  maxFrames: 60,
  defaultQuality: 80,
} as const;

/** Renders at a time: the rest wait (two cores are shared with the database and every service). */
const MAX_CONCURRENT_RENDERS = 2;

sharp.cache(false);
sharp.concurrency(1);

const SOURCE_FORMATS: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
};

export const UNSUPPORTED_SOURCE = 'The source image is invalid or unsupported for rendering';

/** Storage's ImageProcessingError: InvalidRequest below 500, InternalError above. */
export function imageProcessingError(statusCode: number, message: string, cause?: unknown): StorageError {
  return statusCode > 499 ? ERRORS.InternalError(cause, message) : ERRORS.ImageProcessingError(statusCode, message, cause);
}

/** The format the leading bytes show, if it is one rendered here. */
export function sourceFormat(head: Uint8Array): ImageFormat | undefined {
  const mime = sniffMimeType(head);
  return mime ? SOURCE_FORMATS[mime] : undefined;
}

export interface RenderedImage {
  body: Buffer;
  format: ImageFormat;
  contentType: string;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const renders = new Semaphore(MAX_CONCURRENT_RENDERS);

type Anchor = 'start' | 'centre' | 'end';

function anchors(gravity: TransformOptions['gravity']): { x: Anchor; y: Anchor } {
  const g = gravity ?? 'ce';
  return {
    x: g.includes('we') ? 'start' : g.includes('ea') ? 'end' : 'centre',
    y: g.startsWith('no') ? 'start' : g.startsWith('so') ? 'end' : 'centre',
  };
}

/** imgproxy's offsets: below 1 (in magnitude) a fraction of the image, otherwise pixels. */
function offsetPixels(offset: number | undefined, size: number): number {
  if (offset === undefined) return 0;
  return Math.abs(offset) < 1 ? Math.round(offset * size) : Math.round(offset);
}

function cropStart(anchor: Anchor, resized: number, crop: number, offset: number): number {
  const free = resized - crop;
  const base = anchor === 'start' ? offset : anchor === 'end' ? free - offset : Math.round(free / 2) + offset;
  return Math.min(Math.max(base, 0), free);
}

/** Width and height of the source after EXIF orientation, and its frame count. */
interface SourceInfo {
  width: number;
  height: number;
  pages: number;
}

/**
 * The pipeline for one render. Crops (imgproxy's `fill`) are computed here so that gravity,
 * focal points and offsets behave as imgproxy's do and the image is never enlarged.
 */
function pipeline(img: Sharp, src: SourceInfo, o: TransformOptions): Sharp {
  const w = o.width ? Math.min(Math.max(o.width, IMAGE_SIZE_LIMITS.min), IMAGE_SIZE_LIMITS.max) : undefined;
  const h = o.height ? Math.min(Math.max(o.height, IMAGE_SIZE_LIMITS.min), IMAGE_SIZE_LIMITS.max) : undefined;
  if (!w && !h) return img;
  const type = resizingType(o.resize);
  if (type === 'force') return img.resize({ width: w ?? src.width, height: h ?? src.height, fit: 'fill', withoutEnlargement: true });
  if (type === 'fit' || !w || !h) return img.resize({ width: w, height: h, fit: 'inside', withoutEnlargement: true });
  // fill: scale to cover the box (never up), then cut the box out where the gravity says.
  const scale = Math.min(1, Math.max(w / src.width, h / src.height));
  const rw = Math.max(1, Math.round(src.width * scale));
  const rh = Math.max(1, Math.round(src.height * scale));
  const cw = Math.min(w, rw);
  const ch = Math.min(h, rh);
  if (o.gravity === 'sm') return img.resize({ width: cw, height: ch, fit: 'cover', position: sharp.strategy.attention, withoutEnlargement: true });
  let left: number;
  let top: number;
  if (o.gravity === 'fp') {
    left = Math.min(Math.max(Math.round((o.x_offset ?? 0.5) * rw - cw / 2), 0), rw - cw);
    top = Math.min(Math.max(Math.round((o.y_offset ?? 0.5) * rh - ch / 2), 0), rh - ch);
  } else {
    const a = anchors(o.gravity);
    left = cropStart(a.x, rw, cw, offsetPixels(o.x_offset, rw));
    top = cropStart(a.y, rh, ch, offsetPixels(o.y_offset, rh));
  }
  let out = img;
  if (rw !== src.width || rh !== src.height) out = out.resize({ width: rw, height: rh, fit: 'fill' });
  if (cw !== rw || ch !== rh) out = out.extract({ left, top, width: cw, height: ch });
  return out;
}

/**
 * Renders the file at `path` (`size` bytes, starting with `head`). `accept` is the request's
 * Accept header (ignored with `format=origin`).
 */
export async function renderImage(path: string, size: number, head: Uint8Array, o: TransformOptions, accept: string | undefined): Promise<RenderedImage> {
  const source = sourceFormat(head);
  if (!source) throw imageProcessingError(400, UNSUPPORTED_SOURCE);
  if (size > RENDER_LIMITS.maxSourceBytes) throw imageProcessingError(400, 'The source image file is too large to process');
  return renders.run(async () => {
    let meta: Metadata;
    try {
      meta = await sharp(path, { limitInputPixels: false }).metadata();
    } catch (e) {
      throw imageProcessingError(400, UNSUPPORTED_SOURCE, e);
    }
    const pages = meta.pages ?? 1;
    const frameHeight = meta.pageHeight ?? meta.height ?? 0;
    const width = meta.width ?? 0;
    if (!width || !frameHeight) throw imageProcessingError(400, UNSUPPORTED_SOURCE);
    if (width * frameHeight > RENDER_LIMITS.maxSourcePixels) throw imageProcessingError(400, 'The source image resolution is too large to process');
    const format = outputFormat(source, o.format, accept);
    const rotated = (meta.orientation ?? 1) >= 5;
    const src: SourceInfo = { width: rotated ? frameHeight : width, height: rotated ? width : frameHeight, pages };
    if (pages > RENDER_LIMITS.maxFrames) throw imageProcessingError(400, 'The source image has too many frames to process');
    const quality = o.quality ?? RENDER_LIMITS.defaultQuality;
    // The first frame of an animation is what gets rendered.
    let img = sharp(path, { limitInputPixels: RENDER_LIMITS.maxSourcePixels, failOn: 'error' }).rotate();
    img = pipeline(img, src, o);
    switch (format) {
      case 'jpeg':
        img = img.jpeg({ quality, mozjpeg: false });
        break;
      case 'png':
        img = img.png();
        break;
      case 'webp':
        img = img.webp({ quality });
        break;
      case 'avif':
        img = img.avif({ quality, effort: 2 });
        break;
      case 'gif':
        img = img.gif();
        break;
      case 'tiff':
        img = img.tiff({ quality });
        break;
    }
    try {
      const body = await img.toBuffer();
      return { body, format, contentType: MIME_BY_FORMAT[format] };
    } catch (e) {
      throw imageProcessingError(400, UNSUPPORTED_SOURCE, e);
    }
  });
}
