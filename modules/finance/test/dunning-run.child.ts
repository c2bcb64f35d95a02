// One dunning run for a tenant in a process of its own — what the daily rule's
// job does in a worker — so a test can SIGKILL it between the mail leaving and
// the notice recording it. DATABASE_URL, TENANT_ID, AS_OF (YYYY-MM-DD), SMTP_URL.
import { inTenantTx, openDatabase } from '@mosaic/db';
import { MetaStore } from '@mosaic/meta';
import { systemGuard, type Actor } from '@mosaic/access';
import { SYSTEM_USER_ID, tenantFacts } from '@mosaic/automation';
import { runDunning } from '../receivables/dunning/dunning.service.ts';

const url = process.env.DATABASE_URL!;
const tenantId = process.env.TENANT_ID!;
const db = openDatabase(url, { appPoolSize: 4, ownerPoolSize: 1 });
const store = new MetaStore(db.app);
const facts = await inTenantTx(db.app, { tenantId }, (tx) => tenantFacts(tx));
const actor: Actor = { tenantId, userId: SYSTEM_USER_ID, companyId: facts.companyId, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone };
console.log('running');
const result = await runDunning({ db, store, guard: systemGuard(actor) }, process.env.AS_OF!);
console.log(JSON.stringify(result));
await db.close();
