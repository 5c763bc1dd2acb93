-- Review cards from wrong answers: one statement per grading instead of one trigger call per row.
--
-- Profiled on 10k generated learners: after single-pass grading, the row trigger
-- quiz_attempt_items_review_card was the largest part of submit_quiz (about 10 ms of 13 for the
-- grading UPDATE on a loaded 2-core machine: ~22 PL/pgSQL calls, each its own upsert). The same
-- cards are now written by one statement-level trigger that reads the transition tables. The
-- semantics are the row trigger's: a graded-wrong answer (is_correct null -> false) creates a
-- card due a day after grading, or counts a lapse (SM-2 grade 1) on an existing one. If one
-- statement graded the same question twice for a learner (never within one attempt: questions
-- are unique per attempt), the rows are applied one by one, in order, exactly as before.

drop trigger quiz_attempt_items_review_card on public.quiz_attempt_items;

create function private.cards_from_wrong_answers()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row record;
begin
  if exists (
    select 1 from new_items n join old_items o on o.attempt_id = n.attempt_id and o.position = n.position
    where o.is_correct is null and n.is_correct is false
    group by n.user_id, n.question_id having count(*) > 1
  ) then
    for v_row in
      select n.user_id, n.question_id, coalesce(n.graded_at, private.clock()) as at
      from new_items n join old_items o on o.attempt_id = n.attempt_id and o.position = n.position
      where o.is_correct is null and n.is_correct is false
      order by n.graded_at, n.attempt_id, n.position
    loop
      insert into public.review_cards as c (user_id, question_id, due_at, created_at)
      values (v_row.user_id, v_row.question_id, v_row.at + interval '1 day', v_row.at)
      on conflict (user_id, question_id) do update
        set (easiness, repetitions, interval_days) =
              (select s.easiness, s.repetitions, s.interval_days from private.sm2(c.easiness, c.repetitions, c.interval_days, 1) s),
            due_at = excluded.due_at,
            reviews = c.reviews + 1,
            lapses = c.lapses + 1,
            last_grade = 1,
            last_reviewed_at = excluded.created_at;
    end loop;
    return null;
  end if;

  insert into public.review_cards as c (user_id, question_id, due_at, created_at)
  select n.user_id, n.question_id, coalesce(n.graded_at, private.clock()) + interval '1 day', coalesce(n.graded_at, private.clock())
  from new_items n join old_items o on o.attempt_id = n.attempt_id and o.position = n.position
  where o.is_correct is null and n.is_correct is false
  order by n.user_id, n.question_id
  on conflict (user_id, question_id) do update
    set (easiness, repetitions, interval_days) =
          (select s.easiness, s.repetitions, s.interval_days from private.sm2(c.easiness, c.repetitions, c.interval_days, 1) s),
        due_at = excluded.due_at,
        reviews = c.reviews + 1,
        lapses = c.lapses + 1,
        last_grade = 1,
        last_reviewed_at = excluded.created_at;
  return null;
end;
$$;
comment on function private.cards_from_wrong_answers() is
  'Statement trigger: answers graded wrong (is_correct null -> false) create review cards due a day after grading, or count a lapse (grade 1) on existing cards.';
revoke execute on function private.cards_from_wrong_answers() from public;

-- Transition tables cannot go with a column list (UPDATE OF is_correct): the function filters.
create trigger quiz_attempt_items_review_cards
  after update on public.quiz_attempt_items
  referencing old table as old_items new table as new_items
  for each statement
  execute function private.cards_from_wrong_answers();

drop function private.card_from_wrong_answer();
