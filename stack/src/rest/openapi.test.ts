// The Swagger 2.0 document built from the schema cache.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { buildOpenApi } from './openapi.ts';
import { testCache } from './test-fixtures.ts';

describe('OpenAPI', () => {
  const doc = buildOpenApi({
    cache: testCache(),
    schema: 'api',
    accessibleTables: new Set(['clients', 'projects', 'client_names']),
    accessibleFunctions: new Set(['add', 'touch']),
    host: 'localhost:54321',
    basePath: '/rest/v1/',
  }) as {
    swagger: string;
    info: Record<string, string>;
    paths: Record<string, Record<string, unknown>>;
    definitions: Record<string, { description?: string; required?: string[]; properties: Record<string, Record<string, unknown>> }>;
    parameters: Record<string, Record<string, unknown>>;
  };

  test('header from the schema comment', () => {
    assert.equal(doc.swagger, '2.0');
    assert.deepStrictEqual(doc.info, { description: 'Everything public', title: 'The API', version: '12.2.3' });
  });
  test('paths follow privileges; views are read-only; volatile functions only POST', () => {
    assert.deepStrictEqual(Object.keys(doc.paths).sort(), ['/', '/client_names', '/clients', '/projects', '/rpc/add', '/rpc/touch']);
    assert.deepStrictEqual(Object.keys(doc.paths['/client_names'] ?? {}), ['get']);
    assert.deepStrictEqual(Object.keys(doc.paths['/rpc/touch'] ?? {}), ['post']);
    assert.deepStrictEqual(Object.keys(doc.paths['/rpc/add'] ?? {}).sort(), ['get', 'post']);
  });
  test('definitions: required columns, keys, comments, defaults, formats', () => {
    const projects = doc.definitions.projects;
    assert.deepStrictEqual(projects?.required, ['id']);
    assert.deepStrictEqual(projects?.properties.client_id, {
      description: "Note:\nThis is a Foreign Key to `clients.id`.<fk table='clients' column='id'/>",
      format: 'int32',
      type: 'integer',
    });
    assert.deepStrictEqual(projects?.properties.budget, { default: 100, format: 'int64', type: 'integer' });
    assert.deepStrictEqual(projects?.properties.tags, { format: 'text[]', type: 'array', items: { type: 'string' } });
    assert.equal(doc.definitions.clients?.properties.name?.description, 'Full name');
    assert.equal(doc.definitions.clients?.description, 'Clients\nPeople who pay');
    assert.deepStrictEqual(doc.parameters['rowFilter.clients.name'], { in: 'query', name: 'name', required: false, type: 'string', description: 'Full name' });
  });
});
