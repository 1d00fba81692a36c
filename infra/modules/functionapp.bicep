// Elastic Premium (EP1) Linux plan, the Function App on Node 22 and its deployment slots, with
// every setting of the configuration contract (docs/architecture.md) set per slot. Secrets are Key
// Vault references only. `appsettings` replaces the whole set on each deployment, so what is
// here is exactly what runs.
param location string
param tags object
param functionAppName string
param planName string
@description('slots[0] is the production slot (the app itself); the rest are deployment slots')
param slots array
param shared object
param runtimeIdentityId string
param runtimeIdentityClientId string
param deployPrincipalId string
param hostStorageName string
param serviceBusFqdn string
param appInsightsConnectionString string
@description('the Customer App\'s address (https://<host>), the base of the citizen join link')
param customerAppUrl string
param keyVaultUri string
param contentShareSecretUri string
param virtualNetworkSubnetId string

var websiteContributor = 'de139f84-1756-47ae-9be6-808fbbe84772'

// Versionless secret URIs: the platform picks up a rotated secret without a redeploy.
var kv = {
  pexipOauthPrivateKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/pexip-oauth-private-key/)'
  pexipEventSinkPassword: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/pexip-event-sink-password/)'
  genesysClientSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/genesys-client-secret/)'
  genesysEventsApiKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/genesys-events-api-key/)'
  citizenTokenKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/citizen-token-key/)'
  contentShareConnection: '@Microsoft.KeyVault(SecretUri=${contentShareSecretUri})'
}

// Settings every slot of the environment shares.
var commonSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'node'
  WEBSITE_RUN_FROM_PACKAGE: '1'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${runtimeIdentityClientId};Authorization=AAD'
  // DefaultAzureCredential (the Service Bus sender behind POST /genesys/events) picks the
  // user-assigned identity by this id; without it, it looks for a system-assigned one.
  AZURE_CLIENT_ID: runtimeIdentityClientId
  AzureWebJobsStorage__accountName: hostStorageName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: runtimeIdentityClientId
  WEBSITE_CONTENTAZUREFILECONNECTIONSTRING: kv.contentShareConnection
  WEBSITE_SKIP_CONTENTSHARE_VALIDATION: '1'
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFqdn
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: runtimeIdentityClientId
  PEXIP_MANAGEMENT_URL: shared.pexipManagementUrl
  PEXIP_OAUTH_CLIENT_ID: shared.pexipOauthClientId
  PEXIP_OAUTH_PRIVATE_KEY: kv.pexipOauthPrivateKey
  PEXIP_CONFERENCE_HOST: shared.pexipConferenceHost
  PEXIP_SYSTEM_LOCATION: shared.pexipSystemLocation
  PEXIP_DIAL_UUI_HEADER: shared.pexipDialUuiHeader ? 'true' : 'false'
  PEXIP_EVENT_SINK_USERNAME: shared.pexipEventSinkUsername
  PEXIP_EVENT_SINK_PASSWORD: kv.pexipEventSinkPassword
  GENESYS_REGION: shared.genesysRegion
  GENESYS_CLIENT_ID: shared.genesysClientId
  GENESYS_CLIENT_SECRET: kv.genesysClientSecret
  GENESYS_QUEUE_NAME: shared.genesysQueueName
  GENESYS_SIP_URI: shared.genesysSipUri
  GENESYS_ALLOWED_DIVISIONS: shared.genesysAllowedDivisions
  GENESYS_EVENTS_API_KEY: kv.genesysEventsApiKey
  AUTH_JWKS_URL: shared.authJwksUrl
  AUTH_ISSUER: shared.authIssuer
  AUTH_AUDIENCE: shared.authAudience
  LOG_LEVEL: shared.logLevel
  REAPER_SCHEDULE: shared.reaperSchedule
  // daily: a session's instances, entities and index rows are deleted this many days after it ends
  RETENTION_SCHEDULE: '0 30 3 * * *'
  SESSION_RETENTION_DAYS: '30'
  // docs/reconciler.md: the queue observer and the reconciler, one each per slot (each reads only its own task hub's sessions)
  QUEUE_OBSERVER_SCHEDULE: '*/10 * * * * *'
  RECONCILER_SCHEDULE: '*/15 * * * * *'
  CITIZEN_JOIN_TIMEOUT_SECONDS: string(shared.citizenJoinTimeoutSeconds)
  DIAL_MAX_ATTEMPTS: string(shared.dialMaxAttempts)
  DIAL_WINDOW_SECONDS: string(shared.dialWindowSeconds)
  DIAL_DELAY_SECONDS: string(shared.dialDelaySeconds)
  QUEUE_WAIT_TIMEOUT_SECONDS: string(shared.queueWaitTimeoutSeconds)
  RECONNECT_GRACE_SECONDS: string(shared.reconnectGraceSeconds)
  MAX_CALL_SECONDS: string(shared.maxCallSeconds)
  SESSION_LIFETIME_SECONDS: string(shared.sessionLifetimeSeconds)
  // docs/customer-app.md: the join link, and the key of its citizen token (a token lives at most the session's lifetime)
  CUSTOMER_APP_URL: customerAppUrl
  CITIZEN_TOKEN_KEY: kv.citizenTokenKey
  CITIZEN_TOKEN_TTL_SECONDS: string(shared.sessionLifetimeSeconds)
}

