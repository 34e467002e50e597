// Every record kept sealed in the database, in one list: how many are sealed under which key (for /health)
// and the re-sealing of those under older keys with the newest one (`npm run keys:rotate`).
import type { EntityManager } from '@mikro-orm/core';
import { SealedValueCorrupt, sealedFrom, type SealedBox } from '../crypto/sealed-box.js';
import { tokenCacheAad } from './encrypted-token-vault.js';
import { idempotencyAad } from './mikro-orm-idempotency.store.js';
import { webhookSecretAad } from './mikro-orm-webhook-endpoint.repository.js';
import { execute } from './sql.js';

type Row = Record<string, unknown>;

/** A table whose rows hold one sealed value, and how to open it. */
export interface SealedTable {
  /** For people, in the plural: "Microsoft token caches". */
  label: string;
  table: string;
  /** The primary key's columns: rotation walks the table in their order. */
  idColumns: string[];
  /** Further columns the associated data is made of. */
  aadColumns: string[];
  columns: { keyId: string; iv: string; tag: string; ciphertext: string };
  aad(row: Row): string;
  /** One record, for errors: "a Microsoft token cache". */
  what: string;
}

const text = (v: unknown) => String(v);

export const SEALED_TABLES: readonly SealedTable[] = [
  {
    label: 'Microsoft token caches',
    table: 'microsoft_token_caches',
    idColumns: ['member_id', 'home_account_id'],
    aadColumns: ['workspace_id'],
    columns: { keyId: 'key_id', iv: 'iv', tag: 'tag', ciphertext: 'ciphertext' },
    aad: (r) =>
      tokenCacheAad({
        workspaceId: text(r.workspace_id),
        memberId: text(r.member_id),
        homeAccountId: text(r.home_account_id),
      }),
    what: 'a Microsoft token cache',
  },
  {
    label: 'webhook signing secrets',
    table: 'webhook_endpoints',
    idColumns: ['id'],
    aadColumns: [],
    columns: {
      keyId: 'secret_key_id',
      iv: 'secret_iv',
      tag: 'secret_tag',
      ciphertext: 'secret_ciphertext',
    },
    aad: (r) => webhookSecretAad(text(r.id)),
    what: 'a webhook signing secret',
  },
  {
    label: 'stored idempotent responses',
    table: 'idempotency_keys',
    idColumns: ['scope', 'key'],
    aadColumns: [],
    columns: {
      keyId: 'response_key_id',
      iv: 'response_iv',
      tag: 'response_tag',
      ciphertext: 'response_ciphertext',
    },
    aad: (r) => idempotencyAad(text(r.scope), text(r.key)),
    what: 'a stored idempotent response',
  },
];

/** Where the sealed records stand against the configured keys. */
export interface EncryptionCensus {
  /** The configured key ids, newest (the one that seals) first. */
  keys: string[];
  /** Records under a configured key other than the newest: `npm run keys:rotate` re-seals them. */
  recordsUnderOlderKeys: number;
  /** Records under keys that are not configured: unreadable until that key is configured again. */
  recordsUnderMissingKeys: number;
  /** The ids of those missing keys. */
  missingKeys: string[];
}

/** Counts the sealed records per key: one grouped query over the key id indexes. */
export class SealedRecordCensus {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SealedBox,
  ) {}

  async take(): Promise<EncryptionCensus> {
    const union = SEALED_TABLES.map(
      (t) =>
        `select ${t.columns.keyId} as key_id, count(*)::int as n from ${t.table}
         where ${t.columns.keyId} is not null group by ${t.columns.keyId}`,
    ).join(' union all ');
    const rows = await execute<{ key_id: string; n: number }>(this.em, union);
    const census: EncryptionCensus = {
      keys: this.box.keyIds,
      recordsUnderOlderKeys: 0,
      recordsUnderMissingKeys: 0,
      missingKeys: [],
    };
    for (const { key_id: keyId, n } of rows) {
      if (keyId === this.box.currentKeyId) continue;
      if (this.box.has(keyId)) {
        census.recordsUnderOlderKeys += Number(n);
      } else {
        census.recordsUnderMissingKeys += Number(n);
        if (!census.missingKeys.includes(keyId)) census.missingKeys.push(keyId);
      }
    }
    census.missingKeys.sort();
    return census;
  }
}

export interface RotationOptions {
  /** Records re-sealed per transaction. */
  batchSize: number;
  /** Told after each batch: the table's label and how many of its records are re-sealed so far. */
  onProgress?: (label: string, resealed: number) => void;
  /** How long to wait for rows that stay locked by the running service before giving up on them. */
  lockWaitMs?: number;
}

export interface TableRotation {
  label: string;
  resealed: number;
  /** Records that a configured key fails to open (altered, or moved from another row): left as they are. */
  corrupt: string[];
  /** Records still under an older key at the end (locked by the service throughout): run again. */
  left: number;
}

