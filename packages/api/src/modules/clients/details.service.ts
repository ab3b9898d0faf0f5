import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../platform/auth/principal.js';
import { Problems } from '../../platform/errors/problem.js';
import { publishEvent } from '../../platform/events/events.js';
import { AgencyClock } from '../../platform/time/agency-clock.js';
import { ClientAccess } from './client-access.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import { ClientsTopics, type ClientUpdatedEvent } from './clients.events.js';
import type { ClientRow } from './clients.repository.js';
import { READ, WRITE } from './clients.service.js';
import type {
  AddressView,
  AliasView,
  ContactView,
  CreateAddressBody,
  CreateAliasBody,
  CreateContactBody,
  CreateEmailBody,
  CreatePhoneBody,
  EmailView,
  PatchAddressBody,
  PatchAliasBody,
  PatchContactBody,
  PatchEmailBody,
  PatchPhoneBody,
  PhoneView,
} from './details.dto.js';
import {
  DetailsRepository,
  type AddressChanges,
  type ContactChanges,
  type EmailChanges,
  type PhoneChanges,
} from './details.repository.js';
import { toAddressView, toAliasView, toContactView, toEmailView, toPhoneView } from './details.views.js';

/** Which part of the record a detail write changed, as `clients.client.updated` names it. */
export type DetailKind = 'aliases' | 'addresses' | 'phones' | 'emails' | 'contacts' | 'coverages';

/**
 * A client's aliases, addresses (with history: a new address of a type ends the current one of
 * that type the day before), phones and emails (one primary of each), and contacts and
 * guardians. Reads need `clients.clients.read` on the client, writes `clients.clients.write`.
 */
@Injectable()
export class DetailsService {
  constructor(
    private readonly database: ClientsDatabase,
    private readonly details: DetailsRepository,
    private readonly access: ClientAccess,
    private readonly clock: AgencyClock,
  ) {}

  // Aliases -------------------------------------------------------------------------------------

