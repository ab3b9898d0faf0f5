/**
 * The demo agency's own clinicians as providers (SEED_DEMO_DATA), with current licences, so the
 * schedule has providers to book on a fresh install. Fixed ids: the scheduling demo gives each a
 * bookable resource.
 */
export const DEMO_PROVIDERS = [
  {
    id: '0de70000-0000-4000-8000-0000000fd001',
    name: 'Ana Ruiz, PsyD',
    npi: '1765432103',
    taxonomyCode: '103T00000X',
    licence: {
      id: '0de70000-0000-4000-8000-0000000fd101',
      number: 'PSY-4411',
      issuer: 'Wisconsin DSPS',
      expiresOn: '2028-06-30',
    },
  },
  {
    id: '0de70000-0000-4000-8000-0000000fd002',
    name: 'Marcus Lee, LCSW',
    npi: '1888123456',
    taxonomyCode: '1041C0700X',
    licence: {
      id: '0de70000-0000-4000-8000-0000000fd102',
      number: 'LCSW-8820',
      issuer: 'Wisconsin DSPS',
      expiresOn: '2028-02-29',
    },
  },
] as const;
