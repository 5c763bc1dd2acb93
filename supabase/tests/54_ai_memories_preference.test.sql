-- The AI assistant reads a learner's memories only when the learner turned it on: off by default,
-- and each learner decides for themselves alone.
begin;
select plan(5);

select tests.create_actors();
select is((select ai_uses_memories from public.user_preferences where user_id = tests.get_user_id('learner_a')), false,
          'off by default');

select tests.authenticate_as('learner_a');
select lives_ok($$ update public.user_preferences set ai_uses_memories = true where user_id = tests.get_user_id('learner_a') $$,
                'learner A turns it on for themselves');
select is_empty($$ update public.user_preferences set ai_uses_memories = true where user_id = tests.get_user_id('learner_b') returning 1 $$,
                'learner A cannot turn it on for learner B');
select is((public.update_my_settings('{"ai_uses_memories": false}')) -> 'ai_uses_memories', 'false'::jsonb,
          'update_my_settings takes it like the other preferences');
select public.update_my_settings('{"ai_uses_memories": true}');
select tests.clear_authentication();
select results_eq($$ select user_id, ai_uses_memories from public.user_preferences
                     where user_id in (tests.get_user_id('learner_a'), tests.get_user_id('learner_b')) order by ai_uses_memories $$,
                  $$ values (tests.get_user_id('learner_b'), false), (tests.get_user_id('learner_a'), true) $$,
                  'only learner A''s preference changed');

select * from finish();
rollback;
