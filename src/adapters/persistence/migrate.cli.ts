// `npm run db:migrate`: applies the checked-in migrations to the configured database and exits.
import { loadConfig } from '@config/env.schema.js';
import { createOrm, migrate } from './orm.js';

const config = loadConfig(process.env);
const orm = await createOrm(config.database);
try {
  const applied = await migrate(orm);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} finally {
  await orm.close();
}
