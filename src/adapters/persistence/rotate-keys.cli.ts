// `npm run keys:rotate [-- --batch-size=N]`: re-seals every sealed record under the newest key of
// TOKEN_ENCRYPTION_KEY, in batches, while the service keeps running; afterwards the older keys can be removed.
// Exit code 0 once no record is left under an older configured key, 1 otherwise or on a configuration error.
import { ConfigError, loadConfig } from '@config/env.schema.js';
import { SealedBox } from '../crypto/sealed-box.js';
import { createOrm } from './orm.js';
import { rotateSealedRecords, type RotationReport } from './sealed-records.js';

const DEFAULT_BATCH_SIZE = 200;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function batchSize(args: string[]): number {
  const flag = args.find((a) => a.startsWith('--batch-size'));
  if (!flag) return DEFAULT_BATCH_SIZE;
  const value = flag.split('=')[1] ?? '';
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000)
    fail(`--batch-size must be a whole number from 1 to 10000 (not "${value}").`);
  return n;
}

function summary(report: RotationReport): { lines: string[]; ok: boolean } {
  const lines = [`Re-sealed: ${report.tables.map((t) => `${t.resealed} ${t.label}`).join(', ')}.`];
  let ok = true;
  for (const t of report.tables) {
    if (t.corrupt.length > 0) {
      ok = false;
      lines.push(
        `${t.corrupt.length} ${t.label} cannot be opened by the key that sealed them (altered, or moved ` +
          `from another row) and were left as they are: ${t.corrupt.join('; ')}.`,
      );
    }
    if (t.left > 0) {
      ok = false;
      lines.push(`${t.left} ${t.label} stayed locked by the running service: run keys:rotate again.`);
    }
  }
  const { census } = report;
  if (census.recordsUnderMissingKeys > 0) {
    lines.push(
      `${census.recordsUnderMissingKeys} record(s) are sealed under keys that are not configured ` +
        `(${census.missingKeys.join(', ')}): they stay unreadable until such a key is configured again ` +
        '(before the newest one), and this command is run again.',
    );
  }
  if (ok && report.olderKeys.length > 0) {
    lines.push(
      `Every record the configured keys open is sealed under ${report.currentKey}: the older keys ` +
        `(${report.olderKeys.join(', ')}) can now be removed from TOKEN_ENCRYPTION_KEY.`,
    );
  } else if (ok) {
    lines.push(`Only one key is configured (${report.currentKey}): there is nothing to re-seal.`);
  }
  return { lines, ok };
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
if (config.tokenEncryptionKeys.length === 0) {
  fail(
    'TOKEN_ENCRYPTION_KEY is not set: set it to the new key followed by the old ones, comma-separated, ' +
      'newest first (as the running service has it), then run keys:rotate again.',
  );
}
const size = batchSize(process.argv.slice(2));
const box = new SealedBox(config.tokenEncryptionKeys);
console.log(
  `Re-sealing under ${box.currentKeyId} what is sealed under ${box.keyIds.slice(1).join(', ') || '-'}…`,
);
const orm = await createOrm(config.database);
let ok = false;
try {
  const report = await rotateSealedRecords(orm.em, box, {
    batchSize: size,
    onProgress: (label, resealed) => console.log(`  ${label}: ${resealed} re-sealed`),
  });
  const result = summary(report);
  for (const line of result.lines) console.log(line);
  ok = result.ok;
} finally {
  await orm.close();
}
process.exit(ok ? 0 : 1);
