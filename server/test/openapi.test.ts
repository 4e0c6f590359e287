/**
 * The OpenAPI document says what a script needs to drive the API without the app: the
 * offline transaction in full, who may call each operation, and that an upload refuses
 * bad records one by one rather than the whole request.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openDatabase, type Db } from '../db/open.js';
import { createServices } from '../services.js';
import { buildApp } from '../build-app.js';
import { TRANSACTION_TYPES } from '../../shared/transaction.js';

interface Schema { $ref?: string; anyOf?: Schema[]; title?: string; properties?: Record<string, Schema & { enum?: string[] }>; items?: Schema; description?: string }
interface Operation { description?: string; security?: unknown[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }
interface Doc { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

let db: Db;
let app: Awaited<ReturnType<typeof buildApp>>;
let doc: Doc;

beforeAll(async () => {
  db = openDatabase(':memory:');
  app = await buildApp(createServices(db));
  doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as Doc;
});
afterAll(async () => {
  await app.close();
  db.close();
});

describe('the OpenAPI document', () => {
  it('describes the offline transaction, one shape per type', () => {
    const tx = doc.components.schemas.OfflineTransaction;
    expect(tx.anyOf?.map((v) => v.title)).toEqual(['Checkout of an item', 'Non-cataloged checkout', 'Renewal', 'Checkin', 'In-house use', 'Patron registration', 'Payment']);
    const types = new Set(tx.anyOf!.flatMap((v) => v.properties!.type.enum ?? []));
    expect([...types].sort()).toEqual([...TRANSACTION_TYPES].sort());
    expect(Object.keys(tx.anyOf![5].properties!)).toContain('patron');
    expect(Object.keys(tx.anyOf![6].properties!)).toEqual(expect.arrayContaining(['patron_barcode', 'amount_cents', 'note']));
  });

  it('shows an upload’s records as transactions, and says a bad one is refused alone', () => {
    const body = doc.paths['/api/sessions/{id}/uploads'].post.requestBody!.content['application/json'].schema;
    const records = body.properties!.transactions;
    expect(records.items).toEqual({ $ref: '#/components/schemas/OfflineTransaction' });
    expect(records.description).toMatch(/listed in the reply’s `rejected` with its reason/);
  });

  it('types the transaction in a result’s detail', () => {
    const reply = doc.paths['/api/sessions/{id}/transactions/{txid}'].get.responses['200'].content!['application/json'].schema;
    expect(Object.keys(reply.properties!.transaction.properties!)).toEqual(expect.arrayContaining(['id', 'type', 'item_barcode', 'patron', 'acknowledged']));
  });

  it('says who may call each operation, and needs no cookie for the public ones', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    for (const { key, op } of operations) expect(op.description, key).toMatch(/Needs (no login|a login|the (circulation|admin) role at some branch \(to [a-z -]+\))\.$/);
    expect(doc.paths['/api/sessions/{id}/process'].post.description).toMatch(/Needs the admin role at some branch \(to process sessions\)\.$/);
    const open = operations.filter(({ op }) => op.description!.endsWith('Needs no login.')).map(({ key, op }) => [key, op.security]);
    expect(open).toEqual([['GET /api/health', []], ['POST /api/auth/login', []], ['POST /api/auth/logout', []]]);
  });
});
