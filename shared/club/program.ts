/**
 * The store's program as the use cases see it: the running version (cached
 * briefly per container), saving a new version with optimistic concurrency,
 * the version history, and what the admin routes derive from it (calendar,
 * simulator).
 */
import type * as z from 'zod';
import { DomainError } from '../domain/errors';
import { defaultProgram, programFrom, type Program } from '../domain/program';
import type { ProgramBody } from '../schemas/program';
import type { ProgramPage, ProgramStore } from '../store/program-store';

/** How long a container trusts its copy of the program; a save in the same container refreshes at once. */
export const PROGRAM_CACHE_MS = 30_000;

export class ProgramRepository {
  private cached: { program: Program; until: number } | undefined;
  private loading: Promise<Program> | undefined;
  readonly initial: Program;

  constructor(
    private readonly store: ProgramStore,
    fallbackCurrency: string,
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = PROGRAM_CACHE_MS,
  ) {
    this.initial = defaultProgram(fallbackCurrency);
  }

  /** The running program; the default until a store saves its own. */
  async current(): Promise<Program> {
    if (this.cached && this.cached.until > this.clock()) return this.cached.program;
    this.loading ??= this.fresh().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Straight from the table (admin reads and saves). */
  async fresh(): Promise<Program> {
    const program = (await this.store.current()) ?? this.initial;
    this.cached = { program, until: this.clock() + this.ttlMs };
    return program;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /**
   * Saves a validated program as the next version, if `expected` is still the
   * running version; otherwise 409 VERSION_CONFLICT and nothing changes.
   */
  async save(rules: z.output<typeof ProgramBody>, expected: number, meta: { updatedAt: string; updatedBy?: string }): Promise<Program> {
    const running = await this.fresh();
    if (running.version !== expected) throw stale(expected, running.version);
    const next = programFrom(rules, this.initial.currency, expected + 1, meta);
    const outcome = await this.store.save(next, expected, this.initial);
    this.invalidate();
    if (outcome === 'stale') throw stale(expected, (await this.fresh()).version);
    this.cached = { program: next, until: this.clock() + this.ttlMs };
    return next;
  }

  async versions(page: { limit: number; before?: number }): Promise<ProgramPage> {
    const stored = await this.store.versions(page);
    // Never saved: the default is the one version there is.
    if (stored.items.length === 0 && page.before === undefined) return { items: [this.initial] };
    return stored;
  }
}

function stale(expected: number, running: number): DomainError {
  return new DomainError('VERSION_CONFLICT', `the program is at version ${running}; this edit started from version ${expected}`, [
    { path: 'expectedVersion', message: `current version is ${running}` },
  ]);
}
