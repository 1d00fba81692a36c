// MaxConf: one environment (Test or Production) in its own resource group.
// Parameterised by infra/env/test.bicepparam and infra/env/prod.bicepparam.
// Deploy: scripts/deploy/provision.sh <test|prod> (wraps `az deployment group create`).
targetScope = 'resourceGroup'

@description('Which environment this resource group holds.')
@allowed([
  'test'
  'prod'
])
param environmentName string

@description('Region of every regional resource.')
param location string = resourceGroup().location

@description('Function App name, as today\'s MaxConf names it (fa-maxconf-test / fa-maxconf-prod).')
param functionAppName string = 'fa-maxconf-${environmentName}'

@description('Key Vault name (kvlt-maxconf-test / kvlt-maxconf-prod).')
param keyVaultName string = 'kvlt-maxconf-${environmentName}'

@description('API Management service name.')
param apimName string = 'apim-maxconf-${environmentName}'

@description('Slots of the Function App. The first entry is the production slot (the app itself); the others are deployment slots. Each slot carries its own sticky settings.')
param slots SlotConfig[]

@description('Settings every slot of this environment shares: vendor endpoints, identity of the callers, tuning.')
param shared SharedConfig

@description('Custom domains (empty string = none yet). DNS CNAME/TXT records must exist before the binding deploys.')
param customDomains CustomDomains

@description('API Management SKU. Developer has no SLA; use it only for Test.')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
])
param apimSku string

@description('Publisher e-mail API Management requires.')
param apimPublisherEmail string

@description('GitHub repository (owner/name) whose workflows deploy this environment through OIDC.')
param githubRepository string

@description('GitHub environments whose jobs may deploy here (federated credential subjects `environment:<name>`).')
param githubEnvironments string[]

@description('Region of the static web apps (they are offered in fewer regions than the rest).')
param staticWebAppLocation string = 'westus2'

@description('Log Analytics retention in days.')
param logRetentionDays int = 90

@description('Subnet for regional VNet integration towards the Pexip VMs; empty = none (Pexip reached on its public hostnames).')
param virtualNetworkSubnetId string = ''

type SlotConfig = {
  @description('"production" for the app itself, else the deployment slot name (edge, staging)')
  name: string
  @description('profile the slot runs (src/config/profiles.ts)')
  maxconfEnv: 'edge' | 'test' | 'prod'
  @description('durable task hub of this slot: 3-45 letters and digits, starting with a letter, unique per slot')
  taskHubName: string
  @description('prefix of the rooms this slot owns on Pexip; differs per slot sharing a Pexip')
  roomPrefix: string
  @description('warm rooms this slot keeps (0 for a slot that only waits to be swapped in)')
  roomPoolSize: int
  @description('Service Bus queue of Genesys envelopes this slot reads')
  eventsQueue: string
  @description('whether the reaper timer runs in this slot')
  reaperEnabled: bool
  @description('whether the Service Bus trigger (genesysEventsQueue) runs in this slot')
  genesysEventsTriggerEnabled: bool
}

type SharedConfig = {
  pexipManagementUrl: string
  pexipConferenceHost: string
  pexipSystemLocation: string
  @description('false where the conference nodes refuse custom SIP headers on dial-out (the UUI header)')
  pexipDialUuiHeader: bool
  pexipOauthClientId: string
  pexipEventSinkUsername: string
  genesysRegion: string
  genesysClientId: string
  genesysQueueName: string
  genesysSipUri: string
  genesysAllowedDivisions: string
  authJwksUrl: string
  authOpenIdConfigUrl: string
  authIssuer: string
  authAudience: string
  logLevel: string
  reaperSchedule: string
  citizenJoinTimeoutSeconds: int
  dialMaxAttempts: int
  dialWindowSeconds: int
  dialDelaySeconds: int
  queueWaitTimeoutSeconds: int
  reconnectGraceSeconds: int
  maxCallSeconds: int
  sessionLifetimeSeconds: int
}

type CustomDomains = {
  api: string
  agentApp: string
  customerApp: string
}

