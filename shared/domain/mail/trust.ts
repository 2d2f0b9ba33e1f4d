/**
 * Whether an inbound mail is quarantined (kept, listed for admins, no case) instead of processed.
 *
 * What SES writes into the stored message (checked against AWS's documentation of receipt
 * notifications and against stored mail that projects published):
 * - SES prepends `X-SES-Spam-Verdict` and `X-SES-Virus-Verdict` (PASS, FAIL, GRAY or
 *   PROCESSING_FAILED), `Received-SPF`, and `Authentication-Results: amazonses.com; spf=...;
 *   dkim=...; dmarc=... header.from=...`.
 * - The DMARC *policy* of the sender's domain is in the receipt notification (`dmarcPolicy`,
 *   present only when DMARC failed) that SNS and Lambda actions get; nothing documents it in the
 *   stored mail, and `X-SES-DMARC-Verdict` is reported absent from stored mail. Other receivers
 *   (Gmail, OpenDMARC, Microsoft) do write it: `dmarc=fail (p=REJECT sp=REJECT dis=NONE)`. So we read
 *   the policy from the comment or a `policy.dmarc=` property, and also accept
 *   `X-SES-DMARC-Verdict: FAIL` with `X-SES-DMARC-Policy: reject` for a pipeline that copies the
 *   receipt's verdicts into the stored mail. A failure without a readable reject policy is not
 *   quarantined: the sender's domain did not ask for it.
 *
 * Which copy counts: a receiver prepends its trace headers, so the first `Authentication-Results`
 * is the one our receiving side wrote; later ones come from earlier hops (a forwarder or a list
 * whose DMARC failure says nothing about this delivery) or from the sender, and are ignored. The
 * SES verdict headers are only written by SES, and a FAIL anywhere among them quarantines: a
 * sender who forges one quarantines only their own mail.
 */
import { headerValues, keyword, stripComments } from './headers';
import type { InboundMail, Receipt, TrustVerdict } from './types';

export function trustVerdict(mail: InboundMail): TrustVerdict {
  if (anyFail(mail, 'x-ses-virus-verdict')) return { quarantine: true, reason: 'SES virus verdict FAIL' };
  if (anyFail(mail, 'x-ses-spam-verdict')) return { quarantine: true, reason: 'SES spam verdict FAIL' };
  const dmarc = dmarcRejectFailure(mail);
  if (dmarc) return { quarantine: true, reason: dmarc };
  return { quarantine: false };
}

function anyFail(mail: InboundMail, header: string): boolean {
  return headerValues(mail, header).some((v) => keyword(v) === 'fail');
}

/** A readable reason when DMARC failed and the sender's domain publishes `p=reject`, else null. */
function dmarcRejectFailure(mail: InboundMail): string | null {
  const first = headerValues(mail, 'authentication-results')[0];
  if (first !== undefined) {
    const result = dmarcResult(first);
    if (result?.verdict === 'fail' && result.reject) {
      const from = result.headerFrom ? ` (header.from=${result.headerFrom})` : '';
      return `DMARC failed under a reject policy${from}`;
    }
  }
  const sesVerdict = headerValues(mail, 'x-ses-dmarc-verdict')[0];
  const sesPolicy = headerValues(mail, 'x-ses-dmarc-policy')[0];
  if (sesVerdict !== undefined && keyword(sesVerdict) === 'fail' && sesPolicy !== undefined && keyword(sesPolicy) === 'reject')
    return 'DMARC failed under a reject policy (SES DMARC verdict FAIL, policy reject)';
  return null;
}

interface DmarcResult {
  verdict: string;
  reject: boolean;
  headerFrom: string | null;
}

/**
 * The `dmarc=` result of one Authentication-Results value (RFC 8601): `authserv-id; method=result
 * (comment) property=value; ...`. The policy is read from the comment (`p=REJECT`) or from
 * `policy.dmarc=reject`; a comment elsewhere in the header cannot plant a result.
 */
function dmarcResult(value: string): DmarcResult | null {
  for (const clause of splitClauses(value).slice(1)) {
    const bare = stripComments(clause);
    const m = /^dmarc\s*=\s*([a-z]+)/i.exec(bare);
    if (!m) continue;
    const comments = [...clause.matchAll(/\(([^()]*)\)/g)].map((c) => c[1]!).join(' ');
    const reject = /(^|[\s;])p\s*=\s*reject\b/i.test(comments) || /\bpolicy\.dmarc\s*=\s*reject\b/i.test(bare);
    const headerFrom = /\bheader\.from\s*=\s*([^\s;]+)/i.exec(bare)?.[1]?.toLowerCase() ?? null;
    return { verdict: m[1]!.toLowerCase(), reject, headerFrom };
  }
  return null;
}

/** `;`-separated clauses, ignoring semicolons inside comments and quoted strings. */
function splitClauses(value: string): string[] {
  const clauses: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') i++;
    else if (quoted) quoted = ch !== '"';
    else if (ch === '"' && depth === 0) quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (ch === ';' && depth === 0) {
      clauses.push(value.slice(start, i));
      start = i + 1;
    }
  }
  clauses.push(value.slice(start));
  return clauses.map((c) => c.trim()).filter((c) => c !== '');
}

/**
 * Folds the receiving system's own verdicts into the mail: SES reports DMARC's policy only in its
 * notification, never in the stored message, so the receipt is written into the headers the
 * verdict reads (ahead of anything the sender wrote). Envelope recipients come along too.
 */
export function withReceipt(mail: InboundMail, receipt: Receipt | undefined): InboundMail {
  if (!receipt) return mail;
  const headers = { ...mail.headers };
  const put = (name: string, value: string | undefined) => {
    if (value) headers[name] = [value, ...(headers[name] ?? [])];
  };
  put('x-ses-spam-verdict', receipt.spamVerdict);
  put('x-ses-virus-verdict', receipt.virusVerdict);
  put('x-ses-dmarc-verdict', receipt.dmarcVerdict);
  put('x-ses-dmarc-policy', receipt.dmarcPolicy);
  return { ...mail, headers, envelopeTo: receipt.recipients?.map((r) => r.trim().toLowerCase()) ?? mail.envelopeTo };
}
