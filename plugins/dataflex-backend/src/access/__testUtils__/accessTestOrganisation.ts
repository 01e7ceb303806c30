import { TestOrganisation } from '../../__testUtils__/testOrganisation';

/** The test organisation: two owners, outsiders, an ML team and an admin. */
export const ANIL = 'user:default/anil';
export const PRIYA = 'user:default/priya';
export const STUDENT = 'user:default/student';
export const CARLOS = 'user:default/carlos';
export const MEI = 'user:default/mei';
export const ADMIN = 'user:default/admin';

const DATA_PLATFORM = 'group:default/data-platform';
const PAYMENTS = 'group:default/payments-data';
const STUDENTS = 'group:default/students';
const ML = 'group:default/ml-platform';
export const PORTAL_ADMINS = 'group:default/portal-admins';

/** Who belongs to which group; tests may change `users` while running. */
export const accessTestOrganisation: TestOrganisation = {
  groups: {
    [DATA_PLATFORM]: {},
    [PAYMENTS]: {},
    [STUDENTS]: {},
    [ML]: {},
    [PORTAL_ADMINS]: {},
  },
  users: {
    [ANIL]: [DATA_PLATFORM],
    [PRIYA]: [DATA_PLATFORM],
    [STUDENT]: [STUDENTS],
    [CARLOS]: [PAYMENTS],
    [MEI]: [ML],
    [ADMIN]: [PORTAL_ADMINS],
  },
};

/**
 * The access tests' portal: their organisation, DataFlex's own RBAC policy
 * with portal-admins as admins, the real notifications backend, and
 * scheduled tasks (the grant expiry) that run only when a test runs them.
 */
export const accessTestBackendOptions = {
  organisation: accessTestOrganisation,
  rbacAdmins: [PORTAL_ADMINS],
  notifications: true,
  manualTasks: true,
};
