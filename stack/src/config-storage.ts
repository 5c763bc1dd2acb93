// `[storage]` and `[storage.buckets.<name>]` of config.toml, with the Supabase CLI's names, units
// and defaults. Part of the base (config.ts reads it); the storage service takes the parsed values.
import { z } from 'zod';

const SIZE_PATTERN = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;

/**
 * Bytes of a size as the Supabase CLI reads config.toml (docker/go-units `RAMInBytes`): binary
 * multiples whatever the spelling, so "50MiB", "50MB" and "50m" are all 50 * 1024 * 1024.
 */
export function parseSizeInBytes(value: string): number | undefined {
  const m = SIZE_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const power = unit ? 'kmgtp'.indexOf(unit) + 1 : 0;
  return Math.floor(Number.parseFloat(m[1]!) * 1024 ** power);
}

const sizeInBytes = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .refine((v) => parseSizeInBytes(v) !== undefined, 'expected a size such as "50MiB"')
    .transform((v) => parseSizeInBytes(v)!),
]);

/** `[storage.buckets.<name>]`: a bucket the stack creates, or brings up to date, when it starts. */
export const bucketConfigSchema = z
  .object({
    public: z.boolean().default(false),
    file_size_limit: sizeInBytes.optional(),
    allowed_mime_types: z.array(z.string()).optional(),
    /** A folder (relative to supabase/) whose files are uploaded into the bucket. */
    objects_path: z.string().optional(),
  })
  .passthrough();

export const DEFAULT_FILE_SIZE_LIMIT = 50 * 1024 * 1024;

/** `[storage]`. */
export const storageConfigSchema = z
  .object({
    /** The global upload limit in bytes; a bucket's own limit can only lower it. */
    file_size_limit: sizeInBytes.default(DEFAULT_FILE_SIZE_LIMIT),
    buckets: z.record(z.string(), bucketConfigSchema).default({}),
    /** `[storage.image_transformation]`: the /render/image routes and transform options on signed URLs (on, as in the CLI's template). */
    image_transformation: z.object({ enabled: z.boolean().default(true) }).passthrough().prefault({}),
  })
  .passthrough();

export type StorageConfig = z.infer<typeof storageConfigSchema>;
export type BucketConfig = z.infer<typeof bucketConfigSchema>;
