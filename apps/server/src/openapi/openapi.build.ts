import { ERROR_CATALOGUE } from '@mosaic/kernel';
import { FIELD_TYPE_DEFS, type ObjectMeta } from '@mosaic/meta';
import type { AccessGuard } from '@mosaic/access';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document, generated from metadata: one schema and one set of
 * record endpoints per object the caller may read, with only the fields they
 * may read. Without a session it describes the platform endpoints only.
 */
export function buildOpenApi(objects: ObjectMeta[], guard: AccessGuard | undefined): Json {
  const paths: Json = { ...platformPaths() };
  const schemas: Json = { Error: errorSchema() };
  for (const obj of objects) {
    if (obj.archived || obj.isChild || !guard || !guard.can(obj, 'read')) continue;
    schemas[schemaName(obj)] = objectSchema(obj, objects, guard);
    Object.assign(paths, objectPaths(obj));
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Mosaic API', version: '1', description: 'REST API of Mosaic. Authenticate with POST /api/v1/auth/login, then send `Authorization: Bearer <token>`.' },
    servers: [{ url: '/' }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

const schemaName = (obj: ObjectMeta) => `Record_${obj.apiName}`;

function objectSchema(obj: ObjectMeta, all: ObjectMeta[], guard: AccessGuard): Json {
  const properties: Json = {};
  const required: string[] = [];
  for (const f of obj.fields) {
    if (f.archived || !guard.canReadField(obj, f)) continue;
    let schema: Json = { ...FIELD_TYPE_DEFS[f.type].openApi, title: f.label.zh, description: `${f.label.en ?? ''} (${f.type})`.trim() };
    if (f.type === 'single_select') schema.enum = f.config.options?.map((o) => o.value);
    if (f.type === 'child_table') {
      const child = all.find((o) => o.apiName === f.config.target);
      schema = { type: 'array', items: child ? objectSchema(child, all, guard) : {} };
    }
    if (f.system || f.readOnly) schema.readOnly = true;
    properties[f.apiName] = schema;
    if (f.required) required.push(f.apiName);
  }
  return { type: 'object', title: obj.label.zh, properties, required };
}

function objectPaths(obj: ObjectMeta): Json {
  const ref = { $ref: `#/components/schemas/${schemaName(obj)}` };
  const tag = [obj.apiName];
  const err = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const listParams = ['filter', 'sort', 'page', 'pageSize', 'cursor', 'fields', 'total'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }));
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const page = { type: 'object', properties: { data: { type: 'array', items: ref }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } };
  return {
    [`/api/v1/records/${obj.apiName}`]: {
      get: { tags: tag, summary: `List ${obj.label.zh}`, parameters: listParams, responses: { 200: { description: 'A page', content: { 'application/json': { schema: page } } }, 400: err } },
      post: {
        tags: tag, summary: `Create ${obj.label.zh}`, parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
        requestBody: { content: { 'application/json': { schema: ref } } }, responses: { 201: { description: 'Created', content: { 'application/json': { schema: ref } } }, 422: err },
      },
    },
    [`/api/v1/records/${obj.apiName}/bulk`]: {
      post: { tags: tag, summary: 'Create many in one transaction', responses: { 201: { description: 'Created' }, 422: err } },
      patch: { tags: tag, summary: 'Update many in one transaction', responses: { 200: { description: 'Updated' }, 409: err } },
    },
    [`/api/v1/records/${obj.apiName}/{id}`]: {
      get: { tags: tag, summary: `Get ${obj.label.zh}`, parameters: [idParam], responses: { 200: { description: 'The record', content: { 'application/json': { schema: ref } } }, 404: err } },
      patch: { tags: tag, summary: `Update ${obj.label.zh} (send version)`, parameters: [idParam], requestBody: { content: { 'application/json': { schema: ref } } }, responses: { 200: { description: 'Updated' }, 409: err } },
      delete: { tags: tag, summary: `Delete ${obj.label.zh}`, parameters: [idParam], responses: { 204: { description: 'Deleted' }, 404: err } },
    },
  };
}

function platformPaths(): Json {
  const ok = { 200: { description: 'OK' } };
  const loginBody = { type: 'object', properties: { email: { type: 'string' }, password: { type: 'string' } }, required: ['email', 'password'] };
  return {
    '/healthz': { get: { security: [], summary: 'Health', responses: ok } },
    '/api/v1/auth/login': { post: { security: [], summary: 'Log in', requestBody: { content: { 'application/json': { schema: loginBody } } }, responses: ok } },
    '/api/v1/auth/logout': { post: { summary: 'Log out', responses: ok } },
    '/api/v1/meta/objects': { get: { summary: 'Objects you may read', responses: ok }, post: { summary: 'Create an object (admin)', responses: { 201: { description: 'Created' } } } },
    '/api/v1/meta/objects/{object}': { get: { summary: 'One object', responses: ok }, patch: { summary: 'Change an object (admin)', responses: ok } },
    '/api/v1/meta/objects/{object}/fields': { post: { summary: 'Add a field (admin)', responses: { 201: { description: 'Created' } } } },
    '/api/v1/meta/modules': { get: { summary: 'The installed modules: menu group, label and order, and the module their objects declare', responses: ok } },
    '/api/v1/meta/objects/{object}/fields/{field}': { patch: { summary: 'Change a field (admin)', responses: ok }, delete: { summary: 'Archive (holds data) or delete a field; ?force=true deletes', responses: ok } },
    '/api/v1/import/{object}': { post: { summary: 'Import CSV/XLSX (multipart)', responses: { 202: { description: 'Job started' } } } },
    '/api/v1/export/{object}': { get: { summary: 'Export a list to CSV/XLSX', responses: ok } },
    '/api/v1/jobs/{id}': { get: { summary: 'Progress of a long job', responses: ok } },
    '/api/v1/records/{object}/{id}/print': {
      get: {
        summary: 'The record as a PDF (default or ?template=<id>); 404 without read, 403 without print',
        parameters: [{ name: 'template', in: 'query', schema: { type: 'string', format: 'uuid' } }],
        responses: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
    '/api/v1/print-templates': { get: { summary: 'Print templates (?object=)', responses: ok }, post: { summary: 'Save a print template (admin.org)', responses: { 201: { description: 'Created' } } } },
    '/api/v1/print-templates/{id}': { get: { summary: 'One print template', responses: ok }, patch: { summary: 'Change a print template (send version)', responses: ok }, delete: { summary: 'Delete a print template', responses: { 204: { description: 'Deleted' } } } },
    '/api/v1/print-templates/default/{object}': { get: { summary: 'The built-in or generic template body of an object', responses: ok } },
  };
}

function errorSchema(): Json {
  return {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) }, message: { type: 'string' }, field: { type: 'string' } }, required: ['code', 'message'] } },
  };
}
