import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DATABASE, type DatabaseHandle } from '../database/database.js';
import { OutboxDispatcher } from '../events/outbox-dispatcher.js';

/** The process's Prometheus registry and the metrics the platform itself records. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly auditRows: Counter<'outcome'>;

  constructor(@Inject(DATABASE) database: DatabaseHandle, outbox: OutboxDispatcher) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.auditRows = new Counter({
      name: 'audit_rows_total',
      help: 'Audit rows written, by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    const pool = new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const s = database.poolStats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    void pool;
    new Gauge({
      name: 'event_outbox_lag_seconds',
      help: 'Age of the oldest event not yet delivered',
      registers: [this.registry],
      async collect() {
        this.set(await outbox.lagSeconds());
      },
    });
  }
}
