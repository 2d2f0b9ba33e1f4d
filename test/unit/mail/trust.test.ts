import { describe, expect, it } from 'vitest';
import { trustVerdict } from '../../../shared/domain/mail/trust';
import type { TrustVerdict } from '../../../shared/domain/mail/types';
import { inbound } from './support';

const SES_PASS = 'amazonses.com; spf=pass (spfCheck: domain of example.net designates 192.0.2.9 as permitted sender) client-ip=192.0.2.9; envelope-from=a@example.net; dkim=pass header.i=@example.net; dmarc=pass header.from=example.net;';

describe('trustVerdict', () => {
  it.each<[string, Record<string, string[]>, TrustVerdict]>([
    ['no verdicts at all (local SMTP)', {}, { quarantine: false }],
    ['SES all PASS', { 'x-ses-spam-verdict': ['PASS'], 'x-ses-virus-verdict': ['PASS'], 'authentication-results': [SES_PASS] }, { quarantine: false }],
    ['SES spam FAIL', { 'x-ses-spam-verdict': ['FAIL'] }, { quarantine: true, reason: 'SES spam verdict FAIL' }],
    ['SES spam fail, lower case, spaced', { 'x-ses-spam-verdict': ['  fail '] }, { quarantine: true, reason: 'SES spam verdict FAIL' }],
    ['SES virus FAIL beats spam FAIL', { 'x-ses-spam-verdict': ['FAIL'], 'x-ses-virus-verdict': ['FAIL'] }, { quarantine: true, reason: 'SES virus verdict FAIL' }],
    ['SES virus FAIL in a second copy', { 'x-ses-virus-verdict': ['PASS', 'FAIL'] }, { quarantine: true, reason: 'SES virus verdict FAIL' }],
    ['SES spam GRAY', { 'x-ses-spam-verdict': ['GRAY'] }, { quarantine: false }],
    ['SES PROCESSING_FAILED', { 'x-ses-virus-verdict': ['PROCESSING_FAILED'] }, { quarantine: false }],
    [
      'DMARC fail under p=REJECT (Gmail form)',
      { 'authentication-results': ['mx.google.com; dkim=fail header.i=@bank.example; spf=fail smtp.mailfrom=bank.example; dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=bank.example'] },
      { quarantine: true, reason: 'DMARC failed under a reject policy (header.from=bank.example)' },
    ],
    ['DMARC fail, policy.dmarc=reject', { 'authentication-results': ['mx.example.com; dmarc=fail policy.dmarc=reject header.from=Bank.Example'] }, { quarantine: true, reason: 'DMARC failed under a reject policy (header.from=bank.example)' }],
    ['DMARC fail without header.from', { 'authentication-results': ['mx.example.com; dmarc=fail (p=reject)'] }, { quarantine: true, reason: 'DMARC failed under a reject policy' }],
    ['DMARC fail under p=quarantine', { 'authentication-results': ['mx.example.com; dmarc=fail (p=QUARANTINE) header.from=x.example'] }, { quarantine: false }],
    ['DMARC fail, no policy known (what SES writes)', { 'authentication-results': ['amazonses.com; spf=fail; dkim=fail; dmarc=fail header.from=x.example;'] }, { quarantine: false }],
    ['DMARC pass with p=reject', { 'authentication-results': ['mx.example.com; dmarc=pass (p=reject) header.from=x.example'] }, { quarantine: false }],
    ['sp=reject is not p=reject', { 'authentication-results': ['mx.example.com; dmarc=fail (p=none sp=reject) header.from=x.example'] }, { quarantine: false }],
    ['p=reject in another clause', { 'authentication-results': ['mx.example.com; spf=pass (p=reject); dmarc=fail header.from=x.example'] }, { quarantine: false }],
    ['dmarc=fail inside a comment', { 'authentication-results': ['mx.example.com; spf=pass (dmarc=fail (p=reject)); dmarc=pass'] }, { quarantine: false }],
    ['an earlier hop failed DMARC, our receiver passed', { 'authentication-results': [SES_PASS, 'mx.upstream.example; dmarc=fail (p=reject) header.from=bank.example'] }, { quarantine: false }],
    ['SES DMARC headers: FAIL + reject', { 'x-ses-dmarc-verdict': ['FAIL'], 'x-ses-dmarc-policy': ['REJECT'] }, { quarantine: true, reason: 'DMARC failed under a reject policy (SES DMARC verdict FAIL, policy reject)' }],
    ['SES DMARC headers: FAIL + none', { 'x-ses-dmarc-verdict': ['FAIL'], 'x-ses-dmarc-policy': ['none'] }, { quarantine: false }],
    ['SES DMARC headers: FAIL, no policy', { 'x-ses-dmarc-verdict': ['FAIL'] }, { quarantine: false }],
  ])('%s', (_, headers, verdict) => {
    expect(trustVerdict(inbound({ headers }))).toEqual(verdict);
  });
});
