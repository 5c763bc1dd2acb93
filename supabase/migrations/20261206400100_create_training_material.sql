-- Organisation training material (seed 002): documents (PDF, plain text, Markdown, call
-- transcripts) uploaded per sales category by an organisation's staff, split into chunks by the
-- `training-material` edge function, and searched with Postgres full-text search so that the AI
-- trainer can ground its replies in the organisation's own material.
--
-- Writes go through add_training_document() only (one transaction: the document and all its
-- chunks, or nothing). Members of the organisation read; staff (owner, admin, instructor) delete.
--
-- Embeddings: this project runs where pgvector may be missing (the local stack has no `vector`
-- extension), so retrieval here is full-text only (tsvector + GIN, ts_rank_cd). On hosted
-- Supabase, where pgvector exists, a later migration can add
--   create extension if not exists vector with schema extensions;
--   alter table public.training_chunks add column embedding extensions.vector(1536);
--   create index on public.training_chunks using hnsw (embedding extensions.vector_cosine_ops);
-- have the edge function (or a queue worker) fill `embedding` from an embeddings endpoint, and
-- make search_training_material() rank by a hybrid of both (reciprocal rank fusion of the FTS
-- rank and the cosine distance), falling back to the FTS ranking alone for chunks without an
-- embedding. Callers keep the same signature either way.

-- The twelve sales categories of seed 002, by the slugs the AI trainer's sessions and scenarios use
-- (public.training_categories on the AI training branch; once both are merged, a migration can
-- make training_documents.category a foreign key to it). Either the slug or the name is accepted.
create function private.training_category_slug(p_category text)
returns text
language sql
immutable
set search_path = ''
as $$
  select c.slug
  from (values
    ('pre-consultation', 'Pre Consultation'), ('consultation-series', 'Consultation Series'),
    ('sales-objections', 'Sales Objections'), ('after-fixing-objection', 'After Fixing Objection'),
    ('full-wig-consultation', 'Full Wig Consultation'), ('hairline-consultation', 'Hairline Consultation'),
    ('types-of-patches', 'Types of Patches'), ('upselling-cross-selling', 'Upselling / Cross Selling'),
    ('retail-sales', 'Retail Sales'), ('smp-sales', 'SMP Sales'),
    ('sales-follow-up', 'Sales Follow up'), ('general-sales', 'General Sales')
  ) as c (slug, name)
  where c.slug = lower(btrim(p_category)) or lower(c.name) = lower(btrim(p_category))
$$;
comment on function private.training_category_slug(text) is
  'The slug of a sales category (seed 002) given its slug or its name, case-insensitive; null for anything else.';

create table public.training_documents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  category text not null,
  title text not null,
  source_kind text not null,
  file_name text,
  byte_size integer not null,
  character_count integer not null,
  chunk_count integer not null,
  uploaded_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint training_documents_category_valid check (private.training_category_slug(category) = category),
  constraint training_documents_title_length check (char_length(btrim(title)) between 1 and 200),
  constraint training_documents_source_kind_valid check (source_kind in ('pdf', 'text', 'markdown', 'transcript')),
  constraint training_documents_file_name_length check (file_name is null or char_length(file_name) <= 255),
  constraint training_documents_sizes_valid check (byte_size >= 0 and character_count >= 0 and chunk_count >= 1)
);
comment on table public.training_documents is
  'Training material of an organisation, per sales category: one row per uploaded document (its text is in training_chunks). Members read; staff add (add_training_document, via the training-material function) and delete.';
comment on column public.training_documents.organization_id is 'Owning organisation.';
comment on column public.training_documents.category is 'Sales category slug (sales-objections, ...; see private.training_category_slug()).';
comment on column public.training_documents.title is 'Title shown to members and cited by the AI trainer.';
comment on column public.training_documents.source_kind is 'pdf, text, markdown or transcript.';
comment on column public.training_documents.file_name is 'Name of the uploaded file, if any.';
comment on column public.training_documents.byte_size is 'Size of the uploaded file in bytes.';
comment on column public.training_documents.character_count is 'Characters of extracted text.';
comment on column public.training_documents.chunk_count is 'Number of chunks in training_chunks.';
comment on column public.training_documents.uploaded_by is 'Who uploaded it.';
comment on column public.training_documents.created_at is 'Upload time.';

create index training_documents_organization_idx on public.training_documents (organization_id, category, created_at desc);
create index training_documents_uploaded_by_idx on public.training_documents (uploaded_by);

