/** SLA engine: business-hours calendars (./calendar.ts over ./zone.ts), KPI clocks and policies. */
export * from './calendar';
export * from './zone';
export * from './kpi';
export * from './policy';
export * from './instance';
export * from './actions';
export * from './exchanges';
export * from './measures';
