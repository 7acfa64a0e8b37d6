import express, { type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { authenticate, type ApiKeys } from './auth';
import { ApiError, errorHandler, methodNotAllowed, notFound } from './errors';
import { pathMatches } from './route-list';
import { idempotency } from './idempotency';
import { requestLog } from './request-log';
import { operationsRoutes, requestMetrics } from './operations';
import { traceRoute } from './route-template';
import { tracingEnabled } from '../observability/tracing';
import { buildOpenApiDocument } from './openapi';
import { codeBatchRoutes, describeCodeBatchRoutes } from './routes/code-batches';
import { codeImageRoutes, describeCodeImageRoutes } from './routes/code-images';
import { codeImportRoutes, codeImportUploadRoutes, describeCodeImportRoutes } from './routes/code-imports';
import { campaignRoutes, describeCampaignRoutes } from './routes/campaigns';
import { campaignRuleVersionRoutes, describeCampaignRuleVersionRoutes } from './routes/campaign-rule-versions';
import { auditLogRoutes, describeAuditLogRoutes } from './routes/audit-log';
import { describeEventRoutes, eventRoutes } from './routes/events';
import { describeSimulationRoutes, simulationRoutes } from './routes/simulation';
import { describeEventSchemaRoutes, eventSchemaRoutes } from './routes/event-schemas';
import { describeMemberRoutes, memberRoutes } from './routes/members';
import { describeRewardRoutes, rewardRoutes } from './routes/rewards';
import { describeRedemptionRoutes, redemptionRoutes } from './routes/redemptions';
import { codeRoutes, describeCodeRoutes } from './routes/codes';
import { describeWebhookRoutes, webhookRoutes } from './routes/webhooks';
import { consoleRoutes, describeConsoleRoutes } from './routes/console';
import { describeDistributionRoutes, distributionRoutes, distributionUploadRoutes } from './routes/distributions';
import { consoleStatic } from './console-static';
import { apiContentSecurityPolicy, docsContentSecurityPolicy, securityHeaders } from './security-headers';
import type { AppContext } from '../services/context';

const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if ((req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') && hasBody && !req.is('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'send the request body as application/json', 'Content-Type');
  }
  next();
};

/** Runs a body middleware but keeps its refusal for the route's role check (api/auth.ts allow): 403 before 400. */
function deferBodyErrors(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const keep = (error?: unknown) => {
      if (error !== undefined && error !== null) req.bodyError = error;
      next();
    };
    try {
      middleware(req, res, keep);
    } catch (error) {
      keep(error);
    }
  };
}

export const describeRoutes = [
  describeCodeBatchRoutes,
  describeCodeImportRoutes,
  describeCodeRoutes,
  describeCodeImageRoutes,
  describeEventSchemaRoutes,
  describeCampaignRoutes,
  describeCampaignRuleVersionRoutes,
  describeEventRoutes,
  describeSimulationRoutes,
  describeMemberRoutes,
  describeRewardRoutes,
  describeRedemptionRoutes,
  describeWebhookRoutes,
  describeDistributionRoutes,
  describeConsoleRoutes,
  describeAuditLogRoutes,
];

export function createApp(ctx: AppContext, keys: ApiKeys) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // No ETag computed over every JSON answer (a SHA-1 of the body per request, README "Redemption figures"): API
  // clients don't revalidate with If-None-Match; campaigns set their own ETag (the row's version) for If-Match,
  // and the console's and the docs' static files keep theirs (serve-static sets them itself).
  app.set('etag', false);
  app.use(requestLog);
  app.use(securityHeaders, apiContentSecurityPolicy);
  app.use(requestMetrics);
  if (tracingEnabled) app.use(traceRoute);

  const openApiDocument = buildOpenApiDocument(describeRoutes);
  app.use(operationsRoutes(ctx));
  app.get('/openapi.json', (_req, res) => res.json(openApiDocument));
  app.use('/docs', docsContentSecurityPolicy, swaggerUi.serve, swaggerUi.setup(openApiDocument));

  const v1 = express.Router();
  v1.use(authenticate(keys));
  v1.use(codeImportUploadRoutes(ctx));
  v1.use(distributionUploadRoutes(ctx));
  v1.use(deferBodyErrors(requireJsonBody), deferBodyErrors(express.json({ limit: ctx.config.maxBodyBytes, strict: true })));
  v1.use(idempotency(ctx.db));
  v1.use(eventRoutes(ctx)); // first: POST /v1/events is the hot path, and no other router's paths overlap /events
  v1.use(codeBatchRoutes(ctx));
  v1.use(codeImportRoutes(ctx));
  v1.use(codeRoutes(ctx));
  v1.use(codeImageRoutes(ctx));
  v1.use(eventSchemaRoutes(ctx));
  v1.use(campaignRoutes(ctx));
  v1.use(campaignRuleVersionRoutes(ctx));
  v1.use(simulationRoutes(ctx));
  v1.use(memberRoutes(ctx));
  v1.use(rewardRoutes(ctx));
  v1.use(redemptionRoutes(ctx));
  v1.use(webhookRoutes(ctx));
  v1.use(distributionRoutes(ctx));
  v1.use(consoleRoutes(ctx));
  v1.use(auditLogRoutes(ctx));
  app.use('/v1', v1);
  app.use('/console', consoleStatic());

  // The document's paths, not express's: they name the image files the `:image` route serves (a unit test keeps
  // the two equal).
  const documented = Object.entries(openApiDocument.paths ?? {}).map(([path, item]) => ({ path, methods: Object.keys(item ?? {}) }));
  app.use(
    methodNotAllowed((path) => {
      const methods = new Set(documented.filter((r) => pathMatches(r.path, path)).flatMap((r) => r.methods.map((m) => m.toUpperCase())));
      if (methods.has('GET')) methods.add('HEAD');
      return [...methods];
    }),
  );
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
