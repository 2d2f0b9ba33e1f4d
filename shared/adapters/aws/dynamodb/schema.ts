/**
 * The one domain table: key names and indexes. The CDK stack and the local bootstrap both build
 * the table from this description, so they cannot drift.
 *
 * | entity    | pk                | sk                 | gsi1 (pk / sk)               | gsi2            | gsi3           | gsi4            | gsi5              |
 * |-----------|-------------------|--------------------|------------------------------|-----------------|----------------|-----------------|-------------------|
 * | case      | CASE#{id}         | CASE               | CUST#{customerId} / created  | OWNER#{ownerId} | QUEUE#{queueId}| STATE#{state}   | TICKET#{number}   |
 * | timeline  | CASE#{id}         | TL#{at}#{n}#{id}   |                              |                 |                |                 |                   |
 * | customer  | CUSTOMER#{id}     | CUSTOMER           | CUSTOMERS#{kind} / name      | ACCOUNT#{acct}  |                |                 |                   |
 * | e-mail    | EMAIL#{lower}     | EMAIL              |                              |                 |                |                 |                   |
 * | subject   | SUBJECT#{id}      | SUBJECT            | SUBJECTS / name              |                 |                |                 |                   |
 * | product   | PRODUCT#{id}      | PRODUCT            | PRODUCTS / name              |                 |                |                 |                   |
 * | code      | PRODUCTCODE#{c}   | PRODUCTCODE        |                              |                 |                |                 |                   |
 * | agent     | AGENT#{sub}       | AGENT              | AGENTS / name                |                 |                |                 |                   |
 * | queue     | QUEUE#{id}        | QUEUE              | QUEUES / name                |                 |                |                 |                   |
 * | counter   | COUNTER#{name}    | COUNTER            |                              |                 |                |                 |                   |
 *
 * Case index sort keys are `{createdAt}#{id}`, read newest first. gsi6 holds only cases waiting
 * in a queue (active, queued, no owner): pk `WAITING#{queueId}`, sk `pickOrderKey` (most urgent,
 * then oldest), read in key order by pick-next.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const INDEXES = ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5', 'gsi6'] as const;
export type IndexName = (typeof INDEXES)[number];

export const indexKeys = (name: IndexName) => ({ partitionKey: `${name}pk`, sortKey: `${name}sk` });

export const STREAM_VIEW = 'NEW_AND_OLD_IMAGES' as const;
export const TTL_ATTRIBUTE = 'expiresAt';
