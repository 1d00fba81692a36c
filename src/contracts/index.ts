export * from './sessionEvents';
export type * from './sip';
