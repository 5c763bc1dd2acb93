-- The extensions the product uses beyond those every Supabase project has (uuid-ossp, pgcrypto,
-- pg_stat_statements, supabase_vault), enabled the way Supabase documents it, so that
-- `supabase db push` on a new project needs no dashboard step:
--   * pg_cron: the scheduled jobs (quiz expiry, streaks, question stats, leaderboards). Hosted
--     forces it into pg_catalog whatever schema is named; its objects live in schema `cron`.
--   * pg_net: asynchronous HTTP from SQL (webhooks, the e-mail outbox); functions in schema `net`.
-- Idempotent: a project that enabled them in the dashboard already is left as it is.
--
-- Dated before the first migration on purpose: migrations of 2026-11-22 schedule pg_cron jobs,
-- and no project could have applied them without this (they failed with `schema "cron" does not
-- exist`), so placing it first changes no deployed history.

create extension if not exists pg_cron with schema pg_catalog;
create extension if not exists pg_net with schema extensions;
