// A Mosaic server in its own process for the crash test: `node --import tsx
// finance-server.child.ts` with DATABASE_URL and PORT set. It serves exactly
// what the API serves (buildApp) and prints "ready" once it listens; the test
// SIGKILLs it mid-workload, like a machine losing power.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { buildApp } from '@mosaic/server';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const db = openDatabase(url, { appPoolSize: 10, ownerPoolSize: 2 });
const store = new MetaStore(db.app);
const app = await buildApp({ db, store, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-crash-')) });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