export interface RotationReport {
  currentKey: string;
  olderKeys: string[];
  tables: TableRotation[];
  /** After the rotation: what /health reports. */
  census: EncryptionCensus;
}

/**
 * Re-seals, under the newest key, every record sealed under an older configured key. Batches of rows are
 * taken with `for update skip locked` and updated only where they still hold the value read, so a value
 * the running service writes meanwhile (sealed under the newest key anyway) is never overwritten. Resumable:
 * what is done stays done, and a second run continues with what is left.
 */
export async function rotateSealedRecords(
  em: EntityManager,
  box: SealedBox,
  options: RotationOptions,
): Promise<RotationReport> {
  const olderKeys = box.keyIds.slice(1);
  const tables: TableRotation[] = [];
  for (const table of SEALED_TABLES) {
    tables.push(
      olderKeys.length === 0 ? empty(table) : await rotateTable(em, box, table, olderKeys, options),
    );
  }
  const census = await new SealedRecordCensus(em, box).take();
  return { currentKey: box.currentKeyId, olderKeys, tables, census };
}

function empty(table: SealedTable): TableRotation {
  return { label: table.label, resealed: 0, corrupt: [], left: 0 };
}

async function rotateTable(
  em: EntityManager,
  box: SealedBox,
  table: SealedTable,
  olderKeys: string[],
  options: RotationOptions,
): Promise<TableRotation> {
  const result = empty(table);
  const corrupt = new Set<string>();
  const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
  // Passes over the table in primary-key order; rows locked by the service during one pass are taken by
  // the next, until a pass finds nothing it can do.
  for (;;) {
    const resealed = await rotationPass(em, box, table, olderKeys, options, corrupt, result);
    result.left = (await underOlderKeys(em, table, olderKeys)) - corrupt.size;
    if (result.left <= 0 || (resealed === 0 && Date.now() > deadline)) break;
    if (resealed === 0) await new Promise((r) => setTimeout(r, 200));
  }
  result.left = Math.max(0, result.left);
  result.corrupt = [...corrupt];
  return result;
}

async function rotationPass(
  em: EntityManager,
  box: SealedBox,
  table: SealedTable,
  olderKeys: string[],
  options: RotationOptions,
  corrupt: Set<string>,
  result: TableRotation,
): Promise<number> {
  const { keyId, iv, tag, ciphertext } = table.columns;
  const ids = table.idColumns;
  const selected = [...ids, ...table.aadColumns, keyId, iv, tag, ciphertext].join(', ');
  const keyList = olderKeys.map(() => '?').join(', ');
  let after: unknown[] | null = null;
  let resealed = 0;
  for (;;) {
    const from: unknown[] | null = after;
    const count = await em.transactional(async (tx) => {
      const rows = await execute<Row>(
        tx,
        `select ${selected} from ${table.table} where ${keyId} in (${keyList})
         ${from ? `and (${ids.join(', ')}) > (${ids.map(() => '?').join(', ')})` : ''}
         order by ${ids.join(', ')} limit ? for update skip locked`,
        [...olderKeys, ...(from ?? []), options.batchSize],
      );
      let done = 0;
      for (const row of rows) {
        const aad = table.aad(row);
        const sealed = sealedFrom({
          keyId: row[keyId] as string,
          iv: row[iv] as Buffer,
          tag: row[tag] as Buffer,
          ciphertext: row[ciphertext] as Buffer,
        });
        let plain: string;
        try {
          plain = box.open(sealed, aad, table.what);
        } catch (error) {
          if (!(error instanceof SealedValueCorrupt)) throw error;
          corrupt.add(ids.map((c) => text(row[c])).join(' '));
          continue;
        }
        const fresh = box.seal(plain, aad);
        await execute(
          tx,
          `update ${table.table} set ${keyId} = ?, ${iv} = ?, ${tag} = ?, ${ciphertext} = ?
           where ${ids.map((c) => `${c} = ?`).join(' and ')} and ${keyId} = ? and ${iv} = ?`,
          [
            fresh.keyId,
            fresh.iv,
            fresh.tag,
            fresh.ciphertext,
            ...ids.map((c) => row[c]),
            sealed.keyId,
            sealed.iv,
          ],
        );
        done++;
      }
      const last = rows[rows.length - 1];
      after = last ? ids.map((c) => last[c]) : null;
      return { rows: rows.length, done };
    });
    resealed += count.done;
    result.resealed += count.done;
    if (count.done > 0) options.onProgress?.(table.label, result.resealed);
    if (count.rows < options.batchSize) return resealed;
  }
}

async function underOlderKeys(em: EntityManager, table: SealedTable, olderKeys: string[]): Promise<number> {
  const [row] = await execute<{ n: number }>(
    em,
    `select count(*)::int as n from ${table.table} where ${table.columns.keyId} in (${olderKeys.map(() => '?').join(', ')})`,
    olderKeys,
  );
  return Number(row?.n ?? 0);
}
