import path from 'node:path';

/** Where Mosaic keeps its files and how it reaches PostgreSQL, from the environment. */
export interface DbConfig {
  /** Owner connection (runs migrations and DDL). Unset: start the embedded server. */
  databaseUrl?: string;
  /** A streaming replica reports, dashboards and exports may read from (docs/deploy.md). */
  replicaUrl?: string;
  dataDir: string;
}

export function readDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    replicaUrl: env.DATABASE_REPLICA_URL || undefined,
    dataDir: path.resolve(env.MOSAIC_DATA_DIR || './data'),
  };
}

/** The two roles the application uses. Neither is a superuser; only the owner owns tables. */
export const OWNER_ROLE = 'mosaic_owner';
export const APP_ROLE = 'mosaic_app';