// Settings that differ per slot. Every name here is listed in slotConfigNames below, so a swap
// never carries them across: the build moves, these stay with the slot.
var slotSettings = [
  for slot in slots: {
    MAXCONF_ENV: slot.maxconfEnv
    TaskHubName: slot.taskHubName
    MAXCONF_ROOM_PREFIX: slot.roomPrefix
    ROOM_POOL_SIZE: string(slot.roomPoolSize)
    GENESYS_EVENTS_QUEUE: slot.eventsQueue
    WEBSITE_CONTENTSHARE: toLower('${functionAppName}-${slot.name}')
    // the slots share the storage account: each slot's session index and warm-room queue under its own names
    MAXCONF_STORAGE_PREFIX: toLower(slot.taskHubName)
    'AzureWebJobs.reaper.Disabled': slot.reaperEnabled ? 'false' : 'true'
    'AzureWebJobs.genesysEventsQueue.Disabled': slot.genesysEventsTriggerEnabled ? 'false' : 'true'
  }
]

var stickySettingNames = [
  'MAXCONF_ENV'
  'TaskHubName'
  'MAXCONF_ROOM_PREFIX'
  'ROOM_POOL_SIZE'
  'GENESYS_EVENTS_QUEUE'
  'WEBSITE_CONTENTSHARE'
  'MAXCONF_STORAGE_PREFIX'
  'AzureWebJobs.reaper.Disabled'
  'AzureWebJobs.genesysEventsQueue.Disabled'
]

var siteProperties = {
  serverFarmId: plan.id
  httpsOnly: true
  keyVaultReferenceIdentity: runtimeIdentityId
  virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
  siteConfig: {
    linuxFxVersion: 'Node|22'
    minTlsVersion: '1.2'
    ftpsState: 'Disabled'
    http20Enabled: true
    minimumElasticInstanceCount: 1
    functionsRuntimeScaleMonitoringEnabled: false
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: 'EP1'
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 10
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${runtimeIdentityId}': {}
    }
  }
  properties: siteProperties
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(commonSettings, slotSettings[0])
}

resource stickyNames 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'slotConfigNames'
  properties: {
    appSettingNames: stickySettingNames
  }
}

resource slotSites 'Microsoft.Web/sites/slots@2024-04-01' = [
  for slot in skip(slots, 1): {
    parent: site
    name: slot.name
    location: location
    tags: tags
    kind: 'functionapp,linux'
    identity: {
      type: 'UserAssigned'
      userAssignedIdentities: {
        '${runtimeIdentityId}': {}
      }
    }
    properties: siteProperties
  }
]

resource slotAppSettings 'Microsoft.Web/sites/slots/config@2024-04-01' = [
  for (slot, i) in skip(slots, 1): {
    parent: slotSites[i]
    name: 'appsettings'
    properties: union(commonSettings, slotSettings[i + 1])
  }
]

// The deploy identity deploys packages, reads the durable system key for the drain gate and
// swaps slots: Website Contributor on this app only.
resource deployRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(site.id, deployPrincipalId, websiteContributor)
  scope: site
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', websiteContributor)
    principalId: deployPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output defaultHostName string = site.properties.defaultHostName
output edgeHostName string = contains(map(slots, s => s.name), 'edge') ? '${functionAppName}-edge.azurewebsites.net' : ''
output slotHostNames string[] = [for slot in slots: slot.name == 'production' ? site.properties.defaultHostName : '${functionAppName}-${slot.name}.azurewebsites.net']
