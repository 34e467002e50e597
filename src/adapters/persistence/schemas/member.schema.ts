// Table mapping for members.
import { EntitySchema } from '@mikro-orm/core';

export interface MemberRecord {
  id: string;
  workspaceId: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
  microsoftUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MemberSchema = new EntitySchema<MemberRecord>({
  name: 'MemberRecord',
  tableName: 'members',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    email: { type: 'text' },
    displayName: { type: 'text' },
    role: { type: 'text' },
    status: { type: 'text' },
    microsoftUserId: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
