import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.js';
import { RequirePermission } from '../../../platform/auth/decorators.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { Doc } from '../../../platform/http/route-catalog.js';
import { withRedisclosureNotice } from '../../clients/part2.js';
import { BedBoard } from './bed-board.service.js';
import {
  BoardResponse,
  CensusQuery,
  CensusResponse,
  CreateBedBody,
  CreatedBedResponse,
  CreateFacilityBody,
  CreateRoomBody,
  CreateUnitBody,
  FacilityIdParams,
  FacilityListResponse,
  FacilityResponse,
  RoomResponse,
  UnitResponse,
} from './beds.dto.js';
import { BedCensus } from './census.js';
import { FacilitiesService } from './facilities.service.js';
import { BEDS_READ, FACILITIES_MANAGE } from './facility-access.js';

type IdParams = z.output<typeof FacilityIdParams>;

/** Facilities with their layout, their live bed board and census. */
@Controller('api/v1/scheduling/facilities')
export class FacilitiesController {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly board: BedBoard,
    private readonly census: BedCensus,
  ) {}

  @Get()
  @RequirePermission(BEDS_READ, { resource: 'scheduling.facilities' })
  @Doc({ summary: 'Facilities whose bed board the caller may open', response: FacilityListResponse })
  async list(@CurrentPrincipal() me: Principal) {
    return { items: await this.facilities.list(me) };
  }

  @Post()
  @RequirePermission(FACILITIES_MANAGE, { resource: 'scheduling.facilities' })
  @Doc({
    summary: 'Add a facility (residential, crisis or inpatient site) to a program',
    response: FacilityResponse,
    status: 201,
  })
  create(@CurrentPrincipal() me: Principal, @Body({ schema: CreateFacilityBody }) body: CreateFacilityBody) {
    return this.facilities.create(me, body);
  }

  @Get(':id')
  @RequirePermission(BEDS_READ, { resource: 'scheduling.facilities' })
  @Doc({ summary: 'One facility', response: FacilityResponse })
  get(@CurrentPrincipal() me: Principal, @Param({ schema: FacilityIdParams }) params: IdParams) {
    return this.facilities.get(me, params.id);
  }

  @Post(':id/units')
  @RequirePermission(FACILITIES_MANAGE, { resource: 'scheduling.facilities' })
  @Doc({ summary: 'Add a unit with its level of care', response: UnitResponse, status: 201 })
  addUnit(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: IdParams,
    @Body({ schema: CreateUnitBody }) body: CreateUnitBody,
  ) {
    return this.facilities.addUnit(me, params.id, body);
  }

  @Post(':id/rooms')
  @RequirePermission(FACILITIES_MANAGE, { resource: 'scheduling.facilities' })
  @Doc({
    summary: 'Add a room to a unit (gender restriction, accessibility)',
    response: RoomResponse,
    status: 201,
  })
  addRoom(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: IdParams,
    @Body({ schema: CreateRoomBody }) body: CreateRoomBody,
  ) {
    return this.facilities.addRoom(me, params.id, body);
  }

  @Post(':id/beds')
  @RequirePermission(FACILITIES_MANAGE, { resource: 'scheduling.facilities' })
  @Doc({ summary: 'Add a bed to a room (it starts available)', response: CreatedBedResponse, status: 201 })
  addBed(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: IdParams,
    @Body({ schema: CreateBedBody }) body: CreateBedBody,
  ) {
    return this.facilities.addBed(me, params.id, body);
  }

  @Get(':id/board')
  @RequirePermission(BEDS_READ, { resource: 'scheduling.facilities', phi: true })
  @Doc({
    summary: 'The bed board of a facility',
    description:
      'Every bed by unit and room with its state, occupant and live hold. Names show only for clients the caller may read ' +
      "and, when the client's stay is 42 CFR Part 2 information (a Part 2 enrolment in the facility's program), may see " +
      'that; other occupied beds say the name is withheld. A board naming a Part 2 client carries redisclosureNotice.',
    response: BoardResponse,
  })
  async boardOf(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: IdParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return withRedisclosureNotice(reply, await this.board.board(me, params.id));
  }

  @Get(':id/census')
  @RequirePermission(BEDS_READ, { resource: 'scheduling.facilities' })
  @Doc({
    summary: 'Census and occupancy by unit and day',
    description:
      "Days in the agency's time zone, `from`..`to` inclusive (default: the seven days up to today); at most 93 days. Occupancy is the midnight census.",
    response: CensusResponse,
  })
  censusOf(
    @CurrentPrincipal() me: Principal,
    @Param({ schema: FacilityIdParams }) params: IdParams,
    @Query({ schema: CensusQuery }) query: CensusQuery,
  ) {
    return this.census.census(me, params.id, query);
  }
}
