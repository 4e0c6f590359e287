/** Starts the server: configuration, database, first-start bootstrap, the app, graceful close. */
// First of the server's own modules: how much garbage V8 lets pile up (see heap-policy.ts). Packages load
// before it in the bundle; V8 reads the flag each time it sets the next collection's limit, so that is soon enough.
import './heap-policy.js';
import { readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { bootstrap } from './db/bootstrap.js';
import { createServices } from './services.js';
import { buildApp } from './build-app.js';

const config = loadConfig();
const db = openDatabase(config.dbFile);
const boot = await bootstrap(db, { seedDemo: config.seedDemo, adminPassword: config.adminPassword });
if (boot.seeded) console.log('Seeded the demo library (Demo Library System: branches CENTRAL, EAST, WEST).');
if (boot.adminPassword) {
  console.log('\n  Created the admin account. Log in as "admin" with this password (shown only now):\n');
  console.log(`    ${boot.adminPassword}\n`);
} else if (boot.adminCreated) {
  console.log('Created the admin account "admin" with the password from OFFLINE_CIRC_ADMIN_PASSWORD.');
}

const services = createServices(db);
const https = config.tls ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } : undefined;
const app = await buildApp(services, { staticDir: config.staticDir, logger: { level: process.env.LOG_LEVEL ?? 'warn' }, https,
  trustProxy: config.trustProxy });
const resumed = services.processor.resumeInterrupted();
if (resumed.length) console.log(`Resuming processing of session(s) ${resumed.join(', ')} where it stopped.`);

await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
console.log(`Offline Circulation is running at ${https ? 'https' : 'http'}://${config.host}:${port}/ (data in ${config.dataDir})`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.close().then(() => { db.close(); process.exit(0); }, () => process.exit(1));
  });
}
