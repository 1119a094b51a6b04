#!/usr/bin/env node
// `npx loyalty …`: the staff CLI (cli/main.ts, run through tsx; docs/cli.md).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
runCli(process.argv.slice(2));
