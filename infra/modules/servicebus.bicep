// Service Bus namespace with the Genesys events queue(s): identity-only (local auth off),
// dead-lettering on expiry and after maxDeliveryCount failed deliveries.
param location string
param tags object
param namespaceName string
@description('queues the slots read (one per slot, so a slot never consumes another slot\'s events)')
param queueNames string[]
param runtimePrincipalId string

var serviceBusDataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queue in union(queueNames, []): {
    parent: namespace
    name: queue
    properties: {
      maxDeliveryCount: 10
      lockDuration: 'PT1M'
      // A Genesys event older than a day no longer changes any session; keep it in the DLQ for support.
      defaultMessageTimeToLive: 'P1D'
      deadLetteringOnMessageExpiration: true
      // POST /genesys/events sends each envelope with its EventBridge id as messageId, so a
      // re-delivered envelope is dropped here. Fixed at creation: cannot be switched on later.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT10M'
    }
  }
]

// Scoped to each queue, not the namespace: the trigger receives, POST /genesys/events sends.
resource receiverRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in union(queueNames, []): {
    name: guid(namespace.id, queue, runtimePrincipalId, serviceBusDataReceiver)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver)
      principalId: runtimePrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource senderRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in union(queueNames, []): {
    name: guid(namespace.id, queue, runtimePrincipalId, serviceBusDataSender)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender)
      principalId: runtimePrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output namespaceId string = namespace.id
