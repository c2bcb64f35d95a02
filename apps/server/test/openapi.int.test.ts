import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.api('POST', '/api/v1/meta/objects', { apiName: 't_lead', label: { zh: '线索', en: 'Lead' }, fields: [{ apiName: 'name', type: 'text', label: '名称', required: true }, { apiName: 'source', type: 'single_select', label: '来源', config: { options: [{ value: 'web', label: '网站' }] } }] });
});

afterAll(async () => {
  await t?.close();
});

describe('OpenAPI', () => {
  it('describes every object the caller can read, generated from metadata', async () => {
    const r = await t.api('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.paths['/api/v1/records/t_lead']).toHaveProperty('get');
    expect(r.body.paths['/api/v1/records/t_lead/{id}']).toHaveProperty('patch');
    const schema = r.body.components.schemas.Record_t_lead;
    expect(schema.required).toEqual(['name']);
    expect(schema.properties.source.enum).toEqual(['web']);
    expect(schema.properties.id.readOnly).toBe(true);
  });

  it('follows metadata changes at once, and shows only platform endpoints without a session', async () => {
    await t.api('POST', '/api/v1/meta/objects/t_lead/fields', { apiName: 'phone', type: 'phone', label: '电话' });
    const r = await t.api('GET', '/api/v1/openapi.json');
    expect(r.body.components.schemas.Record_t_lead.properties).toHaveProperty('phone');
    const anon = await t.api('GET', '/api/v1/openapi.json', undefined, { token: null });
    expect(anon.body.paths).not.toHaveProperty('/api/v1/records/t_lead');
    expect(anon.body.paths).toHaveProperty('/api/v1/auth/login');
  });

  it('serves a human docs page', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/docs', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('/api/v1/records/t_lead');
    expect(r.body).toContain('线索');
  });
});