var tags = {
  application: 'maxconf'
  environment: environmentName
}

// Storage account names: 3-24 lower-case letters and digits, globally unique.
var token = uniqueString(resourceGroup().id, environmentName)
var hostStorageName = take('stmc${environmentName}h${token}', 24)
var contentStorageName = take('stmc${environmentName}c${token}', 24)

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-maxconf-${environmentName}'
    appInsightsName: 'appi-maxconf-${environmentName}'
    retentionDays: logRetentionDays
    runtimePrincipalId: identity.outputs.runtimePrincipalId
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    tags: tags
    runtimeIdentityName: 'id-maxconf-${environmentName}'
    deployIdentityName: 'id-maxconf-${environmentName}-deploy'
    githubRepository: githubRepository
    githubEnvironments: githubEnvironments
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    hostStorageName: hostStorageName
    contentStorageName: contentStorageName
    contentShareNames: [for slot in slots: toLower('${functionAppName}-${slot.name}')]
    runtimePrincipalId: identity.outputs.runtimePrincipalId
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    namespaceName: 'sb-maxconf-${environmentName}-${take(token, 6)}'
    queueNames: [for slot in slots: slot.eventsQueue]
    runtimePrincipalId: identity.outputs.runtimePrincipalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    keyVaultName: keyVaultName
    runtimePrincipalId: identity.outputs.runtimePrincipalId
    contentStorageName: storage.outputs.contentStorageName
  }
}

// the browser origins of the two static web apps: their custom domain, else the default host name
var customerAppOrigin = empty(customDomains.customerApp) ? 'https://${staticWebApps.outputs.customerAppDefaultHostName}' : 'https://${customDomains.customerApp}'

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    functionAppName: functionAppName
    planName: 'asp-maxconf-${environmentName}'
    slots: slots
    shared: shared
    runtimeIdentityId: identity.outputs.runtimeIdentityId
    runtimeIdentityClientId: identity.outputs.runtimeClientId
    deployPrincipalId: identity.outputs.deployPrincipalId
    hostStorageName: storage.outputs.hostStorageName
    serviceBusFqdn: serviceBus.outputs.fullyQualifiedNamespace
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.vaultUri
    contentShareSecretUri: keyVault.outputs.contentShareSecretUri
    virtualNetworkSubnetId: virtualNetworkSubnetId
    customerAppUrl: customerAppOrigin
  }
}

module staticWebApps 'modules/staticwebapps.bicep' = {
  name: 'staticwebapps'
  params: {
    location: staticWebAppLocation
    tags: tags
    agentAppName: 'swa-agent-${environmentName}'
    customerAppName: 'swa-customer-${environmentName}'
    agentAppHostName: customDomains.agentApp
    customerAppHostName: customDomains.customerApp
    deployPrincipalId: identity.outputs.deployPrincipalId
  }
}

module apim 'modules/apim.bicep' = {
  name: 'apim'
  params: {
    location: location
    tags: tags
    apimName: apimName
    sku: apimSku
    publisherEmail: apimPublisherEmail
    apiHostName: customDomains.api
    appHostName: functionApp.outputs.defaultHostName
    edgeHostName: functionApp.outputs.edgeHostName
    authOpenIdConfigUrl: shared.authOpenIdConfigUrl
    authIssuer: shared.authIssuer
    authAudience: shared.authAudience
    agentAppOrigin: empty(customDomains.agentApp) ? 'https://${staticWebApps.outputs.agentAppDefaultHostName}' : 'https://${customDomains.agentApp}'
    customerAppOrigin: customerAppOrigin
  }
}

output functionAppName string = functionAppName
output slotHostNames string[] = functionApp.outputs.slotHostNames
output apimGatewayUrl string = apim.outputs.gatewayUrl
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output keyVaultName string = keyVaultName
output deployClientId string = identity.outputs.deployClientId
output runtimeClientId string = identity.outputs.runtimeClientId
output agentAppName string = staticWebApps.outputs.agentAppName
output customerAppName string = staticWebApps.outputs.customerAppName
