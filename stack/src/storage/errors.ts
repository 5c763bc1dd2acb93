// The storage error catalog, as Supabase Storage has it (src/internal/errors/codes.ts): one enum of
// codes, factories that fix each error's status and message, one renderer. Like upstream, every
// error except a 500 is answered with HTTP 400 and carries its real status in the body's
// `statusCode` string: `{statusCode: "404", error: "not_found", message: "Object not found",
// code: "NoSuchKey"}` is what storage-js turns into `StorageApiError`.
import pg from 'pg';
import { isConnectionFailure } from '../kit/db-errors.ts';

export enum ErrorCode {
  NoSuchBucket = 'NoSuchBucket',
  NoSuchKey = 'NoSuchKey',
  InvalidJWT = 'InvalidJWT',
  InvalidRequest = 'InvalidRequest',
  EntityTooLarge = 'EntityTooLarge',
  InternalError = 'InternalError',
  ResourceAlreadyExists = 'ResourceAlreadyExists',
  ResourceNotEmpty = 'ResourceNotEmpty',
  InvalidBucketName = 'InvalidBucketName',
  InvalidKey = 'InvalidKey',
  InvalidRange = 'InvalidRange',
  InvalidMimeType = 'InvalidMimeType',
  KeyAlreadyExists = 'KeyAlreadyExists',
  BucketAlreadyExists = 'BucketAlreadyExists',
  DatabaseTimeout = 'DatabaseTimeout',
  DatabaseError = 'DatabaseError',
  InvalidSignature = 'InvalidSignature',
  ExpiredToken = 'ExpiredToken',
  AccessDenied = 'AccessDenied',
  ResourceLocked = 'ResourceLocked',
  ResourceReferenced = 'ResourceReferenced',
  MissingParameter = 'MissingParameter',
  InvalidParameter = 'InvalidParameter',
  Aborted = 'Aborted',
  InvalidUploadId = 'InvalidUploadId',
  TusError = 'TusError',
}

interface StorageErrorOptions {
  code: ErrorCode;
  /** The status the error stands for, rendered as the body's `statusCode`. */
  httpStatusCode: number;
  message: string;
  /** The legacy `error` field; defaults to the code. */
  error?: string;
  resource?: string;
  cause?: unknown;
}

export interface RenderedError {
  statusCode: string;
  error: string;
  message: string;
  code: ErrorCode;
}

export class StorageError extends Error {
  readonly code: ErrorCode;
  readonly httpStatusCode: number;
  /** The HTTP status sent: 400 for every client error, as upstream, unless overridden. */
  userStatusCode: number;
  readonly error: string | undefined;
  readonly resource: string | undefined;

