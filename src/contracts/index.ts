export * from './sessionEvents';
export type * from './sip';
export type * from './ports';
