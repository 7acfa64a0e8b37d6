import type { Request, RequestHandler } from 'express';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * The route template express matched (`/v1/codes/:code`), never the raw path: unmatched paths are all
 * "unmatched", so a scanner can't grow a metric's label set or a trace's span names.
 */
export function routeTemplate(req: Request): string {
  return req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
}

/**
 * With tracing on (installed by createApp only then): hands the matched route to the http instrumentation, which
 * records it as the server span's `http.route` and names the span `POST /v1/code-batches`, as the express
 * instrumentation would, without its dependency and its span per middleware. The route is known once a handler
 * ran, i.e. at `finish`; the instrumentation reads it at `close`, which comes after.
 */
export const traceRoute: RequestHandler = (req, res, next) => {
  const rpc = getRPCMetadata(context.active());
  if (rpc?.type === RPCType.HTTP)
    res.once('finish', () => {
      if (req.route) rpc.route = routeTemplate(req);
    });
  next();
};
