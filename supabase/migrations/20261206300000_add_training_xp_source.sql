-- AI role-play training earns XP: a new reason in the XP ledger. On its own migration because a
-- new enum value cannot be used in the transaction that adds it.
alter type public.xp_source add value if not exists 'training';
comment on type public.xp_source is
  'Why XP was granted: 10 per correct answer, the accuracy bonus, an achievement reward, an admin adjustment, or a completed AI training session.';
