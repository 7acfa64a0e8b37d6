import { Client, Connection } from '@temporalio/client';
import { temporalClientInterceptors } from '../observability/temporal-tracing';

/** A client of the API or a worker's background loops; with tracing on, what it starts carries the active trace. */
export async function connectTemporalClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, interceptors: temporalClientInterceptors() });
}
