import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { logger } from '@mosaic/kernel';
import type { ServerContext } from './http/context.ts';
import { errorHandler } from './http/errors.ts';
import { activateModules, MODULES } from './modules.ts';
import { recordsCtx } from './http/context.ts';
import type { AccessGuard } from '@mosaic/access';
import { registerAuth } from './http/auth.hook.ts';
import { registerDenialAudit } from './http/denials.hook.ts';
import { frameworkErrors } from './http/framework-errors.ts';
import { registerRequestTextCheck } from './http/request-text.hook.ts';
import { registerReadYourWrites } from './http/read-your-writes.ts';
import { registerServerTiming } from './http/server-timing.hook.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { metaRoutes } from './routes/meta.routes.ts';
import { recordsRoutes } from './routes/records.routes.ts';
import { documentRoutes } from './routes/documents.routes.ts';
import { filesRoutes } from './routes/files.routes.ts';
import { openApiRoutes } from './routes/openapi.routes.ts';
import { importExportRoutes } from './routes/import-export.routes.ts';
import { approvalRoutes } from './routes/approvals.routes.ts';
import { metaToolsRoutes } from './routes/meta-tools.routes.ts';
import { webRoutes } from './routes/web.routes.ts';
import { reportsRoutes } from './routes/reports.routes.ts';
import { dashboardsRoutes } from './routes/dashboards.routes.ts';
import { automationRulesRoutes } from './routes/automation-rules.routes.ts';
import { automationHooksRoutes } from './routes/automation-hooks.routes.ts';
import { publicFormsRoutes } from './routes/public-forms.routes.ts';
import { notificationsRoutes } from './routes/notifications.routes.ts';
import { authSessionsRoutes } from './routes/auth-sessions.routes.ts';
import { adminRolesRoutes } from './routes/admin-roles.routes.ts';
import { adminUsersRoutes } from './routes/admin-users.routes.ts';
import { adminOrgRoutes } from './routes/admin-org.routes.ts';
import { recordsAggregateRoutes } from './routes/records-aggregate.routes.ts';
import { webViewsRoutes } from './routes/web-views.routes.ts';

/**
 * Builds the HTTP server: one Fastify instance, the auth hook in front of
 * /api, thin route modules behind it. No business logic lives here.
 */
export async function buildApp(ctx: ServerContext, opts: { logRequests?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logRequests ? (logger as never) : undefined,
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: process.env.MOSAIC_TRUST_PROXY === 'true',
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  });
  activateModules();
  app.decorate('mosaic', ctx);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0].slice(0, 100)}.` } });
  });
  await app.register(cookie);
  registerServerTiming(app);
  registerAuth(app);
  registerDenialAudit(app);
  registerRequestTextCheck(app);
  registerReadYourWrites(app);
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(authSessionsRoutes);
  await app.register(adminRolesRoutes);
  await app.register(adminUsersRoutes);
  await app.register(adminOrgRoutes);
  await app.register(metaRoutes);
  await app.register(recordsRoutes);
  await app.register(recordsAggregateRoutes);
  await app.register(webViewsRoutes);
  await app.register(documentRoutes);
  await app.register(filesRoutes);
  await app.register(importExportRoutes);
  await app.register(approvalRoutes);
  await app.register(reportsRoutes);
  await app.register(dashboardsRoutes);
  await app.register(automationRulesRoutes);
  await app.register(automationHooksRoutes);
  await app.register(publicFormsRoutes);
  await app.register(notificationsRoutes);
  await app.register(openApiRoutes);
  for (const m of MODULES) if (m.routes) await app.register(async (scope) => m.routes!(scope, (request) => recordsCtx(ctx, (request as { guard?: AccessGuard }).guard)));
  await app.register(metaToolsRoutes);
  await app.register(webRoutes); // last: the web app's GET /* catches what no API route matched
  return app;
}
