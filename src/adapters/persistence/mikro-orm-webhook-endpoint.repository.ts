// Webhook endpoints in PostgreSQL (server or PGlite). Signing secrets are sealed (SealedBox, the endpoint id
// as associated data), so a copy of the database cannot forge webhooks. An endpoint whose secret cannot be
// opened is still read (its secret null, with the reason): it must never block the listing or the dispatch.
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  WebhookEndpointRepository,
  tooManyEndpoints,
} from '@application/ports/webhook-endpoint.repository.js';
import { toPage, type Page, type PageRequest } from '@application/shared/page.js';
import {
  EncryptionKeyMissing,
  SealedValueCorrupt,
  sealedFrom,
  type SealedBox,
} from '../crypto/sealed-box.js';
import { WebhookEndpointSchema, type WebhookEndpointRecord } from './schemas/webhook.schema.js';
import { isUuid } from '@domain/shared/validation.js';
import { fresh } from './sql.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';

export class MikroOrmWebhookEndpointRepository extends WebhookEndpointRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SealedBox,
  ) {
    super();
  }

  async add(endpoint: WebhookEndpoint, limit: number): Promise<void> {
    const s = endpoint.toSnapshot();
    if (s.secret === null) throw new Error('a webhook endpoint is added with its secret');
    const sealed = this.box.seal(s.secret, webhookSecretAad(s.id));
    await this.em.transactional(async (em) => {
      const sql = em as unknown as SqlEntityManager;
      // The workspace row lock serialises this workspace's creates, so the count below cannot go stale.
      await sql.execute('select id from workspaces where id = ? for update', [s.workspaceId]);
      const [row] = await sql.execute<{ count: number }[]>(
        'select count(*)::int as count from webhook_endpoints where workspace_id = ?',
        [s.workspaceId],
      );
      if (Number(row?.count ?? 0) >= limit) throw DomainError.validation([tooManyEndpoints(limit)]);
      await em.insert(WebhookEndpointSchema, {
        id: s.id,
        workspaceId: s.workspaceId,
        url: s.url,
        events: s.events,
        secretKeyId: sealed.keyId,
        secretIv: sealed.iv,
        secretTag: sealed.tag,
        secretCiphertext: sealed.ciphertext,
        createdAt: s.createdAt,
      });
    });
  }

  async findById(workspaceId: string, id: string): Promise<WebhookEndpoint | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(WebhookEndpointSchema, { id, workspaceId }, fresh);
    if (!row) return null;
    const endpoint = this.toDomain(row);
    if (endpoint.secret !== null && row.secretKeyId !== this.box.currentKeyId) {
      // Sealed under an older key that is still configured: re-seal under the newest one (unless it changed).
      const sealed = this.box.seal(endpoint.secret, webhookSecretAad(id));
      await this.em.nativeUpdate(
        WebhookEndpointSchema,
        { id, secretKeyId: row.secretKeyId, secretIv: Buffer.from(row.secretIv) },
        {
          secretKeyId: sealed.keyId,
          secretIv: sealed.iv,
          secretTag: sealed.tag,
          secretCiphertext: sealed.ciphertext,
        },
      );
    }
    return endpoint;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    const rows = await this.em.find(
      WebhookEndpointSchema,
      pagedWhere({ workspaceId }, page),
      pagedOptions(page),
    );
    return toPage(rows, page.limit, (row) => this.toDomain(row));
  }

  async subscribedTo(workspaceId: string, eventType: string): Promise<WebhookEndpoint[]> {
    const rows = await this.em.find(
      WebhookEndpointSchema,
      { workspaceId },
      { ...fresh, orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    // At most a few dozen per workspace: the domain decides what a subscription matches.
    return rows.map((row) => this.toDomain(row)).filter((e) => e.subscribesTo(eventType));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.em.nativeDelete(WebhookEndpointSchema, { id, workspaceId })) > 0;
  }

  private toDomain(row: WebhookEndpointRecord): WebhookEndpoint {
    let secret: string | null = null;
    let secretProblem: string | undefined;
    try {
      secret = this.box.open(
        sealedFrom({
          keyId: row.secretKeyId,
          iv: row.secretIv,
          tag: row.secretTag,
          ciphertext: row.secretCiphertext,
        }),
        webhookSecretAad(row.id),
        'the signing secret of this endpoint',
      );
    } catch (error) {
      if (!(error instanceof EncryptionKeyMissing || error instanceof SealedValueCorrupt)) throw error;
      secretProblem = error.message;
    }
    return WebhookEndpoint.fromSnapshot({
      id: row.id,
      workspaceId: row.workspaceId,
      url: row.url,
      events: typeof row.events === 'string' ? JSON.parse(row.events) : row.events,
      secret,
      ...(secretProblem === undefined ? {} : { secretProblem }),
      createdAt: row.createdAt,
    });
  }
}

/** The endpoint id as associated data: a sealed secret cannot be moved to another endpoint. */
export function webhookSecretAad(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
