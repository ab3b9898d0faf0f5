import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCatalog, undeclaredRoutes } from '../../src/platform/http/route-catalog.js';
import { RequirePermission } from '../../src/platform/auth/decorators.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

@Controller('api/v1/example')
class CarelessController {
  @Get('declared')
  @RequirePermission('example.things.read')
  declared(): string {
    return 'ok';
  }

  @Get('forgotten')
  forgotten(): string {
    return 'leak';
  }
}

@Module({ imports: [DiscoveryModule], controllers: [CarelessController] })
class CarelessModule {}

describe('every route declares who may call it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('the running app has no route without @RequirePermission or @Public', () => {
    const routes = routeCatalog(t.app);
    expect(routes.length).toBeGreaterThan(3);
    expect(undeclaredRoutes(routes).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('a route that forgets to declare a permission is caught', async () => {
    const app = await NestFactory.create(CarelessModule, new FastifyAdapter(), { logger: false });
    await app.init();
    try {
      expect(undeclaredRoutes(routeCatalog(app)).map((r) => `${r.method} ${r.path}`)).toEqual([
        'GET /api/v1/example/forgotten',
      ]);
    } finally {
      await app.close();
    }
  });
});