create table public.training_chunks (
  id bigint generated always as identity primary key,
  document_id uuid not null references public.training_documents (id) on delete cascade,
  organization_id uuid not null,
  category text not null,
  position integer not null,
  content text not null,
  fts tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
  constraint training_chunks_position_key unique (document_id, position),
  constraint training_chunks_position_valid check (position >= 1),
  constraint training_chunks_content_length check (char_length(content) between 1 and 4000)
);
comment on table public.training_chunks is
  'Passages of training material (a few hundred words each, in document order) with a generated tsvector for full-text search; read with search_training_material(). Written only by add_training_document().';
comment on column public.training_chunks.document_id is 'The document.';
comment on column public.training_chunks.organization_id is 'The document''s organisation (copied for RLS and filtering).';
comment on column public.training_chunks.category is 'The document''s category slug (copied for filtering).';
comment on column public.training_chunks.position is '1-based position in the document.';
comment on column public.training_chunks.content is 'The passage text (up to 4000 characters).';
comment on column public.training_chunks.fts is 'to_tsvector(''english'', content), generated; GIN-indexed.';

create index training_chunks_fts_idx on public.training_chunks using gin (fts);
create index training_chunks_organization_idx on public.training_chunks (organization_id, category);

alter table public.training_documents enable row level security;
alter table public.training_chunks enable row level security;
revoke all on table public.training_documents, public.training_chunks from anon, authenticated, service_role;
grant select, delete on table public.training_documents to authenticated, service_role;
grant select on table public.training_chunks to authenticated, service_role;

create policy training_documents_select_member on public.training_documents
  for select to authenticated
  using (private.is_org_member(organization_id) or (select private.is_platform_admin()));
comment on policy training_documents_select_member on public.training_documents is
  'Members of the organisation (and platform admins) read its training material.';

create policy training_documents_delete_staff on public.training_documents
  for delete to authenticated
  using (private.is_org_staff(organization_id) or (select private.is_platform_admin()));
comment on policy training_documents_delete_staff on public.training_documents is
  'Owners, admins and instructors (and platform admins) delete a document; its chunks go with it.';

create policy training_chunks_select_member on public.training_chunks
  for select to authenticated
  using (private.is_org_member(organization_id) or (select private.is_platform_admin()));
comment on policy training_chunks_select_member on public.training_chunks is
  'Members of the organisation (and platform admins) read its training passages.';

-- ---------------------------------------------------------------------------
-- add_training_document: a document and its chunks in one transaction
-- ---------------------------------------------------------------------------

-- Seed 002: at most 10 uploads per user per hour.
insert into private.rate_limit_rules (action, max_calls, per_seconds) values ('add_training_document', 10, 3600);

