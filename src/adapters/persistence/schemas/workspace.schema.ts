// Table mappings for workspaces and API keys: plain records, mapped to and from the domain by hand.
import { EntitySchema } from '@mikro-orm/core';

export interface WorkspaceRecord {
  id: string;
  name: string;
  returnUrl: string;
  tenantId: string | null;
  reminderMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

export const WorkspaceSchema = new EntitySchema<WorkspaceRecord>({
  name: 'WorkspaceRecord',
  tableName: 'workspaces',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    returnUrl: { type: 'text' },
    tenantId: { type: 'text', nullable: true },
    reminderMinutes: { type: 'integer' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  hash: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKeyRecord>({
  name: 'ApiKeyRecord',
  tableName: 'api_keys',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    hash: { type: 'text' },
    prefix: { type: 'text' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    revokedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
