// One validated schema per inbound message, as Realtime's payloads/* (Ecto embedded schemas):
// phx_join (config: broadcast, presence, postgres_changes, private), broadcast, presence,
// access_token, and the REST broadcast bodies. Realtime casts join payloads leniently (an invalid
// field falls back to its default and the join goes on), so the join schema does too.
import { z } from 'zod';

/** Realtime's FlexibleBoolean: a boolean, or the strings "true"/"false" in any case. */
export const flexibleBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((s) => s.toLowerCase() === 'true'),
]);

const lenientBool = flexibleBoolean.catch(false);

const broadcastConfig = z
  .object({
    ack: lenientBool.default(false),
    self: lenientBool.default(false),
    replication_ready: lenientBool.default(false),
    replay: z
      .object({ since: z.number().int().catch(0).default(0), limit: z.number().int().catch(10).default(10) })
      .optional()
      .catch(undefined),
  })
  .catch({ ack: false, self: false, replication_ready: false, replay: undefined });

const presenceConfig = z
  .object({
    enabled: lenientBool.default(false),
    key: z.unknown().optional(),
  })
  .catch({ enabled: false, key: undefined });

/** One postgres_changes binding as the client sent it (echoed back with an id on join). */
export const postgresChangeParams = z.looseObject({
  event: z.string().optional(),
  schema: z.string().optional(),
  table: z.string().optional(),
  filter: z.string().optional(),
  select: z.array(z.string()).optional(),
});
export type PostgresChangeParams = z.infer<typeof postgresChangeParams>;

const configSchema = z
  .object({
    broadcast: broadcastConfig.default({ ack: false, self: false, replication_ready: false, replay: undefined }),
    presence: presenceConfig.default({ enabled: false, key: undefined }),
    postgres_changes: z
      .array(z.unknown())
      .nullish()
      .transform((list) => (list ?? []).filter((x) => x !== null && x !== undefined))
      .pipe(z.array(postgresChangeParams))
      .catch([]),
    private: lenientBool.default(false),
  })
  .catch({
    broadcast: { ack: false, self: false, replication_ready: false, replay: undefined },
    presence: { enabled: false, key: undefined },
    postgres_changes: [],
    private: false,
  });

export const joinPayload = z.object({
  config: configSchema.optional(),
  access_token: z.string().nullish().catch(undefined),
  user_token: z.string().nullish().catch(undefined),
});
export type JoinPayload = z.infer<typeof joinPayload>;
export type JoinConfig = z.infer<typeof configSchema>;

export interface JoinOptions {
  /** `config` present: the "new API" (postgres_changes from config, not from the topic). */
  newApi: boolean;
  config: JoinConfig;
  accessToken: string | undefined;
  presenceKey: string | undefined;
}

const defaultConfig: JoinConfig = configSchema.parse({});

/** The join options; never fails (Realtime joins with defaults when a field does not cast). */
export function parseJoin(payload: unknown): JoinOptions {
  const obj = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : {};
  const parsed = joinPayload.safeParse(obj);
  const data = parsed.success ? parsed.data : { config: undefined, access_token: undefined, user_token: undefined };
  const config = data.config ?? defaultConfig;
  const key = config.presence.key;
  return {
    newApi: 'config' in obj,
    config,
    accessToken: data.user_token ?? data.access_token ?? undefined,
    presenceKey: key === undefined || key === null || key === '' ? undefined : String(key),
  };
}

/** `broadcast` pushed as JSON: `{type: "broadcast", event, payload, ...}`. */
export const broadcastMessage = z.looseObject({
  type: z.string().optional(),
  event: z.string().optional(),
  payload: z.unknown().optional(),
});

/** `presence`: `{type: "presence", event: "track" | "untrack", payload?}`. */
export const presenceMessage = z.looseObject({
  type: z.string().optional(),
  event: z.string().optional(),
  payload: z.unknown().optional(),
});
export type PresenceMessage = z.infer<typeof presenceMessage>;

/** `access_token`: `{access_token}`. */
export const accessTokenMessage = z.looseObject({
  access_token: z.string().nullish(),
});

/** `POST /api/broadcast`: `{messages: [{topic, event, payload, private?, id?}]}`. */
export const batchBroadcastBody = z.object({
  messages: z
    .array(
      z.object({
        topic: z.string({ error: "can't be blank" }).min(1, "can't be blank"),
        event: z.string({ error: "can't be blank" }).min(1, "can't be blank"),
        payload: z.record(z.string(), z.unknown(), { error: "can't be blank" }),
        private: flexibleBoolean.optional(),
        id: z.string().optional(),
      }),
      { error: "can't be blank" },
    )
    .min(1, "can't be blank"),
});
export type BatchBroadcastBody = z.infer<typeof batchBroadcastBody>;
