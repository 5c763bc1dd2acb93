-- Training material and training sessions share one list of sales categories: the material's
-- category is a foreign key to public.training_categories (both were built side by side; the
-- check against private.training_category_slug() stays as the spelling rule).

alter table public.training_documents
  add constraint training_documents_category_fkey foreign key (category)
    references public.training_categories (slug) on update cascade;
create index training_documents_category_idx on public.training_documents (category);
