/**
 * Per-environment defaults. An environment variable overrides a profile value; the profile
 * only says what each environment uses when nothing is set.
 */
export const ENVIRONMENTS = ['local', 'edge', 'test', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export interface Deadlines {
  /** how long a claimed room waits for the citizen to join */
  citizenJoinSeconds: number;
  /** dial attempts into the Genesys queue before giving up with `dial_failed` */
  dialMaxAttempts: number;
  /** all dial attempts must fall inside this window */
  dialWindowSeconds: number;
  /** today's automatic participant waits at least this long after the citizen joins */
  dialDelaySeconds: number;
  /** how long a queued call waits for an agent */
  queueWaitSeconds: number;
  /** how long a dropped citizen may take to rejoin before the drop counts as leaving */
  reconnectGraceSeconds: number;
  /** the longest a connected call may run */
  maxCallSeconds: number;
  /** the longest any session may exist, whatever its phase; the reaper ends those past it */
  sessionLifetimeSeconds: number;
}

export interface ServicePeriod {
  startDay: string;
  endDay: string;
  startTime: string;
  endTime: string;
}

export interface Profile {
  deadlines: Deadlines;
  roomPoolSize: number;
  /** NCRONTAB schedule of the reaper (six fields, seconds first) */
  reaperSchedule: string;
  genesysQueueName: string;
  genesysRegion: string;
  pexipConferenceHost: string | undefined;
  pexipSystemLocation: string | undefined;
  roomPrefix: string;
  taskHubName: string;
  serviceHours: { timeZone: string; regular: ServicePeriod[] };
  /** the local profile starts simulators for unset vendor endpoints; others must be configured */
  simulatorsAllowed: boolean;
}

const STANDARD_DEADLINES: Deadlines = {
  citizenJoinSeconds: 15 * 60,
  dialMaxAttempts: 3,
  dialWindowSeconds: 30,
  dialDelaySeconds: 0,
  queueWaitSeconds: 45 * 60,
  reconnectGraceSeconds: 120,
  maxCallSeconds: 2 * 60 * 60,
  sessionLifetimeSeconds: 4 * 60 * 60,
};

const BC_SERVICE_HOURS = {
  timeZone: 'America/Vancouver',
  regular: [{ startDay: 'MONDAY', endDay: 'FRIDAY', startTime: '07:30', endTime: '17:00' }],
};

const EVERY_FIVE_MINUTES = '0 */5 * * * *';

export const PROFILES: Record<EnvironmentName, Profile> = {
  local: {
    deadlines: STANDARD_DEADLINES,
    roomPoolSize: 3,
    reaperSchedule: EVERY_FIVE_MINUTES,
    genesysQueueName: 'SBC_VBV_TEST',
    genesysRegion: 'cac1.pure.cloud',
    pexipConferenceHost: undefined,
    pexipSystemLocation: 'local',
    roomPrefix: 'mclocal-',
    taskHubName: 'MaxConfLocal',
    serviceHours: BC_SERVICE_HOURS,
    simulatorsAllowed: true,
  },
  edge: {
    deadlines: STANDARD_DEADLINES,
    roomPoolSize: 2,
    reaperSchedule: EVERY_FIVE_MINUTES,
    genesysQueueName: 'SBC_VBV_TEST',
    genesysRegion: 'cac1.pure.cloud',
    pexipConferenceHost: 'conference.test.vc.maxconf.ca',
    pexipSystemLocation: undefined,
    roomPrefix: 'mcedge-',
    taskHubName: 'MaxConfTestEdge',
    serviceHours: BC_SERVICE_HOURS,
    simulatorsAllowed: false,
  },
  test: {
    deadlines: STANDARD_DEADLINES,
    roomPoolSize: 5,
    reaperSchedule: EVERY_FIVE_MINUTES,
    genesysQueueName: 'SBC_VBV_TEST',
    genesysRegion: 'cac1.pure.cloud',
    pexipConferenceHost: 'conference.test.vc.maxconf.ca',
    pexipSystemLocation: undefined,
    roomPrefix: 'mctest-',
    taskHubName: 'MaxConfTest',
    serviceHours: BC_SERVICE_HOURS,
    simulatorsAllowed: false,
  },
  prod: {
    deadlines: STANDARD_DEADLINES,
    roomPoolSize: 20,
    reaperSchedule: EVERY_FIVE_MINUTES,
    genesysQueueName: 'SBC_VBV_PROD',
    genesysRegion: 'cac1.pure.cloud',
    pexipConferenceHost: 'conference.vc.maxconf.ca',
    pexipSystemLocation: undefined,
    roomPrefix: 'mc-',
    taskHubName: 'MaxConfProd',
    serviceHours: BC_SERVICE_HOURS,
    simulatorsAllowed: false,
  },
};
