import type { NewConsent } from './consents.repository.js';
import type { NewCoverage } from './coverages.repository.js';
import { DEMO_CLIENTS } from './demo.js';
import type { NewAddress, NewContact, NewEmail, NewPhone } from './details.repository.js';

/**
 * The demo clients' details (SEED_DEMO_DATA): addresses (one moved house), phones, emails,
 * contacts and a minor's guardian, coverages (Wisconsin Medicaid for most, one who moved to an
 * employer plan) and general consents. Fixed ids and dates; names, numbers and addresses are
 * synthetic (555-01xx phone numbers, example.org mail). No Part 2 data: the demo agency has no
 * substance use disorder program.
 */
const demoId = (suffix: string) => `0de70000-0000-4000-8000-0000000${suffix}`;
const clientId = (givenName: string) => {
  const client = DEMO_CLIENTS.find((c) => c.givenName === givenName);
  if (!client) throw new Error(`no demo client ${givenName}`);
  return client.id;
};
const maria = clientId('Maria');
const james = clientId('James');
const lee = clientId('Lee');

type Omitted = 'client_id' | 'created_by';
type Address = Omit<NewAddress, Omitted>;
type Phone = Omit<NewPhone, Omitted>;
type Email = Omit<NewEmail, Omitted>;
type Contact = Omit<NewContact, Omitted>;
/** A coverage with its member id in the clear; the seed seals it as CoveragesService does. */
type Coverage = Omit<
  NewCoverage,
  Omitted | 'member_id_ciphertext' | 'member_id_index' | 'member_id_last4'
> & {
  memberId: string;
};
type Consent = Omit<NewConsent, Omitted>;

export interface DemoClientDetails {
  clientId: string;
  addresses: Address[];
  phones: Phone[];
  emails: Email[];
  contacts: Contact[];
  coverages: Coverage[];
  consents: Consent[];
}

const madison = { city: 'Madison', state: 'WI', county: 'Dane' };
const wisconsinMedicaid = {
  payer: 'medicaid',
  payer_name: 'Wisconsin Medicaid',
  plan_name: 'BadgerCare Plus',
} as const;

export const DEMO_ADDRESS_IDS = {
  mariaFormer: demoId('dd101'),
  mariaHome: demoId('dd102'),
} as const;

