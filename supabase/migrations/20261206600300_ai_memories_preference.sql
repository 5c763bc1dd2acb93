-- The learner decides whether the AI assistant may use what they asked it to remember
-- (public.memories): off until they turn it on.

alter table public.user_preferences
  add column ai_uses_memories boolean not null default false;
comment on column public.user_preferences.ai_uses_memories is
  'The AI assistant may read the learner''s memories (most important first) when it plans their study. Off by default.';
grant update (ai_uses_memories) on table public.user_preferences to authenticated, service_role;

-- update_my_settings takes it like the other preferences (get_my_settings returns it already).
create or replace function public.update_my_settings(p_settings jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_uid uuid := private.require_user();
  v_profile_keys text[] := array['time_zone', 'profile_visibility', 'show_on_leaderboards'];
  v_pref_keys text[] := array['theme', 'language', 'date_format', 'email_weekly_progress', 'email_streak_reminder',
                              'email_achievements', 'email_assignments', 'email_training_reports',
                              'quiet_hours_start', 'quiet_hours_end', 'ai_uses_memories'];
  v_unknown text;
begin
  if p_settings is null or jsonb_typeof(p_settings) <> 'object' then
    raise exception using errcode = '22023', message = 'p_settings must be a JSON object of the settings to change';
  end if;
  select k into v_unknown from jsonb_object_keys(p_settings) k
  where not (k = any (v_profile_keys) or k = any (v_pref_keys)) limit 1;
  if v_unknown is not null then
    raise exception using
      errcode = '22023',
      message = format('unknown setting %L', v_unknown),
      hint = 'settings: ' || array_to_string(v_profile_keys || v_pref_keys, ', ');
  end if;
  if p_settings ?| v_profile_keys then
    update public.profiles p set
      time_zone = case when p_settings ? 'time_zone' then p_settings ->> 'time_zone' else p.time_zone end,
      profile_visibility = case when p_settings ? 'profile_visibility'
                                then (p_settings ->> 'profile_visibility')::public.profile_visibility else p.profile_visibility end,
      show_on_leaderboards = case when p_settings ? 'show_on_leaderboards'
                                  then (p_settings ->> 'show_on_leaderboards')::boolean else p.show_on_leaderboards end
    where p.id = v_uid;
  end if;
  if p_settings ?| v_pref_keys then
    update public.user_preferences u set
      theme = case when p_settings ? 'theme' then (p_settings ->> 'theme')::public.theme_preference else u.theme end,
      language = case when p_settings ? 'language' then p_settings ->> 'language' else u.language end,
      date_format = case when p_settings ? 'date_format' then (p_settings ->> 'date_format')::public.date_format_preference else u.date_format end,
      email_weekly_progress = coalesce((p_settings ->> 'email_weekly_progress')::boolean, u.email_weekly_progress),
      email_streak_reminder = coalesce((p_settings ->> 'email_streak_reminder')::boolean, u.email_streak_reminder),
      email_achievements = coalesce((p_settings ->> 'email_achievements')::boolean, u.email_achievements),
      email_assignments = coalesce((p_settings ->> 'email_assignments')::boolean, u.email_assignments),
      email_training_reports = coalesce((p_settings ->> 'email_training_reports')::boolean, u.email_training_reports),
      quiet_hours_start = case when p_settings ? 'quiet_hours_start' then (p_settings ->> 'quiet_hours_start')::time else u.quiet_hours_start end,
      quiet_hours_end = case when p_settings ? 'quiet_hours_end' then (p_settings ->> 'quiet_hours_end')::time else u.quiet_hours_end end,
      ai_uses_memories = coalesce((p_settings ->> 'ai_uses_memories')::boolean, u.ai_uses_memories)
    where u.user_id = v_uid;
  end if;
  return public.get_my_settings();
exception
  when invalid_text_representation or invalid_datetime_format or datetime_field_overflow then
    raise exception using errcode = '22023', message = format('invalid setting value: %s', sqlerrm);
end;
$$;
comment on function public.update_my_settings(jsonb) is
  'Changes some of the caller''s settings ({"theme": "dark", "profile_visibility": "organisation", "quiet_hours_start": "22:00", "ai_uses_memories": true, ...}) and returns them all, as get_my_settings(). Errors: 42501, 22023 unknown setting or bad value, 23514 invalid time zone, language or incomplete quiet hours.';
revoke execute on function public.update_my_settings(jsonb) from public, anon;
grant execute on function public.update_my_settings(jsonb) to authenticated;
