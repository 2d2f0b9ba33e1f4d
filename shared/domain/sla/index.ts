/** SLA engine: business-hours calendars and their arithmetic (./calendar.ts over ./zone.ts). */
export * from './calendar';
export * from './zone';
