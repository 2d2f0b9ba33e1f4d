/** The e-mail channel's admin API: the intake monitor (replay, release) and the mail templates. */
import { defaultMailDeps } from '../shared/adapters/aws/mail-deps';
import { parseMime } from '../shared/adapters/mail/parse';
import type { MailDeps } from '../shared/app/mail-deps';
import * as intake from '../shared/app/mail-intake';
import { listTemplates, saveTemplate } from '../shared/app/outbound-mail';
import { IntakeId, IntakeQuery, PutTemplateBody, TemplateLanguage, TemplateName } from '../shared/api/schemas';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, parseQuery, pathParam } from '../shared/http/request';

export const routes: Record<string, Route<MailDeps>> = {
  'GET /mail/inbound': async ({ event, deps, caller }) => ({ status: 200, body: await intake.listIntake(deps, await caller(), parseQuery(event, IntakeQuery)) }),
  'GET /mail/inbound/{id}': async ({ event, deps, caller }) => ({ status: 200, body: await intake.readIntake(deps, await caller(), pathParam(event, 'id', IntakeId)) }),
  'POST /mail/inbound/{id}/replay': async ({ event, deps, caller }) => ({ status: 200, body: await intake.replayIntake(deps, await caller(), pathParam(event, 'id', IntakeId)) }),
  'POST /mail/inbound/{id}/release': async ({ event, deps, caller }) => ({ status: 200, body: await intake.releaseIntake(deps, await caller(), pathParam(event, 'id', IntakeId)) }),
  'GET /mail/templates': async ({ deps, caller }) => ({ status: 200, body: { items: await listTemplates(deps, await caller()), nextCursor: null } }),
  'PUT /mail/templates/{name}/{language}': async ({ event, deps, caller }) => {
    const version = ifMatch(event, true)!;
    const body = parseBody(event, PutTemplateBody);
    const t = await saveTemplate(deps, await caller(), pathParam(event, 'name', TemplateName), pathParam(event, 'language', TemplateLanguage), body, version);
    return { status: 200, body: t, version: t.version };
  },
};

export const handler = httpApi(routes, () => defaultMailDeps(parseMime));
