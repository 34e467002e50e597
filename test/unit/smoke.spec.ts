import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM } from '@mikro-orm/pglite';
import request from 'supertest';
import { DomainError } from '@domain/shared/domain-error.js';

@Controller()
class H {
  @Get('/hi') hi() {
    return { ok: true };
  }
}
@Module({ controllers: [H] })
class M {}

test('stack', async () => {
  const app = await NestFactory.create<NestFastifyApplication>(M, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const r = await request(app.getHttpServer()).get('/hi');
  expect(r.body).toEqual({ ok: true });
  await app.close();
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const orm = await MikroORM.init({
    dbName: 'memory://',
    entities: [],
    discovery: { warnWhenNoEntities: false },
    driverOptions: { extensions: { btree_gist } },
  } as never);
  const res = await orm.em.getConnection().execute('create extension if not exists btree_gist');
  expect(res).toBeDefined();
  await orm.close();
  expect(new DomainError('A', 'b').code).toBe('A');
});
