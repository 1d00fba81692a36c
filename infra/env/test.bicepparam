// Test environment: api.test.vc.maxconf.ca, Pexip Test, Genesys queue SBC_VBV_TEST.
// Slots: production (Test) and edge (Edge); both use Pexip Test, so each has its own room prefix.
// Values that are not public facts (tenant, client ids, SIP address, divisions) come from the
// deploying shell: scripts/deploy/provision.sh refuses to run until they are set (docs/deploy.md).
using '../main.bicep'

param environmentName = 'test'
param location = 'canadacentral'
param functionAppName = 'fa-maxconf-test'
param keyVaultName = 'kvlt-maxconf-test'
param apimName = 'apim-maxconf-test'
param apimSku = 'Developer'
param apimPublisherEmail = readEnvironmentVariable('MAXCONF_DEPLOY_PUBLISHER_EMAIL')
param githubRepository = readEnvironmentVariable('MAXCONF_DEPLOY_GITHUB_REPOSITORY')
param githubEnvironments = [
  'test'
]

param slots = [
  {
    name: 'production'
    maxconfEnv: 'test'
    taskHubName: 'MaxConfTest'
    roomPrefix: 'mctest-'
    roomPoolSize: 5
    eventsQueue: 'genesys-events'
    reaperEnabled: true
    genesysEventsTriggerEnabled: true
  }
  {
    name: 'edge'
    maxconfEnv: 'edge'
    taskHubName: 'MaxConfTestEdge'
    roomPrefix: 'mcedge-'
    roomPoolSize: 2
    eventsQueue: 'genesys-events-edge'
    // Edge runs real sessions of its own (IAS DEV), so it reaps its own rooms (its prefix only)
    // and reads its own queue.
    reaperEnabled: true
    genesysEventsTriggerEnabled: true
  }
]

param shared = {
  pexipManagementUrl: 'https://management.test.vc.maxconf.ca'
  pexipConferenceHost: 'conference.test.vc.maxconf.ca'
  pexipSystemLocation: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_SYSTEM_LOCATION')
  // Pexip's dial command documents custom_sip_headers; turn off if this deployment's nodes refuse it
  pexipDialUuiHeader: true
  pexipOauthClientId: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_OAUTH_CLIENT_ID')
  pexipEventSinkUsername: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_EVENT_SINK_USERNAME')
  genesysRegion: 'cac1.pure.cloud'
  genesysClientId: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_CLIENT_ID')
  genesysQueueName: 'SBC_VBV_TEST'
  genesysSipUri: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_SIP_URI')
  genesysAllowedDivisions: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_ALLOWED_DIVISIONS')
  authJwksUrl: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/discovery/v2.0/keys'
  authOpenIdConfigUrl: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/v2.0/.well-known/openid-configuration'
  authIssuer: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/v2.0'
  authAudience: readEnvironmentVariable('MAXCONF_DEPLOY_API_AUDIENCE')
  logLevel: 'debug'
  reaperSchedule: '0 */5 * * * *'
  citizenJoinTimeoutSeconds: 900
  dialMaxAttempts: 3
  dialWindowSeconds: 30
  dialDelaySeconds: 0
  queueWaitTimeoutSeconds: 2700
  reconnectGraceSeconds: 120
  maxCallSeconds: 7200
  sessionLifetimeSeconds: 14400
}

param customDomains = {
  api: 'api.test.vc.maxconf.ca'
  agentApp: ''
  customerApp: ''
}
