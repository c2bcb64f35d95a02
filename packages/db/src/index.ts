export { readDbConfig, OWNER_ROLE, APP_ROLE, type DbConfig } from './config.ts';
export { startEmbeddedPostgres, freePort, type EmbeddedServer } from './embedded.ts';
export { migrate, prepareRolesForRestore, type MigrationSource } from './migrate.ts';
export { openDatabase, inTenantTx, setTenant, pgCode, type Database, type Db, type Tx, type TxScope } from './database.ts';
export { isApiName, tableNameFor, columnNameFor, API_NAME_RE } from './ident.ts';
export { sql } from 'kysely';
export { readDatabase, replicaState, currentWalLsn, lsnAtLeast, lsnValue, LSN_RE, type ReplicaState } from './replica.ts';
export { withBeforeCommit, type BeforeCommit } from './commit-hook.ts';
export { listenResilient, type ListenOptions } from './listen.ts';
