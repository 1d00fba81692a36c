// API Management in front of the Function App, as today's MaxConf has it: TLS 1.2+ only, the
// private routes need a valid Entra JWT and a subscription key, the public routes are open to
// their own auth (Genesys token, Pexip Basic, Genesys events API key, checked by the app),
// `/edge/*` goes to the Test app's edge slot, `/genesys/events` receives the EventBridge
// API destination.
param location string
param tags object
param apimName string
param sku string
param publisherEmail string
@description('custom domain of the gateway (api.test.vc.maxconf.ca / api.vc.maxconf.ca); empty = none yet')
param apiHostName string
@description('default host name of the production slot')
param appHostName string
@description('host name of the edge slot; empty where the environment has none')
param edgeHostName string
param authOpenIdConfigUrl string
param authIssuer string
param authAudience string
@description('origin of the Agent App, the only browser origin of /public/room')
param agentAppOrigin string
@description('origin of the Customer App, the only browser origin of /public/citizen/*')
param customerAppOrigin string

var hasEdge = !empty(edgeHostName)

resource service 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: apimName
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: 1
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: 'MaxConf'
    hostnameConfigurations: empty(apiHostName)
      ? null
      : [
          {
            type: 'Proxy'
            hostName: apiHostName
            certificateSource: 'Managed'
            defaultSslBinding: true
          }
        ]
    // TLS 1.2+ on both sides: the older protocols and 3DES are switched off explicitly.
    customProperties: {
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30': 'false'
      'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168': 'false'
    }
  }
}

resource namedOpenId 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'auth-openid-config-url'
  properties: {
    displayName: 'auth-openid-config-url'
    value: authOpenIdConfigUrl
  }
}

resource namedIssuer 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'auth-issuer'
  properties: {
    displayName: 'auth-issuer'
    value: authIssuer
  }
}

resource namedAudience 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'auth-audience'
  properties: {
    displayName: 'auth-audience'
    value: authAudience
  }
}

resource namedAgentOrigin 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'agent-app-origin'
  properties: {
    displayName: 'agent-app-origin'
    value: agentAppOrigin
  }
}

resource namedCustomerOrigin 'Microsoft.ApiManagement/service/namedValues@2024-05-01' = {
  parent: service
  name: 'customer-app-origin'
  properties: {
    displayName: 'customer-app-origin'
    value: customerAppOrigin
  }
}

// One entry per API: its path prefix on the gateway, the slot and path it forwards to (serviceUrl), whether a subscription key is
// required, and which policy applies. The edge APIs mirror the others under /edge.
var apis = concat(
  [
    {
      name: 'maxconf-private'
      path: ''
      backendPath: ''
      backend: 'maxconf-app'
      subscriptionRequired: true
      policy: loadTextContent('../apim/private.xml')
    }
    {
      name: 'maxconf-public'
      path: 'public'
      backendPath: 'public'
      backend: 'maxconf-app'
      subscriptionRequired: false
      policy: loadTextContent('../apim/public.xml')
    }
    {
      name: 'maxconf-genesys'
      path: 'genesys'
      backendPath: 'genesys'
      backend: 'maxconf-app'
      subscriptionRequired: false
      policy: loadTextContent('../apim/genesys-events.xml')
    }
  ],
  hasEdge
    ? [
        {
          name: 'maxconf-edge-private'
          path: 'edge'
          backendPath: ''
          backend: 'maxconf-edge'
          subscriptionRequired: true
          policy: loadTextContent('../apim/private.xml')
        }
        {
          name: 'maxconf-edge-public'
          path: 'edge/public'
          backendPath: 'public'
          backend: 'maxconf-edge'
          subscriptionRequired: false
          policy: loadTextContent('../apim/public.xml')
        }
        {
          name: 'maxconf-edge-genesys'
          path: 'edge/genesys'
          backendPath: 'genesys'
          backend: 'maxconf-edge'
          subscriptionRequired: false
          policy: loadTextContent('../apim/genesys-events.xml')
        }
      ]
    : []
)

var methods = [
  'GET'
  'POST'
  'PUT'
  'PATCH'
  'DELETE'
]

resource apiResources 'Microsoft.ApiManagement/service/apis@2024-05-01' = [
  for api in apis: {
    parent: service
    name: api.name
    properties: {
      displayName: api.name
      path: api.path
      protocols: [
        'https'
      ]
      subscriptionRequired: api.subscriptionRequired
      subscriptionKeyParameterNames: {
        header: 'Ocp-Apim-Subscription-Key'
        query: 'subscription-key'
      }
      // The slot serves its routes at the root (routePrefix ""): /edge/public/room/x -> edge slot /public/room/x.
      serviceUrl: 'https://${api.backend == 'maxconf-edge' ? edgeHostName : appHostName}/${api.backendPath}'
    }
  }
]

resource apiPolicies 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = [
  for (api, i) in apis: {
    parent: apiResources[i]
    name: 'policy'
    properties: {
      format: 'rawxml'
      value: api.policy
    }
    dependsOn: [
      namedOpenId
      namedIssuer
      namedAudience
      namedAgentOrigin
      namedCustomerOrigin
    ]
  }
]

// Wildcard operations: the app owns its routes; APIM owns who may reach them. One per API and
// method, k = api * methods + method (plain index arithmetic instead of nested lambdas).
resource operations 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = [
  for k in range(0, length(apis) * length(methods)): {
    parent: apiResources[k / length(methods)]
    name: toLower('${methods[k % length(methods)]}-all')
    properties: {
      displayName: '${methods[k % length(methods)]} /*'
      method: methods[k % length(methods)]
      urlTemplate: '/*'
    }
  }
]

// The product IDIM and support subscribe to; its keys are the subscription keys of the private API.
resource product 'Microsoft.ApiManagement/service/products@2024-05-01' = {
  parent: service
  name: 'maxconf-private'
  properties: {
    displayName: 'MaxConf private API'
    subscriptionRequired: true
    approvalRequired: true
    state: 'published'
  }
}

resource productApis 'Microsoft.ApiManagement/service/products/apis@2024-05-01' = [
  for api in filter(apis, a => a.subscriptionRequired): {
    parent: product
    name: api.name
    dependsOn: [
      apiResources
    ]
  }
]

output gatewayUrl string = service.properties.gatewayUrl
