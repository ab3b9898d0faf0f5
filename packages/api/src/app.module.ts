import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import type { Feature } from './modules/registry.js';
import { AuditInterceptor } from './platform/audit/audit.interceptor.js';
import { AuthGuard } from './platform/auth/auth.guard.js';
import { ProblemFilter } from './platform/errors/problem.filter.js';
import { SchemaValidationPipe } from './platform/http/validation.pipe.js';
import { PlatformModule, type PlatformHandles } from './platform/platform.module.js';

/** The platform plus whichever feature modules this process runs (EHRMS_SERVICES). */
@Module({})
export class AppModule {
  static forRoot(handles: PlatformHandles, features: Feature[]): DynamicModule {
    return {
      module: AppModule,
      imports: [DiscoveryModule, PlatformModule.forRoot(handles), ...features.map((f) => f.module)],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useClass: SchemaValidationPipe },
      ],
    };
  }
}
