import { z } from 'zod';

export const CreateServiceAccountBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  roles: z.array(z.string().min(1).max(64)).min(1).max(20),
});
export const ServiceAccountResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    clientId: z.string(),
    agencyId: z.uuid(),
    roles: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: 'ServiceAccount' });
export const ServiceAccountCreatedResponse = z.object({
  id: z.uuid(),
  clientId: z.string(),
  clientSecret: z.string(),
});
export const ServiceAccountListResponse = z.object({ items: z.array(ServiceAccountResponse) });
