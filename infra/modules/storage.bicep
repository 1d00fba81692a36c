// Two accounts: the host account (task hub queues/tables/blobs) is reached by managed identity
// only, shared keys off; the content account holds the Elastic Premium content shares, which
// Linux EP still mounts with an account key (its connection string lives in Key Vault).
param location string
param tags object
param hostStorageName string
param contentStorageName string
@description('one Azure Files share per slot (WEBSITE_CONTENTSHARE is slot-sticky)')
param contentShareNames string[]
param runtimePrincipalId string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource host 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: hostStorageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource content 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: contentStorageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource fileServices 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: content
  name: 'default'
}

// Created here because WEBSITE_SKIP_CONTENTSHARE_VALIDATION=1 (needed with a Key Vault reference
// for the content connection) stops the platform from creating them.
resource shares 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = [
  for share in contentShareNames: {
    parent: fileServices
    name: share
  }
]

// The Durable Functions identity guide grants Blob (Owner for host storage), Queue and Table.
resource hostRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in items(roles): {
    name: guid(host.id, runtimePrincipalId, roleId.value)
    scope: host
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId.value)
      principalId: runtimePrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

output hostStorageName string = host.name
output contentStorageName string = content.name
