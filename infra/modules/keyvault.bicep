// Key Vault holding the Pexip and Genesys credentials. RBAC authorisation, purge protection.
// Operators write the vendor secrets with scripts/deploy/set-secret.sh; the template never sees
// their values. The only secret written here is the content-share connection string, built at
// deploy time from the storage account's key (it never appears in a template or parameter file).
param location string
param tags object
param keyVaultName string
param runtimePrincipalId string
param contentStorageName string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource content 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: contentStorageName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource contentShareConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'storage-content-connection'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${content.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${content.listKeys().keys[0].value}'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, runtimePrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: runtimePrincipalId
    principalType: 'ServicePrincipal'
  }
}

output vaultUri string = vault.properties.vaultUri
output contentShareSecretUri string = contentShareConnection.properties.secretUri
