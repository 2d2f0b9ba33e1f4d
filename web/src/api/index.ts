export * from './client';
export * from './endpoints';
export * from './errors';
export type * from './types';