export const DEMO_CLIENT_DETAILS: readonly DemoClientDetails[] = [
  {
    clientId: maria,
    addresses: [
      {
        id: DEMO_ADDRESS_IDS.mariaFormer,
        type: 'home',
        line1: '815 E Johnson St',
        line2: 'Apt 3',
        ...madison,
        postal_code: '53703',
        valid_from: '2021-05-01',
        valid_to: '2025-08-31',
      },
      {
        id: DEMO_ADDRESS_IDS.mariaHome,
        type: 'home',
        line1: '310 N Fair Oaks Ave',
        line2: 'Apt 4',
        ...madison,
        postal_code: '53714',
        valid_from: '2025-09-01',
        valid_to: null,
      },
    ],
    phones: [{ id: demoId('dd201'), type: 'mobile', number: '+16085550141', sms_ok: true, is_primary: true }],
    emails: [
      { id: demoId('dd301'), type: 'personal', address: 'maria.hernandez@example.org', is_primary: true },
    ],
    contacts: [
      {
        id: demoId('dd401'),
        name: 'Rosa Hernandez',
        relationship: 'sibling',
        phone: '+16085550118',
        email: null,
        is_guardian: false,
        legal_authority: 'none',
        can_receive_info: true,
        valid_from: '2026-01-05',
      },
    ],
    coverages: [
      {
        id: demoId('dd501'),
        ...wisconsinMedicaid,
        memberId: '4000000001',
        group_number: null,
        priority: 'primary',
        start_date: '2025-07-01',
        end_date: '2027-06-30',
      },
    ],
    consents: [],
  },
  {
    clientId: james,
    addresses: [
      {
        id: demoId('dd103'),
        type: 'home',
        line1: '2530 Allied Dr',
        line2: null,
        ...madison,
        postal_code: '53711',
        valid_from: '2024-03-01',
        valid_to: null,
      },
    ],
    phones: [
      { id: demoId('dd202'), type: 'mobile', number: '+16085550172', sms_ok: false, is_primary: true },
      { id: demoId('dd203'), type: 'work', number: '+16085550199', sms_ok: false, is_primary: false },
    ],
    emails: [
      { id: demoId('dd302'), type: 'personal', address: 'james.thompson@example.org', is_primary: true },
    ],
    contacts: [
      {
        id: demoId('dd402'),
        name: 'Denise Thompson',
        relationship: 'parent',
        phone: '+16085550177',
        email: null,
        is_guardian: false,
        legal_authority: 'none',
        can_receive_info: false,
        valid_from: '2026-10-26',
      },
    ],
    coverages: [
      {
        id: demoId('dd502'),
        ...wisconsinMedicaid,
        memberId: '4000000002',
        group_number: null,
        priority: 'primary',
        start_date: '2025-01-01',
        end_date: '2026-06-30',
      },
      {
        id: demoId('dd503'),
        payer: 'private',
        payer_name: 'Quartz Health Solutions',
        memberId: 'QHS88812345',
        group_number: 'GRP-20417',
        plan_name: 'Quartz Choice PPO',
        priority: 'primary',
        start_date: '2026-07-01',
        end_date: null,
      },
    ],
    consents: [
      {
        id: demoId('dd601'),
        kind: 'general',
        recipient_type: 'organization',
        recipient_id: null,
        recipient_name: 'Access Community Health Centers (primary care)',
        purposes: ['TREAT'],
        categories: ['mental_health', 'case_notes'],
        disclosing_program_id: null,
        effective_from: '2026-10-26',
        expires_on: '2027-10-26',
        signed_on: '2026-10-26',
        signed_by_name: 'James Thompson',
        signed_by_relationship: 'self',
      },
    ],
  },
  {
    clientId: lee,
    addresses: [
      {
        id: demoId('dd104'),
        type: 'home',
        line1: '4718 Tradewinds Pkwy',
        line2: null,
        ...madison,
        postal_code: '53718',
        valid_from: '2019-06-01',
        valid_to: null,
      },
    ],
    phones: [{ id: demoId('dd204'), type: 'home', number: '+16085550163', sms_ok: false, is_primary: true }],
    emails: [],
    contacts: [
      {
        id: demoId('dd403'),
        name: 'Mai Vang',
        relationship: 'parent',
        phone: '+16085550164',
        email: 'mai.vang@example.org',
        is_guardian: true,
        legal_authority: 'parent_of_minor',
        can_receive_info: true,
        valid_from: '2012-06-30',
      },
      {
        id: demoId('dd404'),
        name: 'Pa Vang',
        relationship: 'grandparent',
        phone: '+16085550165',
        email: null,
        is_guardian: false,
        legal_authority: 'none',
        can_receive_info: true,
        valid_from: '2026-11-16',
      },
    ],
    coverages: [
      {
        id: demoId('dd504'),
        ...wisconsinMedicaid,
        memberId: '4000000003',
        group_number: null,
        priority: 'primary',
        start_date: '2024-09-01',
        end_date: '2027-08-31',
      },
    ],
    consents: [
      {
        id: demoId('dd602'),
        kind: 'general',
        recipient_type: 'organization',
        recipient_id: null,
        recipient_name: 'Madison Metropolitan School District, Student Services',
        purposes: ['TREAT'],
        categories: ['demographics', 'case_notes'],
        disclosing_program_id: null,
        effective_from: '2026-11-16',
        expires_on: '2027-06-30',
        signed_on: '2026-11-16',
        signed_by_name: 'Mai Vang',
        signed_by_relationship: 'parent',
      },
    ],
  },
];

/** Fixed ids of the care-team rows the demo cases give their workers and teams (CareTeamSync's). */
export const demoCareTeamId = (n: number) => demoId(`dd7${String(n).padStart(2, '0')}`);
