/**
 * `npm start`: the club on this machine, configured by the contract's variables.
 */
import { relative } from 'node:path';
import { readConfig, readLocalConfig } from '../shared/config';
import { DEFAULT_DATA_DIR, startClub, type RunningClub } from './club';

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, not "${value}".`);
    process.exit(1);
  }
  return port;
}

// Node 20 is supported here; the SDK's note that its 2027 releases need Node 22 is in the README.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const local = readLocalConfig();
  const port = parsePort(local.port);
  // Loopback unless asked: the API token is the only thing between the network and the club.
  const host = local.host ?? '127.0.0.1';
  const dataDir = local.dataDir ?? DEFAULT_DATA_DIR;
  const tokenFromEnv = local.apiToken;

  console.log('Starting the loyalty club (DynamoDB Local takes a few seconds)...');
  const starting = startClub({
    port,
    host,
    dataDir,
    apiToken: tokenFromEnv,
    currency: local.currency,
  });

  let stoppingSince = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    // tsx relays the terminal's Ctrl-C, so one keypress can arrive twice. Stopping is
    // bounded (server and JVM each get 5 s), so repeats only get a word.
    if (stoppingSince) {
      if (Date.now() - stoppingSince > 1000) console.log('Still stopping; this takes at most about 10 s.');
      return;
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping the club...`);
    // Ctrl-C during startup waits for it, so nothing half-started is left behind.
    starting
      .then(
        (club) => club.stop(),
        () => {},
      )
      .then(
        () => process.exit(0),
        (err) => {
          console.error(err);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  let club: RunningClub;
  try {
    club = await starting;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${port} is already in use. Stop whatever holds it or pick another: PORT=3001 npm start`);
    } else if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (err as NodeJS.ErrnoException).code === 'ENOTFOUND') {
      console.error(`HOST "${host}" is not an address of this machine. Leave it unset to listen on 127.0.0.1 only.`);
    } else {
      console.error('The club could not start:', err instanceof Error ? err.message : err);
    }
    process.exit(1);
  }
  if (stoppingSince) return;

  const rel = relative(process.cwd(), club.dataDir!);
  const shownDir = rel && !rel.startsWith('..') ? rel : club.dataDir;
  const tokenSource = tokenFromEnv ? 'from LOYALTY_API_TOKEN' : `saved in ${shownDir}/api-token`;
  console.log(
    [
      '',
      'The loyalty club is running.',
      '',
      `  API        ${club.url}`,
      `  Console    ${club.url}/admin  (sign in with the API token)`,
      `  API token  ${club.token}  (${tokenSource})`,
      `  Data       ${club.dataDir}`,
      `  Currency   ${readConfig().currency}`,
      '',
      'Try it:',
      `  curl -s ${club.url}/health`,
      `  curl -s -X POST ${club.url}/v1/members \\`,
      `    -H "Authorization: Bearer ${club.token}" \\`,
      `    -H 'Content-Type: application/json' -d '{"email":"ada@example.com","name":"Ada"}'`,
      "  # the member's page: a signed link to /club for one member",
      `  curl -s -X POST ${club.url}/v1/members/<memberId>/portal-links -H "Authorization: Bearer ${club.token}"`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

await main();
