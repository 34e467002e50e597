// Webhook endpoints in PostgreSQL (server or PGlite). Signing secrets are sealed with the token-encryption
// keys (AES-256-GCM, the endpoint id as associated data), so a copy of the database cannot forge webhooks.
import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { WebhookEndpoint } from '@domain/webhook/webhook-endpoint.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  WebhookEndpointRepository,
  tooManyEndpoints,
} from '@application/ports/webhook-endpoint.repository.js';
import { toPage, type Page, type PageRequest } from '@application/shared/page.js';
import type { TokenCipher } from '../microsoft/entra/token-vault.js';
import { WebhookEndpointSchema, type WebhookEndpointRecord } from './schemas/webhook.schema.js';
import { isUuid } from './mikro-orm-member.repository.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';

const fresh = { disableIdentityMap: true } as const;

export class MikroOrmWebhookEndpointRepository extends WebhookEndpointRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: TokenCipher,
  ) {
    super();
  }

  async add(endpoint: WebhookEndpoint, limit: number): Promise<void> {
    const s = endpoint.toSnapshot();
    const sealed = this.cipher.encrypt(s.secret, aad(s.id));
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
    // Sealed under an older key that is still configured: reseal under the newest one.
    if (row.secretKeyId !== this.cipher.currentKeyId) {
      const sealed = this.cipher.encrypt(endpoint.secret, aad(id));
      await this.em.nativeUpdate(
        WebhookEndpointSchema,
        { id },
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
    const secret = this.cipher.decrypt(
      {
        keyId: row.secretKeyId,
        iv: Buffer.from(row.secretIv),
        tag: Buffer.from(row.secretTag),
        ciphertext: Buffer.from(row.secretCiphertext),
      },
      aad(row.id),
    );
    if (secret === null) {
      throw new Error(
        `The signing secret of webhook endpoint ${row.id} cannot be decrypted: its key is no longer configured.`,
      );
    }
    return WebhookEndpoint.fromSnapshot({
      id: row.id,
      workspaceId: row.workspaceId,
      url: row.url,
      events: typeof row.events === 'string' ? JSON.parse(row.events) : row.events,
      secret,
      createdAt: row.createdAt,
    });
  }
}

function aad(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