  async aliases(principal: Principal, clientId: string): Promise<AliasView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    return (await this.details.aliasesOf(client.id)).map(toAliasView);
  }

  async addAlias(principal: Principal, clientId: string, body: CreateAliasBody): Promise<AliasView> {
    const id = randomUUID();
    await this.write(principal, clientId, 'aliases', async (client, trx) => {
      await this.details.insertAlias({ id, client_id: client.id, ...body, created_by: principal.id }, trx);
    });
    return toAliasView(await this.found(this.details.findAlias(id), 'alias'));
  }

  async patchAlias(
    principal: Principal,
    clientId: string,
    aliasId: string,
    version: number,
    body: PatchAliasBody,
  ): Promise<AliasView> {
    await this.write(principal, clientId, 'aliases', async (client, trx) => {
      const row = await this.details.findAlias(aliasId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('alias');
      if (row.version !== version || !(await this.details.updateAlias(aliasId, body, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return toAliasView(await this.found(this.details.findAlias(aliasId), 'alias'));
  }

  async removeAlias(principal: Principal, clientId: string, aliasId: string, version: number): Promise<void> {
    await this.write(principal, clientId, 'aliases', async (client, trx) => {
      const row = await this.details.findAlias(aliasId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('alias');
      if (
        row.version !== version ||
        !(await this.details.updateAlias(aliasId, { ended_at: new Date() }, version, trx))
      ) {
        throw Problems.preconditionFailed();
      }
    });
  }

  // Addresses -----------------------------------------------------------------------------------

  async addresses(principal: Principal, clientId: string, currentOnly: boolean): Promise<AddressView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    const day = this.clock.today();
    return (await this.details.addressesOf(client.id, currentOnly ? day : undefined)).map((r) =>
      toAddressView(r, day),
    );
  }

  /**
   * Adds an address. The client's open address of the same type ends the day before the new one
   * starts, so each type has one current address and the old ones stay as history.
   */
  async addAddress(principal: Principal, clientId: string, body: CreateAddressBody): Promise<AddressView> {
    const id = randomUUID();
    const validFrom = body.validFrom ?? this.clock.today();
    await this.write(principal, clientId, 'addresses', async (client, trx) => {
      const previous = await this.details.addressesReaching(client.id, body.type, validFrom, trx);
      const dayBefore = addDays(validFrom, -1);
      for (const row of previous) {
        if (row.valid_to !== null || row.valid_from > dayBefore) {
          throw Problems.conflict(
            `The client has a ${body.type} address valid from ${row.valid_from}` +
              `${row.valid_to ? ` to ${row.valid_to}` : ''}; a new one must start after it. Correct or end that address instead.`,
          );
        }
        if (!(await this.details.updateAddress(row.id, { valid_to: dayBefore }, row.version, trx))) {
          throw Problems.preconditionFailed();
        }
      }
      await this.details.insertAddress(
        {
          id,
          client_id: client.id,
          type: body.type,
          line1: body.line1,
          line2: body.line2,
          city: body.city,
          state: body.state,
          postal_code: body.postalCode,
          county: body.county,
          valid_from: validFrom,
          created_by: principal.id,
        },
        trx,
      );
    });
    return this.addressView(id);
  }

  /** Corrects an address's lines (a move is a new address, not a change of this one). */
  async patchAddress(
    principal: Principal,
    clientId: string,
    addressId: string,
    version: number,
    body: PatchAddressBody,
  ): Promise<AddressView> {
    const changes: AddressChanges = {};
    if (body.line1 !== undefined) changes.line1 = body.line1;
    if (body.line2 !== undefined) changes.line2 = body.line2;
    if (body.city !== undefined) changes.city = body.city;
    if (body.state !== undefined) changes.state = body.state;
    if (body.postalCode !== undefined) changes.postal_code = body.postalCode;
    if (body.county !== undefined) changes.county = body.county;
    await this.write(principal, clientId, 'addresses', async (client, trx) => {
      const row = await this.details.findAddress(addressId, trx);
      if (row?.client_id !== client.id) throw Problems.notFound('address');
      if (row.version !== version || !(await this.details.updateAddress(addressId, changes, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.addressView(addressId);
  }

  async endAddress(
    principal: Principal,
    clientId: string,
    addressId: string,
    version: number,
    validTo: string,
  ): Promise<AddressView> {
    await this.write(principal, clientId, 'addresses', async (client, trx) => {
      const row = await this.details.findAddress(addressId, trx);
      if (row?.client_id !== client.id) throw Problems.notFound('address');
      if (row.version !== version) throw Problems.preconditionFailed();
      if (row.valid_to !== null) throw Problems.conflict('This address has already ended.');
      if (validTo < row.valid_from) {
        throw Problems.validation([
          { field: 'body.validTo', message: 'An address cannot end before it starts.' },
        ]);
      }
      if (!(await this.details.updateAddress(addressId, { valid_to: validTo }, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.addressView(addressId);
  }

  // Phones --------------------------------------------------------------------------------------

  async phones(principal: Principal, clientId: string): Promise<PhoneView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    return (await this.details.phonesOf(client.id)).map(toPhoneView);
  }

  async addPhone(principal: Principal, clientId: string, body: CreatePhoneBody): Promise<PhoneView> {
    const id = randomUUID();
    await this.write(principal, clientId, 'phones', async (client, trx) => {
      if (body.primary) await this.details.clearPrimaryPhone(client.id, trx);
      await this.details.insertPhone(
        {
          id,
          client_id: client.id,
          type: body.type,
          number: body.number,
          sms_ok: body.smsOk,
          is_primary: body.primary,
          created_by: principal.id,
        },
        trx,
      );
    });
    return toPhoneView(await this.found(this.details.findPhone(id), 'phone'));
  }

  async patchPhone(
    principal: Principal,
    clientId: string,
    phoneId: string,
    version: number,
    body: PatchPhoneBody,
  ): Promise<PhoneView> {
    const changes: PhoneChanges = {};
    if (body.type !== undefined) changes.type = body.type;
    if (body.number !== undefined) changes.number = body.number;
    if (body.smsOk !== undefined) changes.sms_ok = body.smsOk;
    if (body.primary !== undefined) changes.is_primary = body.primary;
    await this.write(principal, clientId, 'phones', async (client, trx) => {
      const row = await this.details.findPhone(phoneId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('phone');
      if (row.version !== version) throw Problems.preconditionFailed();
      if (body.primary && !row.is_primary) await this.details.clearPrimaryPhone(client.id, trx);
      if (!(await this.details.updatePhone(phoneId, changes, version, trx)))
        throw Problems.preconditionFailed();
    });
    return toPhoneView(await this.found(this.details.findPhone(phoneId), 'phone'));
  }

  async removePhone(principal: Principal, clientId: string, phoneId: string, version: number): Promise<void> {
    await this.write(principal, clientId, 'phones', async (client, trx) => {
      const row = await this.details.findPhone(phoneId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('phone');
      const removed = { ended_at: new Date(), is_primary: false };
      if (row.version !== version || !(await this.details.updatePhone(phoneId, removed, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
  }

  // Emails --------------------------------------------------------------------------------------

  async emails(principal: Principal, clientId: string): Promise<EmailView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    return (await this.details.emailsOf(client.id)).map(toEmailView);
  }

  async addEmail(principal: Principal, clientId: string, body: CreateEmailBody): Promise<EmailView> {
    const id = randomUUID();
    await this.write(principal, clientId, 'emails', async (client, trx) => {
      if (body.primary) await this.details.clearPrimaryEmail(client.id, trx);
      await this.details.insertEmail(
        {
          id,
          client_id: client.id,
          type: body.type,
          address: body.address,
          is_primary: body.primary,
          created_by: principal.id,
        },
        trx,
      );
    });
    return toEmailView(await this.found(this.details.findEmail(id), 'email'));
  }

  async patchEmail(
    principal: Principal,
    clientId: string,
    emailId: string,
    version: number,
    body: PatchEmailBody,
  ): Promise<EmailView> {
    const changes: EmailChanges = {};
    if (body.type !== undefined) changes.type = body.type;
    if (body.address !== undefined) changes.address = body.address;
    if (body.primary !== undefined) changes.is_primary = body.primary;
    await this.write(principal, clientId, 'emails', async (client, trx) => {
      const row = await this.details.findEmail(emailId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('email');
      if (row.version !== version) throw Problems.preconditionFailed();
      if (body.primary && !row.is_primary) await this.details.clearPrimaryEmail(client.id, trx);
      if (!(await this.details.updateEmail(emailId, changes, version, trx)))
        throw Problems.preconditionFailed();
    });
    return toEmailView(await this.found(this.details.findEmail(emailId), 'email'));
  }

  async removeEmail(principal: Principal, clientId: string, emailId: string, version: number): Promise<void> {
    await this.write(principal, clientId, 'emails', async (client, trx) => {
      const row = await this.details.findEmail(emailId, trx);
      if (row?.client_id !== client.id || row.ended_at !== null) throw Problems.notFound('email');
      const removed = { ended_at: new Date(), is_primary: false };
      if (row.version !== version || !(await this.details.updateEmail(emailId, removed, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
  }

  // Contacts and guardians ----------------------------------------------------------------------

  async contacts(principal: Principal, clientId: string): Promise<ContactView[]> {
    const { client } = await this.access.require(principal, clientId, READ);
    const day = this.clock.today();
    return (await this.details.contactsOf(client.id)).map((r) => toContactView(r, day));
  }

  async addContact(principal: Principal, clientId: string, body: CreateContactBody): Promise<ContactView> {
    const id = randomUUID();
    const validFrom = body.validFrom ?? this.clock.today();
    if (body.validTo !== null && body.validTo < validFrom) {
      throw Problems.validation([
        { field: 'body.validTo', message: 'A contact cannot end before it starts.' },
      ]);
    }
    await this.write(principal, clientId, 'contacts', async (client, trx) => {
      await this.details.insertContact(
        {
          id,
          client_id: client.id,
          name: body.name,
          relationship: body.relationship,
          phone: body.phone,
          email: body.email,
          is_guardian: body.isGuardian,
          legal_authority: body.legalAuthority,
          can_receive_info: body.canReceiveInfo,
          valid_from: validFrom,
          valid_to: body.validTo,
          created_by: principal.id,
        },
        trx,
      );
    });
    return this.contactView(id);
  }

  async patchContact(
    principal: Principal,
    clientId: string,
    contactId: string,
    version: number,
    body: PatchContactBody,
  ): Promise<ContactView> {
    const changes: ContactChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.relationship !== undefined) changes.relationship = body.relationship;
    if (body.phone !== undefined) changes.phone = body.phone;
    if (body.email !== undefined) changes.email = body.email;
    if (body.isGuardian !== undefined) changes.is_guardian = body.isGuardian;
    if (body.legalAuthority !== undefined) changes.legal_authority = body.legalAuthority;
    if (body.canReceiveInfo !== undefined) changes.can_receive_info = body.canReceiveInfo;
    await this.write(principal, clientId, 'contacts', async (client, trx) => {
      const row = await this.details.findContact(contactId, trx);
      if (row?.client_id !== client.id) throw Problems.notFound('contact');
      if (row.version !== version) throw Problems.preconditionFailed();
      const isGuardian = changes.is_guardian ?? row.is_guardian;
      if (isGuardian && (changes.legal_authority ?? row.legal_authority) === 'none') {
        throw Problems.validation([
          {
            field: 'body.legalAuthority',
            message: 'A guardian holds a legal authority: name it (e.g. guardian_of_person).',
          },
        ]);
      }
      if (!(await this.details.updateContact(contactId, changes, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.contactView(contactId);
  }

  async endContact(
    principal: Principal,
    clientId: string,
    contactId: string,
    version: number,
    validTo: string,
  ): Promise<ContactView> {
    await this.write(principal, clientId, 'contacts', async (client, trx) => {
      const row = await this.details.findContact(contactId, trx);
      if (row?.client_id !== client.id) throw Problems.notFound('contact');
      if (row.version !== version) throw Problems.preconditionFailed();
      if (row.valid_to !== null && row.valid_to < this.clock.today()) {
        throw Problems.conflict('This contact has already ended.');
      }
      if (validTo < row.valid_from) {
        throw Problems.validation([
          { field: 'body.validTo', message: 'A contact cannot end before it starts.' },
        ]);
      }
      if (!(await this.details.updateContact(contactId, { valid_to: validTo }, version, trx))) {
        throw Problems.preconditionFailed();
      }
    });
    return this.contactView(contactId);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Runs a detail write for the client the caller may write: in one transaction that holds the
   * client row (so it cannot be merged meanwhile, and concurrent writes to its details queue),
   * announcing the change as `clients.client.updated`.
   */
  async write(
    principal: Principal,
    clientId: string,
    kind: DetailKind,
    work: (client: ClientRow, trx: ClientsDb) => Promise<void>,
  ): Promise<void> {
    const { client } = await this.access.require(principal, clientId, WRITE);
    await this.database.transaction(async (trx) => {
      const status = await this.details.lockClient(client.id, trx);
      if (status === undefined) throw Problems.notFound('client');
      if (status === 'merged')
        throw Problems.conflict('This record was merged; change the surviving record.');
      await work(client, trx);
      await publishEvent(trx, ClientsTopics.clientUpdated, {
        clientId: client.id,
        agencyId: client.agency_id,
        changed: [kind],
      } satisfies ClientUpdatedEvent);
    });
  }

  private async addressView(id: string): Promise<AddressView> {
    return toAddressView(await this.found(this.details.findAddress(id), 'address'), this.clock.today());
  }

  private async contactView(id: string): Promise<ContactView> {
    return toContactView(await this.found(this.details.findContact(id), 'contact'), this.clock.today());
  }

  private async found<T>(row: Promise<T | undefined>, what: string): Promise<T> {
    const value = await row;
    if (value === undefined) throw Problems.notFound(what);
    return value;
  }
}

/** 'YYYY-MM-DD' plus `days` (negative to go back). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
