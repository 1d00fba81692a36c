// Stands in for Node-only modules the Genesys SDK requires behind `typeof window === 'undefined'`.
export default {};
