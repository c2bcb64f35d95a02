import type { TCreateObject } from './meta.schemas.ts';
import type { Label } from './meta.types.ts';

/**
 * A built-in module's manifest (modules/<name>/module.ts): what it is, what it
 * needs, the objects it installs as metadata and the menu it adds. The server
 * installs every manifest into every tenant on start-up, idempotently.
 */
export interface ModuleManifest {
  name: string; // "crm", "stock", …
  label: Label;
  depends: string[];
  /** Menu group the web app files the module's objects under. */
  menu: { group: string; label: Label; order: number };
  objects: TCreateObject[];
  /** Runs after the objects are installed in a tenant (indexes, triggers the metadata cannot express). Idempotent. */
  afterInstall?: (db: import('@mosaic/db').Database, store: import('./meta.store.ts').MetaStore, tenantId: string) => Promise<void>;
  /** Runs once per process at start-up: document hooks, rule actions. */
  register?: () => void;
  /** HTTP routes of the module, registered by the server; `recordsCtx(request)` gives the caller's RecordsCtx. */
  routes?: (app: any, recordsCtx: (request: unknown) => any) => Promise<void>;
}
