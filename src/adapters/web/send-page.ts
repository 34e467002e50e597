// Writes one of the service's HTML pages with the headers every page carries: its own
// Content-Security-Policy (scripts and styles from this origin only), no caching, no referrer, no indexing.
import type { FastifyReply } from 'fastify';
import { pageCsp } from './web-pages.controller.js';

export interface SendPageOptions {
  /**
   * Origins a form of the page may end on besides this one. CSP's form-action holds for every redirect
   * after the submit, so a form that leads to Microsoft's sign-in must name Microsoft's origin.
   */
  formTargets?: string[];
}

export function sendPage(
  reply: FastifyReply,
  status: number,
  body: string,
  options: SendPageOptions = {},
): void {
  let csp = pageCsp("'none'");
  if (options.formTargets?.length)
    csp = csp.replace("form-action 'self'", `form-action 'self' ${options.formTargets.join(' ')}`);
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .send(body);
}
