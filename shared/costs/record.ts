/**
 * Records what a request cost: on AWS one EMF log line (CloudWatch turns it into
 * metrics), locally one JSON line appended to LOYALTY_COSTS_FILE
 * (<data dir>/costs.jsonl). Never fails the request it measures.
 */
import { appendFile } from 'node:fs/promises';
import { metered, type CapacityReading } from '../store/capacity-meter';
import { PRICES } from './prices';
import { costOf, emfLine, type RequestUsage } from './request-cost';

export async function recordCost(usage: RequestUsage, where: { readonly costsFile?: string; readonly service: string }): Promise<void> {
  try {
    const cost = costOf(usage, PRICES);
    if (where.costsFile) {
      await appendFile(where.costsFile, `${JSON.stringify({ at: new Date().toISOString(), ...usage, costUsd: cost.total })}\n`);
    } else if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
      // stdout of a Lambda is its log stream; CloudWatch extracts the metrics.
      process.stdout.write(`${emfLine(usage, cost, where.service)}\n`);
    }
  } catch (err) {
    console.error(JSON.stringify({ level: 'WARN', message: 'request cost not recorded', error: String(err) }));
  }
}

/**
 * Runs a non-HTTP handler (a queue consumer, a scheduled job) and records its
 * cost like the HTTP edge does: wrap the handler body with it.
 */
export async function withCostRecording<T>(
  route: string,
  trigger: RequestUsage['trigger'],
  memoryMb: number,
  fn: () => Promise<T>,
  where: { readonly costsFile?: string; readonly service: string },
): Promise<T> {
  const started = performance.now();
  let reading: CapacityReading | undefined;
  try {
    const { result, capacity } = await metered(fn);
    reading = capacity;
    return result;
  } finally {
    const durationMs = performance.now() - started;
    await recordCost({ route, trigger, rru: reading?.readCapacityUnits ?? 0, wru: reading?.writeCapacityUnits ?? 0, durationMs, memoryMb }, where);
  }
}
