import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * The RabbitMQ side of event delivery (topic exchange `ehrms.events`) when AMQP_URL is set.
 * Without it, events are delivered in-process only.
 */
@Injectable()
export class EventBroker implements OnApplicationShutdown {
  readonly enabled: boolean;
  connected = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.enabled = !!config.AMQP_URL;
  }

  async onApplicationShutdown(): Promise<void> {
    this.connected = false;
  }
}
