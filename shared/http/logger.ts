import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per process; level from POWERTOOLS_LOG_LEVEL (the local runtime sets WARN). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'helpdesk' });
