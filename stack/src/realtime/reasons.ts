// The error catalog: the reasons Realtime gives (join refusals, rate limits, token errors),
// verbatim, so clients that match on them behave as against Supabase.
/** The reasons Realtime gives, verbatim. */
export const REASONS = {
  tooManyChannels: 'ChannelRateLimitReached: Too many channels',
  tooManyJoins: 'ClientJoinRateLimitReached: Too many joins per second',
  tooManyConnections: 'ConnectionRateLimitReached: Too many connected users',
  tooManyMessages: 'Too many messages per second',
  clientPresenceRateLimit: 'Client presence rate limit exceeded',
  trackTooLarge: 'Track message size exceeded',
  payloadSizeExceeded: 'payload_size_exceeded',
  presencePayloadNotMap: 'Presence track payload must be a map',
  topicRequired: 'TopicNameRequired: You must provide a topic name',
  unauthorizedRead: (topic: string) => `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`,
  readRevoked: (topic: string) => `You no longer have permission to read from this Channel topic: ${topic}`,
  missingClaims: 'Fields `role` and `exp` are required in JWT',
  malformedJwt: 'The token provided is not a valid JWT',
  signatureError: 'Failed to validate JWT signature',
  expired: (secondsAgo: number) => `Token has expired ${secondsAgo} seconds ago`,
  databaseUnavailable: 'Realtime was unable to connect to the project database',
} as const;
