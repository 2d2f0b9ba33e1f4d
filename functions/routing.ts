/** Routing: rules and the dry run, queues and agents (the directory), pick-next and re-routing. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as dir from '../shared/app/directory';
import * as uc from '../shared/app/routing';
import {
  CreateAgentBody,
  CreateQueueBody,
  DryRunBody,
  Id,
  PatchAgentBody,
  PatchQueueBody,
  PresenceBody,
  PutRuleSetBody,
  QueueCasesQuery,
  QueueListQuery,
} from '../shared/api/schemas';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, parseQuery, pathParam } from '../shared/http/request';

const versioned = <T extends { version: number }>(status: number, body: T) => ({ status, body, version: body.version });

export const routes: Record<string, Route> = {
  'GET /agents': async ({ deps, caller }) => ({ status: 200, body: { items: await dir.listAgents(deps, await caller()), nextCursor: null } }),
  'POST /agents': async ({ event, deps, caller }) => versioned(201, await dir.addAgent(deps, await caller(), parseBody(event, CreateAgentBody))),
  'GET /agents/{id}': async ({ event, deps, caller }) => versioned(200, await dir.getAgent(deps, await caller(), pathParam(event, 'id', Id))),
  'PATCH /agents/{id}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const patch = parseBody(event, PatchAgentBody);
    return versioned(200, await dir.updateAgent(deps, await caller(), pathParam(event, 'id', Id), patch, version));
  },
  'PUT /me/presence': async ({ event, deps, caller }) =>
    versioned(200, await dir.setMyPresence(deps, await caller(), parseBody(event, PresenceBody).presence)),
  'GET /queues': async ({ event, deps, caller }) => {
    const q = parseQuery(event, QueueListQuery);
    return { status: 200, body: { items: await dir.listQueues(deps, await caller(), { counts: q.counts === 'true' }), nextCursor: null } };
  },
  'POST /queues': async ({ event, deps, caller }) => versioned(201, await dir.addQueue(deps, await caller(), parseBody(event, CreateQueueBody))),
  'GET /queues/{id}': async ({ event, deps, caller }) => versioned(200, await dir.getQueue(deps, await caller(), pathParam(event, 'id', Id))),
  'PATCH /queues/{id}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const patch = parseBody(event, PatchQueueBody);
    return versioned(200, await dir.updateQueue(deps, await caller(), pathParam(event, 'id', Id), patch, version));
  },
  'DELETE /queues/{id}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    await dir.deleteQueue(deps, await caller(), pathParam(event, 'id', Id), version);
    return { status: 204 };
  },
  'GET /queues/{id}/cases': async ({ event, deps, caller }) => ({
    status: 200,
    body: await dir.queueCases(deps, await caller(), pathParam(event, 'id', Id), parseQuery(event, QueueCasesQuery)),
  }),
  'GET /routing/rules': async ({ deps, caller }) => {
    const set = await uc.readRuleSet(deps, await caller());
    return { status: 200, body: set, version: set.version };
  },
  'PUT /routing/rules': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const { rules } = parseBody(event, PutRuleSetBody);
    const set = await uc.replaceRuleSet(deps, await caller(), rules, version);
    return { status: 200, body: set, version: set.version };
  },
  'POST /queues/{id}/pick': async ({ event, deps, caller }) => {
    const c = await uc.pickNext(deps, await caller(), pathParam(event, 'id', Id));
    return { status: 200, body: c, version: c.version };
  },
  'POST /cases/{id}/route': async ({ event, deps, caller }) => {
    const c = await uc.rerouteNow(deps, await caller(), pathParam(event, 'id', Id), ifMatch(event, false));
    return { status: 200, body: c, version: c.version };
  },
  'POST /routing/test': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.dryRun(deps, await caller(), parseBody(event, DryRunBody)),
  }),
};

export const handler = httpApi(routes, defaultDeps);
