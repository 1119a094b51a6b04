/**
 * The order files start in. Vitest's own sorts them project by project, so the
 * minute-long integration files started a third of the way in and the run ended on
 * them with a core idle. Here, within a
 * group: isolated projects first (as Vitest does), then the long poles, then the
 * longest by the last run's durations (unknown files by size, as Vitest does).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest files on the 2-core machine (`npx vitest run --reporter=json`), longest first. */
const LONG_POLES = [
  'test/integration/webhooks-scale.test.ts',
  'test/integration/cli-import.test.ts',
  'test/integration/local-runtime.test.ts',
  'test/browser/pages.test.ts',
  // Half a minute of synthesis on both cores: early, not as the run's tail.
  'test/infra/stacks.test.ts',
  // Small files that take 15–35 s: by size (CI has no durations cached) they came last, with a core idle.
  'test/integration/cli-admin.test.ts',
  'test/integration/name-search.test.ts',
  'test/integration/contention.test.ts',
  'test/integration/webhooks-restart.test.ts',
];

export class LongPolesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const path = (s: TestSpecification) => relative(root, s.moduleId);
    const pole = (s: TestSpecification) => {
      const i = LONG_POLES.indexOf(path(s));
      return i < 0 ? LONG_POLES.length : i;
    };
    const known = (s: TestSpecification) => this.ctx.cache.getFileTestResults(`${s.project.name}:${path(s)}`)?.duration;
    const size = (s: TestSpecification) => this.ctx.cache.getFileStats(`${s.project.name}:${path(s)}`)?.size ?? 0;
    return [...files].sort((a, b) => {
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (group !== 0) return group;
      if (a.project.config.isolate !== b.project.config.isolate) return a.project.config.isolate ? -1 : 1;
      if (pole(a) !== pole(b)) return pole(a) - pole(b);
      const [da, db] = [known(a), known(b)];
      if (da !== undefined && db !== undefined) return db - da;
      if (da === undefined && db !== undefined) return -1;
      if (db === undefined && da !== undefined) return 1;
      return size(b) - size(a);
    });
  }
}