create function public.add_training_document(
  p_organization uuid,
  p_category text,
  p_title text,
  p_source_kind text,
  p_chunks text[],
  p_file_name text default null,
  p_byte_size integer default 0
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_doc public.training_documents;
  v_count integer := coalesce(cardinality(p_chunks), 0);
  v_category text := private.training_category_slug(p_category);
begin
  if not (private.is_org_staff(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only owners, admins and instructors of this organisation add training material';
  end if;
  perform private.enforce_rate_limit('add_training_document');
  if v_category is null then
    raise exception using
      errcode = '22023',
      message = format('%L is not a training category', p_category),
      hint = 'a sales category slug or name, e.g. sales-objections or Sales Objections';
  end if;
  if v_count = 0 or v_count > 5000 then
    raise exception using errcode = '22023', message = 'a document needs between 1 and 5000 chunks of text';
  end if;
  if exists (select 1 from unnest(p_chunks) c where c is null or char_length(c) not between 1 and 4000) then
    raise exception using errcode = '22023', message = 'every chunk must hold 1 to 4000 characters';
  end if;
  insert into public.training_documents (organization_id, category, title, source_kind, file_name, byte_size,
                                         character_count, chunk_count, uploaded_by)
  values (p_organization, v_category, btrim(p_title), p_source_kind, p_file_name, coalesce(p_byte_size, 0),
          (select coalesce(sum(char_length(c)), 0) from unnest(p_chunks) c), v_count, auth.uid())
  returning * into v_doc;
  insert into public.training_chunks (document_id, organization_id, category, position, content)
  select v_doc.id, v_doc.organization_id, v_doc.category, c.n::integer, c.content
  from unnest(p_chunks) with ordinality as c (content, n);
  return jsonb_build_object(
    'document_id', v_doc.id, 'organization_id', v_doc.organization_id, 'category', v_doc.category,
    'title', v_doc.title, 'source_kind', v_doc.source_kind, 'chunk_count', v_doc.chunk_count,
    'character_count', v_doc.character_count, 'created_at', v_doc.created_at);
end;
$$;
comment on function public.add_training_document(uuid, text, text, text, text[], text, integer) is
  'Staff of the organisation (owner, admin, instructor) add a training document (p_category: a sales category slug or name) with its text already split into chunks (1-5000 chunks of 1-4000 characters), all in one transaction. Called by the training-material edge function. Returns {document_id, organization_id, category, title, source_kind, chunk_count, character_count, created_at}. Errors: 42501 not staff, 22023 invalid category, kind, title or chunks, PT429 more than 10 uploads in an hour.';
revoke execute on function public.add_training_document(uuid, text, text, text, text[], text, integer) from public, anon;
grant execute on function public.add_training_document(uuid, text, text, text, text[], text, integer) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- search_training_material: ranked snippets for grounding (the AI trainer calls this)
-- ---------------------------------------------------------------------------

-- Usage (as the learner, so RLS applies):
--   rpc('search_training_material', { p_organization, p_query: 'customer says the price is too high',
--                                    p_category: 'sales-objections', p_limit: 5 })
-- p_category: a category slug (as training sessions store it) or its name; null searches them all.
-- Any word of the query may match (OR of its stemmed words, English stop words dropped); passages
-- matching more of the words, closer together, rank first (ts_rank_cd, normalised by length).
-- `snippet` is the best fragment with the matched words between ** and **; `content` is the whole
-- passage. An empty result means nothing matched (or the query held only stop words).
create function public.search_training_material(
  p_organization uuid,
  p_query text,
  p_category text default null,
  p_limit integer default 5
)
returns table (
  chunk_id bigint,
  document_id uuid,
  title text,
  category text,
  chunk_position integer,
  snippet text,
  content text,
  rank real
)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_query tsquery;
begin
  if not (private.is_org_member(p_organization) or private.is_platform_admin() or private.is_service_role()) then
    raise exception using
      errcode = '42501',
      message = 'only members of this organisation search its training material';
  end if;
  if p_query is null or btrim(p_query) = '' or char_length(p_query) > 2000 then
    raise exception using errcode = '22023', message = 'p_query must hold 1 to 2000 characters';
  end if;
  if p_category is not null and private.training_category_slug(p_category) is null then
    raise exception using
      errcode = '22023',
      message = format('%L is not a training category', p_category),
      hint = 'a sales category slug or name, e.g. sales-objections or Sales Objections';
  end if;
  if p_limit is null or p_limit not between 1 and 50 then
    raise exception using errcode = '22023', message = 'p_limit must be between 1 and 50';
  end if;

  select to_tsquery('simple', string_agg(quote_literal(l.lexeme), ' | '))
    into v_query
    from unnest(to_tsvector('english'::regconfig, p_query)) l;
  if v_query is null then
    return;
  end if;

  return query
    select c.id, c.document_id, d.title, c.category, c.position,
           ts_headline('english'::regconfig, c.content, v_query,
                       'StartSel=**, StopSel=**, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'),
           c.content,
           ts_rank_cd(c.fts, v_query, 1)
    from public.training_chunks c
    join public.training_documents d on d.id = c.document_id
    where c.organization_id = p_organization
      and (p_category is null or c.category = private.training_category_slug(p_category))
      and c.fts @@ v_query
    order by 8 desc, c.document_id, c.position
    limit p_limit;
end;
$$;
comment on function public.search_training_material(uuid, text, text, integer) is
  'Full-text search of an organisation''s training material, for members (and the AI trainer acting as one): the p_limit (1-50, default 5) passages best matching any word of p_query, optionally in one category (slug or name), best first, each with {chunk_id, document_id, title, category (slug), chunk_position, snippet (matches between ** **), content, rank}. Errors: 42501 not a member, 22023 invalid query, category or limit.';
revoke execute on function public.search_training_material(uuid, text, text, integer) from public, anon;
grant execute on function public.search_training_material(uuid, text, text, integer) to authenticated, service_role;

revoke execute on all functions in schema private from public;
-- search_training_material (security invoker) and the CHECK constraint read the categories as the caller.
grant execute on function private.training_category_slug(text) to authenticated, service_role;
