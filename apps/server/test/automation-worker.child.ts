// A worker process for the automation tests that need one they can kill:
// `node --import tsx automation-worker.child.ts` with DATABASE_URL set. It runs
// exactly what `npm start` runs for the rules engine (startWorkers) and prints
// "ready" once its queue workers, outbox consumer and scheduler are up.
import { openDatabase } from '@mosaic/db';
import { listenForMetaChanges, MetaStore } from '@mosaic/meta';
import { startWorkers } from '@mosaic/automation';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const db = openDatabase(url, { appPoolSize: 10, ownerPoolSize: 2 });
const store = new MetaStore(db.app);
const unlisten = await listenForMetaChanges(url, store);
const workers = await startWorkers({ db, store, url }, { tickMs: 200, pollMs: 500 });
console.log('ready');

process.on('SIGTERM', () => {
  void (async () => {
    await workers.stop();
    await unlisten();
    await db.close();
    process.exit(0);
  })();
});
