-- The seeded question bank is worth practising: every seeded CompTIA exam has at least 50
-- published questions, every domain of the exam at least 6, every question four options and a
-- key with an explanation per option (the correct one starting with "Correct."), and no stem twice.
begin;
select plan(21);

create temporary table seeded_exams (id text primary key);
insert into seeded_exams values ('security'), ('network'), ('a1101'), ('a1102');

select cmp_ok((select count(*)::int from public.questions q
               where q.exam_id = e.id and q.status = 'published' and q.organization_id is null),
  '>=', 50, format('%s: at least 50 published questions', e.id))
from seeded_exams e order by e.id;

select is_empty(format($$
    select d.code, count(q.id) from public.exam_domains d
    left join public.questions q on q.domain_id = d.id and q.status = 'published' and q.organization_id is null
    where d.exam_id = %L
    group by d.code having count(q.id) < 6 $$, e.id),
  format('%s: every domain has at least 6 published questions', e.id))
from seeded_exams e order by e.id;

select is_empty(format($$
    select q.id, q.stem from public.questions q
    left join public.question_keys k on k.question_id = q.id
    where q.exam_id = %L
      and (k.question_id is null
           or k.correct_answer not in ('A', 'B', 'C', 'D')
           or (select array_agg(o order by o) from jsonb_object_keys(q.options) o) is distinct from array['A', 'B', 'C', 'D']
           or (select count(distinct lower(btrim(v))) from jsonb_each_text(q.options) t (o, v)) <> 4
           or (select array_agg(o order by o) from jsonb_object_keys(k.explanations) o) is distinct from array['A', 'B', 'C', 'D']
           or exists (select 1 from jsonb_each_text(k.explanations) t (o, v) where btrim(v) = '')) $$, e.id),
  format('%s: every question has four distinct options and a key with four explanations', e.id))
from seeded_exams e order by e.id;

select is_empty(format($$
    select q.id, q.stem from public.questions q
    join public.question_keys k on k.question_id = q.id
    where q.exam_id = %L
      and exists (select 1 from jsonb_each_text(k.explanations) t (o, v)
                  where (v like 'Correct.%%') is distinct from (o = k.correct_answer)) $$, e.id),
  format('%s: only the correct option''s explanation starts with "Correct."', e.id))
from seeded_exams e order by e.id;

select is_empty(format($$
    select lower(btrim(stem)), count(*) from public.questions
    where exam_id = %L
    group by lower(btrim(stem)) having count(*) > 1 $$, e.id),
  format('%s: no two questions share a stem', e.id))
from seeded_exams e order by e.id;

select is_empty($$
    select lower(btrim(stem)), array_agg(exam_id) from public.questions
    where exam_id in (select id from seeded_exams)
    group by lower(btrim(stem)) having count(*) > 1 $$,
  'no stem appears twice across the seeded exams either');

select * from finish();
rollback;
