-- The learner decides whether the AI assistant may use what they asked it to remember
-- (public.memories): off until they turn it on.

alter table public.user_preferences
  add column ai_uses_memories boolean not null default false;
comment on column public.user_preferences.ai_uses_memories is
  'The AI assistant may read the learner''s memories (most important first) when it plans their study. Off by default.';
grant update (ai_uses_memories) on table public.user_preferences to authenticated, service_role;
