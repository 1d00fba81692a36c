// Two user-assigned identities: the runtime identity every slot runs as, and the deploy identity
// GitHub Actions logs in as through OIDC (federated credentials; no stored Azure secret).
param location string
param tags object
param runtimeIdentityName string
param deployIdentityName string
param githubRepository string
param githubEnvironments string[]

resource runtime 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: runtimeIdentityName
  location: location
  tags: tags
}

resource deploy 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: deployIdentityName
  location: location
  tags: tags
}

// Federated credentials on one identity cannot be written concurrently, hence batchSize(1).
@batchSize(1)
resource federated 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = [
  for env in githubEnvironments: {
    parent: deploy
    name: 'github-${env}'
    properties: {
      issuer: 'https://token.actions.githubusercontent.com'
      subject: 'repo:${githubRepository}:environment:${env}'
      audiences: [
        'api://AzureADTokenExchange'
      ]
    }
  }
]

output runtimeIdentityId string = runtime.id
output runtimePrincipalId string = runtime.properties.principalId
output runtimeClientId string = runtime.properties.clientId
output deployPrincipalId string = deploy.properties.principalId
output deployClientId string = deploy.properties.clientId
