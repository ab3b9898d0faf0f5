import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../platform/auth/current-principal.js';
import { RequirePermission } from '../../platform/auth/decorators.js';
import type { Principal } from '../../platform/auth/principal.js';
import { versionFromIfMatch, withEtag } from '../../platform/http/optimistic-concurrency.js';
import { Doc } from '../../platform/http/route-catalog.js';
import { ChartService } from './chart.service.js';
import { ClientIdParams } from './clients.dto.js';
import {
  AddressIdParams,
  AddressListQuery,
  AddressListResponse,
  AddressResponse,
  AliasIdParams,
  AliasListResponse,
  AliasResponse,
  ChartResponse,
  ContactIdParams,
  ContactListResponse,
  ContactResponse,
  CreateAddressBody,
  CreateAliasBody,
  CreateContactBody,
  CreateEmailBody,
  CreatePhoneBody,
  EmailIdParams,
  EmailListResponse,
  EmailResponse,
  EndAddressBody,
  EndContactBody,
  PatchAddressBody,
  PatchAliasBody,
  PatchContactBody,
  PatchEmailBody,
  PatchPhoneBody,
  PhoneIdParams,
  PhoneListResponse,
  PhoneResponse,
} from './details.dto.js';
import { DetailsService } from './details.service.js';
import { withRedisclosureNotice } from './part2.js';

type IdParams = z.output<typeof ClientIdParams>;
const PHI = { resource: 'clients.clients', phi: true } as const;
const READ = 'clients.clients.read';
const WRITE = 'clients.clients.write';

/**
 * A client's chart header and details: aliases, addresses (with history), phones, emails,
 * contacts and guardians. Every route is audited as PHI against the client id.
 */
@Controller('api/v1/clients')
export class DetailsController {
  constructor(
    private readonly details: DetailsService,
    private readonly charts: ChartService,
  ) {}

  @Get(':id/chart')
  @RequirePermission(READ, PHI)
  @Doc({
    summary: 'The client with aliases, current addresses, phones, emails, contacts, coverages and enrolments',
    response: ChartResponse,
  })
  async chart(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const chart = await this.charts.chart(me, params.id);
    withRedisclosureNotice(reply, chart.enrollments);
    return chart;
  }

  // Aliases -------------------------------------------------------------------------------------

  @Get(':id/aliases')
  @RequirePermission(READ, PHI)
  @Doc({ summary: 'Other names the client is or was known by', response: AliasListResponse })
  async aliases(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return { items: await this.details.aliases(me, params.id) };
  }

