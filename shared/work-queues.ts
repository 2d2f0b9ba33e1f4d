/**
 * The SQS work queues, declared once for the stack, the local runtime and the functions that send
 * (kept apart from the catalogue so a sender's bundle does not pull in the API schemas).
 */
/** The SQS work queues; each has a dead-letter queue named `<name>-dlq`. */
export const QUEUES = {
  routing: {
    description: 'Cases to route: created, or changed in a field routing rules read',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
  },
  'inbound-mail': {
    description: 'Raw mail stored by SES (or the local SMTP listener): S3 object notifications',
    batchSize: 5,
    maxBatchingWindowSeconds: 0,
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
  },
  'outbound-mail': {
    description: 'Mail to send: agents\' public replies and acknowledgements of new cases',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
  sla: {
    description: 'Cases whose SLA state to recompute (and whose timer to re-arm): any change of a case',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
  },
} as const;
export type QueueName = keyof typeof QUEUES;

/** The environment variable that carries a queue's URL. */
export const queueUrlVar = (name: QueueName) => `QUEUE_URL_${name.toUpperCase().replace(/-/g, '_')}`;
