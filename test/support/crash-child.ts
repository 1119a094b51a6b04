/**
 * A club in a process of its own, for tests that kill it (SIGKILL: no cleanup, no
 * last checkpoint): the test file's database and table (test/support/club.ts
 * testDatabase), its events and the stream checkpoint in the given dir, the stream
 * processor polling. Prints one line of JSON, { url, token }, once it takes requests.
 *
 *   node --import tsx test/support/crash-child.ts '<json: endpoint, credentials, tableName, dir>'
 */
import { startClub } from '../../local/club';
import { LocalEventsService } from '../../local/events';

const { endpoint, credentials, tableName, dir } = JSON.parse(process.argv[2]!) as {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  dir: string;
};
const club = await startClub({
  dynamodbEndpoint: endpoint,
  dynamodbCredentials: credentials,
  tableName,
  quiet: true,
  services: [new LocalEventsService({ dir })],
});
console.log(JSON.stringify({ url: club.url, token: club.token }));
// Runs until it is killed.
setInterval(() => {}, 60_000);
