-- GraphQL (/graphql/v1, pg_graphql's dialect): let GraphiQL, code generators and the Relay
-- compiler introspect the `public` schema. pg_graphql leaves introspection off unless the schema
-- opts in with this comment directive; each role still sees only the tables, columns and
-- functions it has privileges on (the same ones the REST API's OpenAPI document lists).
-- Names stay as in SQL (no "inflect_names"), as on the REST API. The first line keeps the
-- schema's usual description, which PostgREST shows as the OpenAPI document's title.
comment on schema public is e'standard public schema\n@graphql({"introspection": true})';
