/** Routing: rules that pick a queue (./rules.ts over ./fields.ts), and agents inside a queue (./assignment.ts). */
export * from './assignment';
export * from './fields';
export * from './rules';
export * from './text';
