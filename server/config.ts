import { join, resolve } from 'node:path';
import { hostTimeZone, isTimeZone } from '../shared/library-time.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  staticDir: string;
  adminPassword: string | undefined;
  /** Seeds the demo library into an empty database. */
  seedDemo: boolean;
  /** Certificate and key files (PEM) for HTTPS, from TLS_CERT and TLS_KEY. */
  tls: { cert: string; key: string } | undefined;
  /**
   * Behind a reverse proxy that terminates TLS, which proxies to believe about the
   * client's address and protocol (X-Forwarded-*): 'true', a hop count, or addresses.
   */
  trustProxy: boolean | number | string | undefined;
  /** The time zone of branches that name none, nor do their systems. */
  timeZone: string;
}

/** OFFLINE_CIRC_TIME_ZONE, else the host's zone: where branches that name no zone (nor their systems) keep time. */
export function defaultTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env.OFFLINE_CIRC_TIME_ZONE?.trim();
  if (!zone) return hostTimeZone();
  if (!isTimeZone(zone)) throw new Error(`OFFLINE_CIRC_TIME_ZONE is '${zone}', which is not a time zone this system knows (use an IANA name such as America/Chicago)`);
  return zone;
}

/** Reads the configuration from the environment (README: Configuration). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    dbFile: join(dataDir, 'circulation.sqlite'),
    staticDir: resolve(env.STATIC_DIR ?? 'dist/public'),
    adminPassword: env.OFFLINE_CIRC_ADMIN_PASSWORD || undefined,
    seedDemo: env.OFFLINE_CIRC_SEED_DEMO !== 'false',
    tls: tlsFiles(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    timeZone: defaultTimeZone(env),
  };
}

function tlsFiles(env: NodeJS.ProcessEnv): Config['tls'] {
  const cert = env.TLS_CERT || undefined;
  const key = env.TLS_KEY || undefined;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new Error('Set both TLS_CERT and TLS_KEY (PEM files) to serve HTTPS, or neither');
  return { cert: resolve(cert), key: resolve(key) };
}

function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (!value) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
