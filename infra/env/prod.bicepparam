// Production environment: api.vc.maxconf.ca, Pexip Prod, Genesys queue SBC_VBV_PROD.
// Slots: production and staging. A release lands on staging, is validated, then swapped in;
// the previous build stays on staging for a one-step rollback. Staging never does production's
// work: its own hub and room prefix, no warm pool, reaper and Service Bus trigger disabled.
// Values that are not public facts (tenant, client ids, SIP address, divisions) come from the
// deploying shell: scripts/deploy/provision.sh refuses to run until they are set (docs/deploy.md).
using '../main.bicep'

param environmentName = 'prod'
param location = 'canadacentral'
param functionAppName = 'fa-maxconf-prod'
param keyVaultName = 'kvlt-maxconf-prod'
param apimName = 'apim-maxconf-prod'
param apimSku = 'Standard'
param apimPublisherEmail = readEnvironmentVariable('MAXCONF_DEPLOY_PUBLISHER_EMAIL')
param githubRepository = readEnvironmentVariable('MAXCONF_DEPLOY_GITHUB_REPOSITORY')
param githubEnvironments = [
  'prod-staging'
  'production'
]

param slots = [
  {
    name: 'production'
    maxconfEnv: 'prod'
    taskHubName: 'MaxConfProd'
    roomPrefix: 'mc-'
    roomPoolSize: 20
    eventsQueue: 'genesys-events'
    reaperEnabled: true
    genesysEventsTriggerEnabled: true
  }
  {
    name: 'staging'
    maxconfEnv: 'prod'
    taskHubName: 'MaxConfProdStaging'
    roomPrefix: 'mcstaging-'
    roomPoolSize: 0
    // Its own (idle) queue as well as the disabled trigger: a slip of either setting still
    // cannot make staging take production's Genesys events.
    eventsQueue: 'genesys-events-staging'
    reaperEnabled: false
    genesysEventsTriggerEnabled: false
  }
]

param shared = {
  pexipManagementUrl: 'https://management.vc.maxconf.ca'
  pexipConferenceHost: 'conference.vc.maxconf.ca'
  pexipSystemLocation: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_SYSTEM_LOCATION')
  // Pexip's dial command documents custom_sip_headers; turn off if this deployment's nodes refuse it
  pexipDialUuiHeader: true
  pexipOauthClientId: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_OAUTH_CLIENT_ID')
  pexipEventSinkUsername: readEnvironmentVariable('MAXCONF_DEPLOY_PEXIP_EVENT_SINK_USERNAME')
  genesysRegion: 'cac1.pure.cloud'
  genesysClientId: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_CLIENT_ID')
  genesysQueueName: 'SBC_VBV_PROD'
  genesysSipUri: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_SIP_URI')
  genesysAllowedDivisions: readEnvironmentVariable('MAXCONF_DEPLOY_GENESYS_ALLOWED_DIVISIONS')
  authJwksUrl: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/discovery/v2.0/keys'
  authOpenIdConfigUrl: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/v2.0/.well-known/openid-configuration'
  authIssuer: 'https://login.microsoftonline.com/${readEnvironmentVariable('MAXCONF_DEPLOY_TENANT_ID')}/v2.0'
  authAudience: readEnvironmentVariable('MAXCONF_DEPLOY_API_AUDIENCE')
  logLevel: 'info'
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
  api: 'api.vc.maxconf.ca'
  agentApp: ''
  customerApp: ''
}