  @Post(':id/aliases')
  @RequirePermission(WRITE, PHI)
  @Doc({
    summary: 'Add an alias (maiden, nickname, prior legal or other name)',
    response: AliasResponse,
    status: 201,
  })
  async addAlias(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateAliasBody }) body: CreateAliasBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.details.addAlias(me, params.id, body));
  }

  @Patch(':id/aliases/:aliasId')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Correct an alias (If-Match required)', response: AliasResponse })
  async patchAlias(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: AliasIdParams }) params: z.output<typeof AliasIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchAliasBody }) body: PatchAliasBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.patchAlias(me, params.id, params.aliasId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Delete(':id/aliases/:aliasId')
  @HttpCode(204)
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Remove an alias (kept for the record; If-Match required)' })
  async removeAlias(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: AliasIdParams }) params: z.output<typeof AliasIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    await this.details.removeAlias(me, params.id, params.aliasId, versionFromIfMatch(ifMatch));
  }

  // Addresses -----------------------------------------------------------------------------------

  @Get(':id/addresses')
  @RequirePermission(READ, PHI)
  @Doc({ summary: 'Addresses with their history (or only those valid today)', response: AddressListResponse })
  async addresses(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Query({ schema: AddressListQuery }) query: AddressListQuery,
  ) {
    return { items: await this.details.addresses(me, params.id, query.current === 'true') };
  }

  @Post(':id/addresses')
  @RequirePermission(WRITE, PHI)
  @Doc({
    summary: 'Add an address; the current one of the same type ends the day before',
    response: AddressResponse,
    status: 201,
  })
  async addAddress(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateAddressBody }) body: CreateAddressBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.details.addAddress(me, params.id, body));
  }

  @Patch(':id/addresses/:addressId')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: "Correct an address's lines (If-Match required)", response: AddressResponse })
  async patchAddress(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: AddressIdParams }) params: z.output<typeof AddressIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchAddressBody }) body: PatchAddressBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.patchAddress(me, params.id, params.addressId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Post(':id/addresses/:addressId/end')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'End an address (If-Match required)', response: AddressResponse })
  async endAddress(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: AddressIdParams }) params: z.output<typeof AddressIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: EndAddressBody }) body: EndAddressBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.endAddress(
        me,
        params.id,
        params.addressId,
        versionFromIfMatch(ifMatch),
        body.validTo,
      ),
    );
  }

  // Phones --------------------------------------------------------------------------------------

  @Get(':id/phones')
  @RequirePermission(READ, PHI)
  @Doc({ summary: "The client's phone numbers, primary first", response: PhoneListResponse })
  async phones(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return { items: await this.details.phones(me, params.id) };
  }

  @Post(':id/phones')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Add a phone number (stored as E.164)', response: PhoneResponse, status: 201 })
  async addPhone(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreatePhoneBody }) body: CreatePhoneBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.details.addPhone(me, params.id, body));
  }

  @Patch(':id/phones/:phoneId')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Change a phone number or its use (If-Match required)', response: PhoneResponse })
  async patchPhone(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PhoneIdParams }) params: z.output<typeof PhoneIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchPhoneBody }) body: PatchPhoneBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.patchPhone(me, params.id, params.phoneId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Delete(':id/phones/:phoneId')
  @HttpCode(204)
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Remove a phone number (kept for the record; If-Match required)' })
  async removePhone(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: PhoneIdParams }) params: z.output<typeof PhoneIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    await this.details.removePhone(me, params.id, params.phoneId, versionFromIfMatch(ifMatch));
  }

  // Emails --------------------------------------------------------------------------------------

  @Get(':id/emails')
  @RequirePermission(READ, PHI)
  @Doc({ summary: "The client's email addresses, primary first", response: EmailListResponse })
  async emails(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return { items: await this.details.emails(me, params.id) };
  }

  @Post(':id/emails')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Add an email address', response: EmailResponse, status: 201 })
  async addEmail(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateEmailBody }) body: CreateEmailBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.details.addEmail(me, params.id, body));
  }

  @Patch(':id/emails/:emailId')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Change an email address (If-Match required)', response: EmailResponse })
  async patchEmail(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: EmailIdParams }) params: z.output<typeof EmailIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchEmailBody }) body: PatchEmailBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.patchEmail(me, params.id, params.emailId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Delete(':id/emails/:emailId')
  @HttpCode(204)
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Remove an email address (kept for the record; If-Match required)' })
  async removeEmail(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: EmailIdParams }) params: z.output<typeof EmailIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    await this.details.removeEmail(me, params.id, params.emailId, versionFromIfMatch(ifMatch));
  }

  // Contacts and guardians ----------------------------------------------------------------------

  @Get(':id/contacts')
  @RequirePermission(READ, PHI)
  @Doc({ summary: 'Contacts and guardians, current first', response: ContactListResponse })
  async contacts(@CurrentPrincipal() me: Principal, @Param({ schema: ClientIdParams }) params: IdParams) {
    return { items: await this.details.contacts(me, params.id) };
  }

  @Post(':id/contacts')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Add a contact or guardian', response: ContactResponse, status: 201 })
  async addContact(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ClientIdParams }) params: IdParams,
    @Body({ schema: CreateContactBody }) body: CreateContactBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(reply, await this.details.addContact(me, params.id, body));
  }

  @Patch(':id/contacts/:contactId')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'Change a contact or guardian (If-Match required)', response: ContactResponse })
  async patchContact(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ContactIdParams }) params: z.output<typeof ContactIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: PatchContactBody }) body: PatchContactBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.patchContact(me, params.id, params.contactId, versionFromIfMatch(ifMatch), body),
    );
  }

  @Post(':id/contacts/:contactId/end')
  @RequirePermission(WRITE, PHI)
  @Doc({ summary: 'End a contact or guardianship (If-Match required)', response: ContactResponse })
  async endContact(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: ContactIdParams }) params: z.output<typeof ContactIdParams>,
    @Headers('if-match') ifMatch: string | undefined,
    @Body({ schema: EndContactBody }) body: EndContactBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withEtag(
      reply,
      await this.details.endContact(
        me,
        params.id,
        params.contactId,
        versionFromIfMatch(ifMatch),
        body.validTo,
      ),
    );
  }
}
