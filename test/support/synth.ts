/**
 * One synthesis per stage for the whole infra project: bundling every function with
 * esbuild is most of an infra test's time, and the suites assert the same stacks.
 * They run as one test file (test/infra/stacks.test.ts), so in one worker, which this
 * module's cache is shared in.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createClubApp, type ClubApp } from '../../infra/club-app';
import { REPO_ROOT } from '../../infra/paths';

/** The feature flags `cdk synth` runs with, so the tests see the same template. */
export const CDK_JSON_CONTEXT = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/**
 * One cloud assembly directory for every app the infra tests synthesize. CDK keys its
 * in-process cache of bundled assets by the output directory, the source and every bundling
 * option: sharing the directory lets a function whose bundling is the same in another app
 * (dev and prod, a stage with other context) reuse the bundle instead of running esbuild
 * again, so each function is bundled once per run. A different entry or option still
 * bundles afresh. Each app's template is read right after its synthesis, so apps writing
 * the same stack's template here one after another is harmless. Kept on globalThis, like
 * the syntheses below: lambda-access.suite.ts resets the module registry to load handlers
 * afresh, and this module with it (aws-cdk-lib, from node_modules, keeps its cache).
 */
export const SYNTH_OUTDIR: string = ((globalThis as { loyaltySynthOutdir?: string }).loyaltySynthOutdir ??= mkdtempSync(
  join(tmpdir(), 'loyalty-synth-'),
));

/** Message senders configured, so the notifier's environment and grants are in the template too. */
export const SENDERS_CONTEXT = { emailFrom: 'club@shop.example', smsUrl: 'https://api.kavenegar.com/v1/{apiKey}/sms/send.json' };

export interface Synth extends ClubApp {
  readonly template: Template;
  readonly json: any;
}

const synths: Map<string, Synth> = ((globalThis as { loyaltySynths?: Map<string, Synth> }).loyaltySynths ??= new Map());

/** The stage's app as `cdk synth` builds it (cdk-nag included), synthesized once per run. */
export function synthStage(stage: 'dev' | 'prod'): Synth {
  let synth = synths.get(stage);
  if (!synth) {
    // Any attempt to bundle in Docker would fail: bundling must be local esbuild.
    process.env.CDK_DOCKER = '/nonexistent/docker-must-not-be-used';
    const club = createClubApp({ outdir: SYNTH_OUTDIR, context: { ...CDK_JSON_CONTEXT, ...SENDERS_CONTEXT, stage } });
    const template = Template.fromStack(club.stack);
    synth = { ...club, template, json: template.toJSON() };
    synths.set(stage, synth);
  }
  return synth;
}