  constructor(o: StorageErrorOptions) {
    super(o.message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'StorageError';
    this.code = o.code;
    this.httpStatusCode = o.httpStatusCode;
    this.userStatusCode = o.httpStatusCode === 500 ? 500 : 400;
    this.error = o.error;
    this.resource = o.resource;
  }

  withStatusCode(status: number): this {
    this.userStatusCode = status;
    return this;
  }

  /** The body, keys in upstream's order (its response schema's). */
  render(): RenderedError {
    return { statusCode: String(this.httpStatusCode), error: this.error ?? this.code, message: this.message, code: this.code };
  }
}

const make = (o: StorageErrorOptions) => new StorageError(o);

export const ERRORS = {
  BucketNotEmpty: (bucket: string) =>
    make({ code: ErrorCode.ResourceNotEmpty, resource: bucket, httpStatusCode: 409, message: 'The bucket you tried to delete is not empty' }),
  NoSuchBucket: (bucket: string, cause?: unknown) =>
    make({ code: ErrorCode.NoSuchBucket, resource: bucket, error: 'Bucket not found', httpStatusCode: 404, message: 'Bucket not found', cause }),
  NoSuchKey: (resource: string, cause?: unknown) =>
    make({ code: ErrorCode.NoSuchKey, resource, error: 'not_found', httpStatusCode: 404, message: 'Object not found', cause }),
  MissingParameter: (parameter: string) =>
    make({ code: ErrorCode.MissingParameter, httpStatusCode: 400, message: `Missing Required Parameter ${parameter}` }),
  InvalidParameter: (parameter: string, message?: string) =>
    make({ code: ErrorCode.InvalidParameter, httpStatusCode: 400, message: message || `Invalid Parameter ${parameter}` }),
  InvalidRequest: (message: string) => make({ code: ErrorCode.InvalidRequest, httpStatusCode: 400, message: message || 'Invalid Request' }),
  /** A request that does not match the route's schema (Fastify's FST_ERR_VALIDATION upstream). */
  ValidationError: (message: string) => make({ code: ErrorCode.InvalidRequest, error: 'Bad Request', httpStatusCode: 400, message }),
  RouteNotFound: (method: string, url: string) =>
    make({ code: ErrorCode.InvalidRequest, error: 'Not Found', httpStatusCode: 404, message: `Route ${method}:${url} not found` }).withStatusCode(404),
  InvalidJWT: (message?: string) => make({ code: ErrorCode.InvalidJWT, httpStatusCode: 400, message: message || 'Invalid JWT' }),
  AccessDenied: (action: string, cause?: unknown) =>
    make({ error: 'Unauthorized', code: ErrorCode.AccessDenied, httpStatusCode: 403, message: action || 'Access denied', cause }),
  ResourceAlreadyExists: (cause?: unknown) =>
    make({ error: 'Duplicate', code: ErrorCode.ResourceAlreadyExists, httpStatusCode: 409, message: 'The resource already exists', cause }),
  InvalidSignature: (message?: string) =>
    make({ code: ErrorCode.InvalidSignature, httpStatusCode: 400, message: message || 'Invalid signature' }),
  ExpiredSignature: () => make({ code: ErrorCode.ExpiredToken, httpStatusCode: 400, message: 'The provided token has expired.' }),
  InvalidMimeType: (mimeType: string) =>
    make({ error: 'invalid_mime_type', code: ErrorCode.InvalidMimeType, httpStatusCode: 415, message: `mime type ${mimeType} is not supported` }),
  InvalidRange: () => make({ error: 'invalid_range', code: ErrorCode.InvalidRange, httpStatusCode: 400, message: 'invalid range provided' }),
  EntityTooLarge: (entity = 'object', limit = 'the maximum allowed size') =>
    make({ error: 'Payload too large', code: ErrorCode.EntityTooLarge, httpStatusCode: 413, message: `The ${entity} exceeded ${limit}` }),
  InternalError: (cause?: unknown, message?: string) =>
    make({ code: ErrorCode.InternalError, httpStatusCode: 500, message: message || 'Internal server error', cause }),
  InvalidBucketName: (bucket: string) =>
    make({ error: 'Invalid Input', code: ErrorCode.InvalidBucketName, resource: bucket, httpStatusCode: 400, message: 'Bucket name invalid' }),
  InvalidFileSizeLimit: () =>
    make({ code: ErrorCode.InvalidRequest, httpStatusCode: 400, message: 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B' }),
  InvalidKey: (key: string) => make({ code: ErrorCode.InvalidKey, resource: key, httpStatusCode: 400, message: `Invalid key: ${key}` }),
  KeyAlreadyExists: (key: string, cause?: unknown) =>
    make({ code: ErrorCode.KeyAlreadyExists, resource: key, error: 'Duplicate', httpStatusCode: 409, message: 'The resource already exists', cause }),
  BucketAlreadyExists: (bucket: string, cause?: unknown) =>
    make({ code: ErrorCode.BucketAlreadyExists, resource: bucket, error: 'Duplicate', httpStatusCode: 409, message: 'The resource already exists', cause }),
  NoContentProvided: (message?: string) => make({ code: ErrorCode.InvalidRequest, httpStatusCode: 400, message: message || 'No content provided' }),
  DatabaseTimeout: (cause?: unknown) =>
    make({ code: ErrorCode.DatabaseTimeout, httpStatusCode: 544, message: 'The connection to the database timed out', cause }).withStatusCode(544),
  ResourceLocked: (cause?: unknown) => make({ code: ErrorCode.ResourceLocked, httpStatusCode: 423, message: 'The resource is locked', cause }),
  ResourceReferenced: (message: string, cause?: unknown) => make({ code: ErrorCode.ResourceReferenced, httpStatusCode: 409, message, cause }),
  RelatedResourceNotFound: (cause?: unknown) =>
    make({ code: ErrorCode.InvalidRequest, httpStatusCode: 404, message: 'The related resource does not exist', cause }),
  DatabaseError: (message: string, cause?: unknown) => make({ code: ErrorCode.DatabaseError, httpStatusCode: 500, message, cause }),
  /** The database cannot be reached (down or restarting): a real 503, so clients retry. */
  DatabaseUnavailable: (cause?: unknown) =>
    make({ code: ErrorCode.DatabaseError, httpStatusCode: 503, message: 'The database is unavailable. Please try again later.', cause }).withStatusCode(503),
  UnableToEmptyBucket: (bucket: string, message: string) =>
    make({ code: ErrorCode.InvalidRequest, resource: bucket, httpStatusCode: 409, message }),
  MetadataRequired: () => make({ code: ErrorCode.InvalidRequest, httpStatusCode: 400, message: 'Metadata header is required' }),
  InvalidUploadId: (message?: string) => make({ code: ErrorCode.InvalidUploadId, httpStatusCode: 400, message: message || 'Invalid upload id' }),
  /** A TUS protocol error: its status and its plain-text body (the `\n` included) are tus-node-server's. */
  TusError: (statusCode: number, message: string) => make({ code: ErrorCode.TusError, httpStatusCode: statusCode, message }),
  /** A source image that cannot be rendered, or a failed render (Storage's ImageProcessingError). */
  ImageProcessingError: (statusCode: number, message: string, cause?: unknown) =>
    make({ code: statusCode > 499 ? ErrorCode.InternalError : ErrorCode.InvalidRequest, httpStatusCode: statusCode, message, cause }),
  Aborted: (message: string) => make({ code: ErrorCode.Aborted, httpStatusCode: 500, message }),
  /** The client went away mid-request (Storage's renderer answers these 499). */
  RequestAborted: (cause?: unknown) =>
    make({ code: ErrorCode.Aborted, error: 'Request aborted', httpStatusCode: 499, message: 'Request aborted', cause }).withStatusCode(499),
};

/** A Postgres error as Storage reports it (src/storage/database/errors.ts). */
export function fromPgError(e: pg.DatabaseError): StorageError {
  switch (e.code) {
    case '42501':
      return ERRORS.AccessDenied(e.message.includes('row-level security') ? 'new row violates row-level security policy' : e.message, e);
    case '23505':
      return ERRORS.ResourceAlreadyExists(e);
    case '23503':
      if (e.detail?.includes('is still referenced from table')) {
        return ERRORS.ResourceReferenced('The resource could not be updated or removed due to a foreign key constraint', e);
      }
      return ERRORS.RelatedResourceNotFound(e);
    case '55P03':
      return ERRORS.ResourceLocked(e);
    case '57014':
      return ERRORS.DatabaseTimeout(e);
    case '22P02':
      return ERRORS.InvalidParameter('value', e.message || 'Invalid value format or type conversion failed');
    default:
      return ERRORS.DatabaseError(`database error, code: ${e.code}`, e);
  }
}

/** Any thrown value as a StorageError: ours as is, Postgres errors mapped, the rest a 500. */
export function toStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e;
  if (isConnectionFailure(e)) return ERRORS.DatabaseUnavailable(e);
  if (e instanceof pg.DatabaseError) return fromPgError(e);
  return ERRORS.InternalError(e, e instanceof Error ? e.message : 'Internal server error');
}

/** The TUS protocol's own errors, as tus-node-server answers them (`@tus/utils` ERRORS). */
export const TUS_ERRORS = {
  MissingOffset: () => ERRORS.TusError(403, 'Upload-Offset header required\n'),
  LockAborted: () => ERRORS.TusError(400, 'Request aborted due to lock acquired'),
  InvalidTermination: () => ERRORS.TusError(400, 'Cannot terminate an already completed upload'),
  LockTimeout: () => ERRORS.TusError(500, 'failed to acquire lock before timeout'),
  InvalidContentType: () => ERRORS.TusError(403, 'Content-Type header required\n'),
  FileNotFound: () => ERRORS.TusError(404, 'The file for this url was not found\n'),
  InvalidOffset: () => ERRORS.TusError(409, 'Upload-Offset conflict\n'),
  FileNoLongerExists: () => ERRORS.TusError(410, 'The file for this url no longer exists\n'),
  SizeExceeded: () => ERRORS.TusError(413, "upload's size exceeded\n"),
  MaxSizeExceeded: () => ERRORS.TusError(413, 'Maximum size exceeded\n'),
  InvalidLength: () => ERRORS.TusError(400, 'Upload-Length or Upload-Defer-Length header required\n'),
  InvalidMetadata: () =>
    ERRORS.TusError(
      400,
      'Upload-Metadata is invalid. It MUST consist of one or more comma-separated key-value pairs. The key and value MUST be separated by a space. The key MUST NOT contain spaces and commas and MUST NOT be empty. The key SHOULD be ASCII encoded and the value MUST be Base64 encoded. All keys MUST be unique',
    ),
  UnsupportedConcatenation: () =>
    ERRORS.TusError(501, 'Concatenation extension is not (yet) supported. Disable parallel uploads in the tus client.\n'),
  /** A protocol header that is not what the protocol allows (tus-node-server's header validation). */
  InvalidHeader: (name: string) => ERRORS.TusError(400, `Invalid ${name}\n`),
  MissingTusResumable: () => ERRORS.TusError(412, 'Tus-Resumable Required\n'),
};
