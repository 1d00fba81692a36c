// Agent App (Genesys interaction widget) and Customer App. Each deploys from its own workflow on
// its own tags; the deploy identity may read their deployment tokens, nothing more.
param location string
param tags object
param agentAppName string
param customerAppName string
@description('custom domain of the Agent App; empty = none')
param agentAppHostName string
@description('custom domain of the Customer App; empty = none')
param customerAppHostName string
param deployPrincipalId string

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource agentApp 'Microsoft.Web/staticSites@2024-04-01' = {
  name: agentAppName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // No repository is linked: content comes from GitHub Actions with a deployment token.
    allowConfigFileUpdates: true
  }
}

resource customerApp 'Microsoft.Web/staticSites@2024-04-01' = {
  name: customerAppName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    allowConfigFileUpdates: true
  }
}

resource agentDomain 'Microsoft.Web/staticSites/customDomains@2024-04-01' = if (!empty(agentAppHostName)) {
  parent: agentApp
  name: empty(agentAppHostName) ? 'unused-agent' : agentAppHostName
  properties: {
    validationMethod: 'cname-delegation'
  }
}

resource customerDomain 'Microsoft.Web/staticSites/customDomains@2024-04-01' = if (!empty(customerAppHostName)) {
  parent: customerApp
  name: empty(customerAppHostName) ? 'unused-customer' : customerAppHostName
  properties: {
    validationMethod: 'cname-delegation'
  }
}

// `az staticwebapp secrets list` (the deployment token) needs an action no narrower built-in role
// grants, so Contributor is scoped to each static web app alone.
resource agentDeploy 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(agentApp.id, deployPrincipalId, contributor)
  scope: agentApp
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
    principalId: deployPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource customerDeploy 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(customerApp.id, deployPrincipalId, contributor)
  scope: customerApp
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
    principalId: deployPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output agentAppName string = agentApp.name
output customerAppName string = customerApp.name
output agentAppDefaultHostName string = agentApp.properties.defaultHostname
output customerAppDefaultHostName string = customerApp.properties.defaultHostname
