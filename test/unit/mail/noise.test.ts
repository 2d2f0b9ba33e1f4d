import { describe, expect, it } from 'vitest';
import { AUTO_REPLY_HEADERS, autoReplyBlocker, isOwnAddress, isSystemAddress } from '../../../shared/domain/mail/noise';
import type { InboundMail, NoiseReason } from '../../../shared/domain/mail/types';
import { inbound } from './support';

const OURS = ['support@example.com', 'Billing@Example.com'];
const h = (headers: Record<string, string[]>) => inbound({ headers });
const sender = (address: string, returnPath: string | null = address) => inbound({ from: { address, name: null }, returnPath });

describe('autoReplyBlocker', () => {
  it.each<[string, InboundMail, NoiseReason | null]>([
    ['a person', inbound(), null],
    ['Auto-Submitted: no', h({ 'auto-submitted': ['no'] }), null],
    ['Auto-Submitted: No (comment)', h({ 'auto-submitted': [' No (written by hand)'] }), null],
    ['Auto-Submitted: auto-replied', h({ 'auto-submitted': ['auto-replied'] }), 'auto-submitted'],
    ['Auto-Submitted: auto-generated', h({ 'auto-submitted': ['auto-generated'] }), 'auto-submitted'],
    ['Auto-Submitted: AUTO-NOTIFIED with parameter', h({ 'auto-submitted': ['AUTO-NOTIFIED; owner-email=x@y'] }), 'auto-submitted'],
    ['Auto-Submitted with comment first', h({ 'auto-submitted': ['(vacation)auto-replied'] }), 'auto-submitted'],
    ['Auto-Submitted empty', h({ 'auto-submitted': [''] }), 'auto-submitted'],
    ['X-Autoreply', h({ 'x-autoreply': ['yes'] }), 'auto-submitted'],
    ['X-Autorespond', h({ 'x-autorespond': ['x'] }), 'auto-submitted'],
    ['X-Auto-Response-Suppress: All', h({ 'x-auto-response-suppress': ['All'] }), 'auto-submitted'],
    ['X-Auto-Response-Suppress: DR, OOF', h({ 'x-auto-response-suppress': ['DR, OOF'] }), 'auto-submitted'],
    ['X-Auto-Response-Suppress: DR only', h({ 'x-auto-response-suppress': ['DR'] }), null],
    ['Precedence: bulk', h({ precedence: ['bulk'] }), 'precedence'],
    ['Precedence: JUNK', h({ precedence: ['JUNK'] }), 'precedence'],
    ['Precedence:  list (comment)', h({ precedence: ['  list (mailing)'] }), 'precedence'],
    ['X-Precedence: bulk', h({ 'x-precedence': ['bulk'] }), 'precedence'],
    ['Precedence: first-class', h({ precedence: ['first-class'] }), null],
    ['List-Id', h({ 'list-id': ['<news.example.org>'] }), 'mailing-list'],
    ['List-Unsubscribe', h({ 'list-unsubscribe': ['<mailto:u@example.org>'] }), 'mailing-list'],
    ['List-Post', h({ 'list-post': ['<mailto:l@example.org>'] }), 'mailing-list'],
    ['X-Loop', h({ 'x-loop': ['helpdesk@example.org'] }), 'x-loop'],
    ['null sender', inbound({ returnPath: '' }), 'null-sender'],
    ['unknown return path is not null', inbound({ returnPath: null }), null],
    ['MAILER-DAEMON', sender('MAILER-DAEMON@mx.example.net'), 'system-sender'],
    ['postmaster', sender('postmaster@example.net'), 'system-sender'],
    ['noreply', sender('noreply@shop.example'), 'system-sender'],
    ['no-reply', sender('no-reply@shop.example'), 'system-sender'],
    ['no_reply', sender('No_Reply@shop.example'), 'system-sender'],
    ['donotreply', sender('donotreply@bank.example'), 'system-sender'],
    ['do-not-reply+tag', sender('do-not-reply+x@bank.example'), 'system-sender'],
    ['system return path, person in From', sender('anna@example.net', 'bounces@esp.example'), 'system-sender'],
    ['list owner return path', sender('anna@example.net', 'owner-users@lists.example'), 'system-sender'],
    ['our address', sender('support@example.com'), 'own-address'],
    ['our address, other case', sender('BILLING@example.com', null), 'own-address'],
    ['plus-address of ours', sender('support+CAS-01001-K7F2Q9@example.com', null), 'own-address'],
    ['same local part, other domain', sender('support@other.example'), null],
  ])('%s -> %s', (_, mail, reason) => {
    expect(autoReplyBlocker(mail, OURS)).toBe(reason);
  });

  it('checks the cheapest, surest signals first', () => {
    const mail = inbound({ returnPath: '', headers: { 'auto-submitted': ['auto-replied'], 'list-id': ['x'] } });
    expect(autoReplyBlocker(mail, OURS)).toBe('null-sender');
  });
});

describe('sender classes', () => {
  it.each([
    ['mailer-daemon@x.example', true],
    ['Mailer.Daemon@x.example', true],
    ['users-request@lists.example', true],
    ['users-bounces@lists.example', true],
    ['anna@example.net', false],
    ['noreplyanna@example.net', false],
    ['not an address', false],
  ])('isSystemAddress(%s) = %s', (a, yes) => {
    expect(isSystemAddress(a)).toBe(yes);
  });

  it('isOwnAddress compares without +tag and case', () => {
    expect(isOwnAddress('Support+x@EXAMPLE.com', OURS)).toBe(true);
    expect(isOwnAddress('supportx@example.com', OURS)).toBe(false);
    expect(isOwnAddress('support@example.com', [])).toBe(false);
  });
});

describe('AUTO_REPLY_HEADERS', () => {
  it('marks our automatic mail as auto-replied and asks Exchange not to answer', () => {
    expect(AUTO_REPLY_HEADERS).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
  });

  it('makes our own mail blocked by our own rule (a loop between two of us stops)', () => {
    const headers = Object.fromEntries(Object.entries(AUTO_REPLY_HEADERS).map(([k, v]) => [k.toLowerCase(), [v]]));
    expect(autoReplyBlocker(inbound({ headers, from: { address: 'helpdesk@other.example', name: null } }), OURS)).toBe('auto-submitted');
  });
});
